"""Coordinators see and change only their own programmes, and everything under them.

Two rules hold for every admin page, ours or a library's:

- what a page lists and opens is its admin's ``get_queryset``, scoped to the programmes
  the person coordinates (``ProgrammeScopedAdmin``);
- what a form accepts in a foreign-key or many-to-many field is ``field_choices``: one
  function with a rule per related model, or per field where a field needs its own. A
  relation without a rule has no form: the admin refuses to build it (deny by default),
  and a form field that did not come through here is refused the same way.

A system check (coordinators/admin/checks.py) makes sure every registered admin and inline
is built on ``ScopedFormsMixin``, so no form is left out.
"""

from collections.abc import Callable

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.forms import ModelChoiceField

from coordinators.admin.checks import path_of
from coordinators.admin.input import AutocompleteInputMixin, BadInputMixin
from partnerships.models import (
    CoordinatorAccess,
    CoordinatorAction,
    Participant,
    Partnership,
    Programme,
)
from partnerships.privacy import private_field_reached
from partnerships.services.coordinator_access import coordinator_access_record


def coordinated_programmes(user) -> QuerySet:
    return Programme.objects.coordinated_by(user)


def _in_programmes_of(user, *, via: str) -> Exists:
    """Some programme ``user`` coordinates has the outer person through ``via``."""
    # Two filter() calls, two joins: the programme's coordinators include ``user``, and
    # (``via`` may be "coordinators" too) some participant or coordinator is the person.
    return Exists(Programme.objects.filter(coordinators=user).filter(**{via: OuterRef("pk")}))


def people_of(user, people: QuerySet | None = None) -> QuerySet:
    """The people (of ``people``, or of all) a coordinator may look up: those in their
    programmes, the coordinators of their programmes, and themselves. All for a superuser."""
    people = get_user_model().objects.all() if people is None else people
    if user.is_superuser:
        return people
    return people.filter(
        _in_programmes_of(user, via="participants__user")
        | _in_programmes_of(user, via="coordinators")
        | Q(pk=user.pk)
    )


def _participants_as_people(user) -> QuerySet:
    """Who may be added to a programme: someone already in one of the coordinator's
    programmes. Newcomers join through an invitation, never by a coordinator's pick."""
    people = get_user_model().objects.all()
    if user.is_superuser:
        return people
    return people.filter(_in_programmes_of(user, via="participants__user"))


def _fellow_coordinators(user) -> QuerySet:
    """Who may coordinate a programme: staff. A coordinator picks among those who already
    coordinate one of their programmes, themselves included."""
    staff = get_user_model().objects.filter(is_staff=True)
    if user.is_superuser:
        return staff
    return staff.filter(_in_programmes_of(user, via="coordinators") | Q(pk=user.pk))


def _participants(user) -> QuerySet:
    queryset = Participant.objects.select_related("user", "programme")
    return queryset if user.is_superuser else queryset.filter(programme__coordinators=user)


def _partnerships(user) -> QuerySet:
    return Partnership.objects.with_people().coordinated_by(user)


def _superusers_only(model) -> Callable:
    """Accounts' groups and permissions: a superuser's business; nobody else picks them."""

    def rule(user) -> QuerySet:
        return model.objects.all() if user.is_superuser else model.objects.none()

    return rule


# A field with a rule of its own: who may be chosen depends on the role being filled.
FIELD_RULES: dict[str, Callable] = {
    "partnerships.Participant.user": _participants_as_people,
    "partnerships.Programme.coordinators": _fellow_coordinators,
}
# The related models with one natural scope. Users are deliberately not here: every field
# that chooses a person names, above, which people it may be.
MODEL_RULES: dict[str, Callable] = {
    "partnerships.Programme": coordinated_programmes,
    "partnerships.Participant": _participants,
    "partnerships.Partnership": _partnerships,
    "auth.Group": _superusers_only(Group),
    "auth.Permission": _superusers_only(Permission),
}


def field_choices(db_field, user) -> QuerySet:
    """What ``user`` may choose in the form field for ``db_field`` (a foreign key or a
    many-to-many field of some model), or ImproperlyConfigured when no rule says."""
    label = f"{db_field.model._meta.label}.{db_field.name}"
    rule = FIELD_RULES.get(label) or MODEL_RULES.get(db_field.related_model._meta.label)
    if rule is None:
        raise ImproperlyConfigured(
            f"No rule says what a coordinator may choose in {label}: add one to "
            "coordinators.admin.scoping.FIELD_RULES or MODEL_RULES, or make it read-only."
        )
    return rule(user)


class ScopedFormsMixin(AutocompleteInputMixin):
    """For every ModelAdmin and inline: each relational form field takes its choices from
    ``field_choices``, and a form holding any other relational field is refused. Shows,
    searches, sorts and filters nothing private either (the same list the system check
    reads), whatever the get_* methods of a subclass return."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs["queryset"] = field_choices(db_field, request.user)
        return _scoped(super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["queryset"] = field_choices(db_field, request.user)
        return _scoped(super().formfield_for_manytomany(db_field, request, **kwargs))

    def get_form(self, request, obj=None, **kwargs):
        return _all_scoped(self, super().get_form(request, obj, **kwargs))

    def get_formset(self, request, obj=None, **kwargs):  # an inline's
        formset = super().get_formset(request, obj, **kwargs)
        _all_scoped(self, formset.form)
        return formset

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)
        _all_scoped(self, formset.form)
        return formset

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        _nothing_private(self, "fields", (f for _, o in fieldsets for f in _flat(o["fields"])))
        return fieldsets

    def get_list_display(self, request):
        return _nothing_private(self, "list_display", super().get_list_display(request))

    def get_list_filter(self, request):
        return _nothing_private(self, "list_filter", super().get_list_filter(request))

    def get_search_fields(self, request):
        return _nothing_private(self, "search_fields", super().get_search_fields(request))

    def get_ordering(self, request):
        return _nothing_private(self, "ordering", super().get_ordering(request))


def _scoped(formfield):
    if formfield is not None:
        formfield.scoped_by_field_choices = True
    return formfield


def _all_scoped(model_admin, form):
    for name, field in form.base_fields.items():
        if isinstance(field, ModelChoiceField) and not getattr(
            field, "scoped_by_field_choices", False
        ):
            raise ImproperlyConfigured(
                f"{type(model_admin).__name__}: the form field {name!r} chooses among "
                f"{field.queryset.model._meta.label} without coordinators.admin.scoping."
                "field_choices; declare it as a model field, or make it read-only."
            )
    return form


def _flat(fields):
    for item in fields:
        yield from (item if isinstance(item, (list, tuple)) else (item,))


def _nothing_private(model_admin, option: str, items):
    items = list(items) if items is not None else items
    for item in items or ():
        path = path_of(model_admin, item)
        if path and (reached := private_field_reached(model_admin.model, path)):
            raise ImproperlyConfigured(
                f"{type(model_admin).__name__}.{option} reaches {reached}, which is private."
            )
    return items


class ScopedAdmin(ScopedFormsMixin, BadInputMixin, admin.ModelAdmin):
    """The base of every ModelAdmin that is not scoped by programme (people, accounts)."""


class ProgrammeScopedAdmin(ScopedAdmin):
    """Filters every queryset of the admin (changelist, change view, search, autocomplete)
    to the programmes the user coordinates.

    ``programme_path`` is the lookup from this model to its programme; "" for Programme.
    ``partnership_path``, for a model whose rows belong to one partnership, is the lookup
    to it ("" for Partnership): each page showing such rows is recorded as a look at those
    partnerships, for the partners to see (partnerships.services.coordinator_access).
    """

    programme_path: str = "programme"
    partnership_path: str | None = None

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        cl = (getattr(response, "context_data", None) or {}).get("cl")
        if self.partnership_path is not None and cl is not None:
            # After rendering: the rows shown are loaded by then, and read again from memory.
            response.add_post_render_callback(
                lambda _: self._record(request, cl.result_list, CoordinatorAccess.Page.LIST)
            )
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if self.partnership_path is not None and obj is not None:
            self._record(request, [obj], CoordinatorAccess.Page.CHANGE)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _record(self, request, rows, page):
        coordinator_access_record(
            coordinator=request.user,
            partnership_ids=[self._partnership_id_of(row) for row in rows],
            page=page,
        )

    def _partnership_id_of(self, obj) -> int:
        if not self.partnership_path:
            return obj.pk
        *hops, last = self.partnership_path.split("__")
        for hop in hops:
            obj = getattr(obj, hop)
        return getattr(obj, f"{last}_id")

    def scope(self, queryset, user):
        if user.is_superuser:
            return queryset
        lookup = f"{self.programme_path}__coordinators" if self.programme_path else "coordinators"
        return queryset.filter(**{lookup: user})

    def get_queryset(self, request):
        return self.scope(super().get_queryset(request), request.user)

    # Every add, change and delete also goes to the coordinators' action log, per programme,
    # next to the actions (nudges, matches, exports) that Django's LogEntry knows nothing of.

    def programme_of(self, obj):
        for part in filter(None, self.programme_path.split("__")):
            obj = getattr(obj, part)
        return obj

    def _log(self, request, obj, verb: str):
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


class ScopedInline(ScopedFormsMixin):
    """The base of every inline: its form fields are scoped the same way."""


class ReadOnlyAdmin(ProgrammeScopedAdmin):
    """History is recorded by the partners' actions; the admin only reads it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ScopedInline, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
