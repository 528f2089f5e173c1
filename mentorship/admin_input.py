"""Malformed requests that Django's admin would turn into server errors, answered as Django
answers the nearest honest mistake. Every admin of ours mixes this in."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError


class BadInputMixin:
    """For a ModelAdmin: put it first among the bases."""

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
