import axes.admin
import django.contrib.auth.admin
import django_otp.plugins.otp_totp.admin  # noqa: F401  (registers its admin, replaced below)
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django_otp.plugins.otp_totp.models import TOTPDevice

from coordinators.admin.scoping import ScopedAdmin, people_of
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
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    """People. A coordinator reads the people of their programmes and changes nobody: a
    person's email, password and access are theirs (and a superuser's), because an email
    or a password set by someone else is their account taken over. People join through
    invitations, and change their own email by a link sent to the new address."""

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
        return people_of(request.user, super().get_queryset(request))

    # Whatever permissions a coordinator is given, accounts are changed by superusers only.

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        # Refused before the person is looked up: the answer is the same for everyone.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


@admin.register(RecoveryCodeDevice)
class RecoveryCodeDeviceAdmin(ScopedAdmin):
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


# --- Libraries' admins, rebuilt on the scoped bases ----------------------------------------
# Each library registers its own admin (imported above so that it has, whatever the order of
# INSTALLED_APPS); each is replaced by the same admin on our bases, so that its lists accept
# only the lookups they declare and its forms choose only within a rule.


class TOTPDeviceAdmin(ScopedAdmin):
    """Who has set up an authenticator app, and when it was last used. Its key is the second
    factor itself and is shown to nobody, nor its QR code; a lost phone's device is deleted
    and its owner sets up a new one."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    list_select_related = ("user",)
    search_fields = ("user__email", "user__name")
    fields = (
        "user",
        "name",
        "confirmed",
        "created_at",
        "last_used_at",
        "throttling_failure_count",
        "throttling_failure_timestamp",
    )
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False  # an app is set up by its owner, on the two-factor page

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class IsLockedOutFilter(axes.admin.IsLockedOutFilter):
    reads = ("failures_since_start",)


class AccessAttemptAdmin(ScopedAdmin, axes.admin.AccessAttemptAdmin):
    list_filter = [
        IsLockedOutFilter if f is axes.admin.IsLockedOutFilter else f
        for f in axes.admin.AccessAttemptAdmin.list_filter
    ]

    @admin.action(description="Clean up expired attempts")
    def cleanup_expired_attempts(self, request, queryset):
        # django-axes reads the time and address it stamps on a login request; on the
        # admin's request they were missing, and the action was a server error.
        AxesProxyHandler.update_request(request)
        return super().cleanup_expired_attempts(request, queryset)


class AccessLogAdmin(ScopedAdmin, axes.admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(ScopedAdmin, axes.admin.AccessFailureLogAdmin):
    pass


class GroupAdmin(ScopedAdmin, django.contrib.auth.admin.GroupAdmin):
    pass


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
for _model, _admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
    (Group, GroupAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, _admin)
