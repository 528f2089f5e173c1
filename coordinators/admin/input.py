"""What an admin list and form accept: only what they declare, and malformed input answered
as Django answers the nearest honest mistake, never as a server error. Every admin of ours
mixes ``BadInputMixin`` in (a system check in coordinators/admin/checks.py says so)."""

import datetime

from django.contrib import messages
from django.contrib.admin import helpers, widgets
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.filters import (
    AllValuesFieldListFilter,
    BooleanFieldListFilter,
    ChoicesFieldListFilter,
    DateFieldListFilter,
    EmptyFieldListFilter,
    RelatedFieldListFilter,
    SimpleListFilter,
)
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import (
    ERROR_FLAG,
    ORDER_VAR,
    ChangeList,
)
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.http import HttpResponseRedirect


class AutocompleteSelect(widgets.AutocompleteSelect):
    """Django's searchable picker, except that a posted value that is not an id shows as
    nothing chosen (beside the form's "Select a valid choice" error): Django looked the
    value up as it came, and the page showing that error was a server error instead."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        to_field = remote.model._meta.get_field(remote.field_name)
        return super().optgroups(name, [v for v in value if _fits(to_field, v)], attr)


def _fits(field, value) -> bool:
    try:
        field.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    return True


class AutocompleteInputMixin:
    """For a ModelAdmin or an inline: its autocomplete fields use the picker above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget", AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- The lookups a list accepts ---------------------------------------------------------------

# The query parameters each of Django's filter classes reads, by the field path it filters.
# Written out because a filter's own list (``expected_parameters()``) exists only once it is
# built, and building one queries the database; the changelist checks the two agree.
_FILTER_PARAMETERS = {
    RelatedFieldListFilter: lambda path, field: {
        f"{path}__{field.target_field.name}__exact",
        f"{path}__isnull",
    },
    BooleanFieldListFilter: lambda path, field: {f"{path}__exact", f"{path}__isnull"},
    ChoicesFieldListFilter: lambda path, field: {f"{path}__exact", f"{path}__isnull"},
    DateFieldListFilter: lambda path, field: {f"{path}__gte", f"{path}__lt", f"{path}__isnull"},
    AllValuesFieldListFilter: lambda path, field: {path, f"{path}__isnull"},
    EmptyFieldListFilter: lambda path, field: {f"{path}__isempty"},
}
# A year that a date, and a date in any time zone, can hold with a day to spare.
_YEARS = range(datetime.MINYEAR + 1, datetime.MAXYEAR)


def _default_filter_class(field):
    """The filter Django picks for a field named alone in list_filter (FieldListFilter's
    registrations, in their order)."""
    if field.remote_field:
        return RelatedFieldListFilter
    if isinstance(field, models.BooleanField):
        return BooleanFieldListFilter
    if field.choices:
        return ChoicesFieldListFilter
    if isinstance(field, models.DateField):
        return DateFieldListFilter
    return AllValuesFieldListFilter


def declared_lookups(model_admin, request) -> set[str]:
    """Every query parameter the list's filters and date hierarchy read. A filter class this
    does not know is refused: its parameters cannot be vouched for."""
    names = set()
    for item in model_admin.get_list_filter(request):
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            names.add(item.parameter_name)
            continue
        path, filter_class = item if isinstance(item, (list, tuple)) else (item, None)
        if not isinstance(path, str):
            raise ImproperlyConfigured(f"{model_admin}: list_filter {item!r} is not declared.")
        field = get_fields_from_path(model_admin.model, path)[-1]
        filter_class = filter_class or _default_filter_class(field)
        known = next((k for k in _FILTER_PARAMETERS if issubclass(filter_class, k)), None)
        if known is None:
            raise ImproperlyConfigured(
                f"{model_admin}: the parameters of {filter_class.__name__} are not known; "
                "add it to coordinators.admin.input._FILTER_PARAMETERS."
            )
        names |= _FILTER_PARAMETERS[known](path, field)
    if hierarchy := model_admin.date_hierarchy:
        names |= {f"{hierarchy}__year", f"{hierarchy}__month", f"{hierarchy}__day"}
    return names


class RefusedLookup(IncorrectLookupParameters):
    """A query parameter the list does not declare: the list again, without it (``?e=1``)."""


class DeclaredLookupsChangeList(ChangeList):
    """A list that filters, searches and sorts only as its admin declares.

    Django's own list applies any lookup on the model's fields that comes in the query
    string (``?agenda__gte=M``), which answered questions about fields the page never shows;
    this one refuses every parameter that no declared filter, date hierarchy, search, sort
    or paging reads, and sorts only by the columns it shows as sortable.
    """

    def get_filters(self, request):
        self._check_order()
        self._check_date_hierarchy()
        try:
            specs, has_filters, remaining, duplicates, active = super().get_filters(request)
        except OverflowError as error:
            # A date hierarchy day past the year's end, near the calendar's edge.
            raise IncorrectLookupParameters(error) from error
        # Whatever was not read by a filter (or made by the date hierarchy from its year)
        # would be applied as a lookup of its own: refuse it, whatever lookup_allowed said.
        made = set()
        if (hierarchy := self.date_hierarchy) and f"{hierarchy}__year" in self.filter_params:
            made = {f"{hierarchy}__gte", f"{hierarchy}__lt"}
        if unread := set(remaining) - made:
            raise RefusedLookup(", ".join(sorted(unread)))
        return specs, has_filters, remaining, duplicates, active

    def _check_order(self):
        shown = self.sortable_by if self.sortable_by is not None else self.list_display
        for part in filter(None, self.params.get(ORDER_VAR, "").split(".")):
            _, _, index = part.rpartition("-")
            if not index.isdigit() or int(index) >= len(self.list_display):
                raise RefusedLookup(f"o={part}")
            # A shown column without an ordering (``__str__``) is offered and ignored by
            # Django alike; one of the sortable_by it leaves out is refused.
            if self.list_display[int(index)] not in shown:
                raise RefusedLookup(f"o={part}")

    def _check_date_hierarchy(self):
        if not self.date_hierarchy:
            return
        year = self.filter_params.get(f"{self.date_hierarchy}__year")
        try:
            if year is not None and int(year[-1]) not in _YEARS:
                raise RefusedLookup(f"year {year[-1]}")
        except ValueError as error:
            raise IncorrectLookupParameters(error) from error


class BadInputMixin(AutocompleteInputMixin):
    """For a ModelAdmin: put it first among the bases (after the scoping mixin)."""

    def get_changelist(self, request, **kwargs):
        return DeclaredLookupsChangeList

    def lookup_allowed(self, lookup, value, request):
        # Deny by default: only what the list's filters and date hierarchy read.
        return lookup in declared_lookups(self, request)

    def get_changelist_instance(self, request):
        # Django answers a refused list with the list again, bare, at ?e=1; say why there.
        try:
            return super().get_changelist_instance(request)
        except DisallowedModelAdminLookup as error:
            # lookup_allowed said no: the same answer as for any other refused parameter.
            self._say_refused(request)
            raise IncorrectLookupParameters(error) from error
        except IncorrectLookupParameters:
            self._say_refused(request)
            raise

    def _say_refused(self, request):
        self.message_user(
            request,
            "The list cannot be filtered or sorted that way; it is shown here without it.",
            messages.ERROR,
        )

    def changelist_view(self, request, extra_context=None):
        # ``?e=1`` is where a refused list lands, bare. With more beside it Django would
        # show its "database error" page for a parameter it refused; land bare instead.
        if ERROR_FLAG in request.GET and len(request.GET) > 1:
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return super().changelist_view(request, extra_context)

    def response_action(self, request, queryset, *args, **kwargs):
        # Django filters by the posted ids as they come; one that is not an id of this model
        # (a tampered form) was a server error. Answer as for an empty selection.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        try:
            queryset.filter(pk__in=selected)
        except (ValueError, ValidationError):
            self.message_user(
                request,
                "The selection was not understood. No items have been changed.",
                messages.WARNING,
            )
            return None
        return super().response_action(request, queryset, *args, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        # Django checks a non-empty ?_to_field= and then looks up the field by name, so an
        # empty one ("?_to_field=") on a change or delete page was a server error. Empty
        # means what it says: no field, the id.
        return super().get_object(request, object_id, from_field or None)
