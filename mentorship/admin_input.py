"""Malformed requests that Django's admin would turn into server errors, answered as Django
answers the nearest honest mistake. Every admin of ours mixes this in."""

from django.contrib import messages
from django.contrib.admin import helpers, widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError


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


class BoundedChangeList(ChangeList):
    """A date-hierarchy year too big for a date (``?held_on__year=2147483648``) overflowed
    where Django expects only ValueError: now it is a bad filter like any other (the list
    again, with ``?e=1``)."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class BadInputMixin(AutocompleteInputMixin):
    """For a ModelAdmin: put it first among the bases."""

    def get_changelist(self, request, **kwargs):
        return BoundedChangeList

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
