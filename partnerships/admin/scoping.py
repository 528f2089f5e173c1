"""Coordinators see and change only their own programmes, and everything under them."""

from django.contrib import admin

from mentorship.admin_input import AutocompleteInputMixin, BadInputMixin
from partnerships.models import Participant, Partnership, Programme


def coordinated_programmes(user):
    return Programme.objects.coordinated_by(user)


class ProgrammeScopedAdmin(BadInputMixin, admin.ModelAdmin):
    """Filters every queryset of the admin (changelist, change view, search, autocomplete,
    foreign-key choices) to the programmes the user coordinates.

    ``programme_path`` is the lookup from this model to its programme; "" for Programme.
    """

    programme_path: str = "programme"

    def scope(self, queryset, user):
        if user.is_superuser:
            return queryset
        lookup = f"{self.programme_path}__coordinators" if self.programme_path else "coordinators"
        return queryset.filter(**{lookup: user})

    def get_queryset(self, request):
        return self.scope(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scoped = scoped_choices(db_field.related_model, request.user)
        if scoped is not None:
            kwargs["queryset"] = scoped
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Every add, change and delete also goes to the coordinators' action log, per programme,
    # next to the actions (nudges, matches, exports) that Django's LogEntry knows nothing of.

    def programme_of(self, obj):
        for part in filter(None, self.programme_path.split("__")):
            obj = getattr(obj, part)
        return obj

    def _log(self, request, obj, verb: str):
        from partnerships.models import CoordinatorAction, Partnership

        CoordinatorAction.record(
            actor=request.user,
            programme=self.programme_of(obj),
            partnership=obj if isinstance(obj, Partnership) else None,
            verb=verb,
            summary=f"{verb} {obj._meta.verbose_name} {obj}",
        )

    def log_addition(self, request, obj, message):
        self._log(request, obj, "added")
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._log(request, obj, "changed")
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._log(request, obj, "deleted")
        return super().log_deletions(request, queryset)


class ScopedInline(AutocompleteInputMixin):
    """Foreign-key choices inside inlines are scoped the same way."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scoped = scoped_choices(db_field.related_model, request.user)
        if scoped is not None:
            kwargs["queryset"] = scoped
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def scoped_choices(model, user):
    if model is Programme:
        return coordinated_programmes(user)
    if model is Participant:
        qs = Participant.objects.select_related("user", "programme")
        return qs if user.is_superuser else qs.filter(programme__coordinators=user)
    if model is Partnership:
        return Partnership.objects.with_people().coordinated_by(user)
    return None


class ReadOnlyAdmin(ProgrammeScopedAdmin):
    """History is recorded by the partners' actions; the admin only reads it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
