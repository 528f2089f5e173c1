from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Count, Q

from mentorship.admin_input import BadInputMixin
from mentorship.models import RecoveryCodeDevice, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name", "time_zone")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BadInputMixin, DjangoUserAdmin):
    """People. A coordinator sees the people of their programmes and anyone not yet in one."""

    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("name", "email")
    list_display = ("name", "email", "time_zone", "email_reminders", "is_staff", "is_active")
    list_filter = ("is_staff", "is_active", "email_reminders")
    search_fields = ("name", "email")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("name", "time_zone", "email_reminders")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    coordinator_fieldsets = (
        (None, {"fields": ("email",)}),
        ("Profile", {"fields": ("name", "time_zone", "email_reminders")}),
        ("Access", {"fields": ("is_active",)}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "name",
                    "time_zone",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.coordinator_fieldsets
        return super().get_fieldsets(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        mine = request.user.coordinated_programmes.all()
        return queryset.filter(
            Q(participations__programme__in=mine)
            | Q(coordinated_programmes__in=mine)
            | Q(participations__isnull=True, is_staff=False)
        ).distinct()

    def has_change_permission(self, request, obj=None):
        # Coordinators manage participants' profiles, not other staff accounts.
        if (
            obj is not None
            and not request.user.is_superuser
            and obj.is_staff
            and obj != request.user
        ):
            return False
        return super().has_change_permission(request, obj)


@admin.register(RecoveryCodeDevice)
class RecoveryCodeDeviceAdmin(BadInputMixin, admin.ModelAdmin):
    """Who holds recovery codes, how many are left; a lost set can be deleted. The codes
    themselves are stored as hashes and never shown."""

    list_display = ("user", "codes_left", "created_at", "last_used_at")
    search_fields = ("user__email", "user__name")
    fields = ("user", "name", "codes_left", "created_at", "last_used_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").annotate(left=Count("codes"))

    @admin.display(description="codes left", ordering="left")
    def codes_left(self, device) -> int:
        return device.left

    def has_add_permission(self, request) -> bool:
        return False  # codes are made by their owner, on the two-factor page
