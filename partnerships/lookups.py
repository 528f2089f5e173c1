from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404


def get_or_404(queryset, **lookup):
    """get_object_or_404 that also treats a malformed id (from a URL or a form) as not found."""
    try:
        return get_object_or_404(queryset, **lookup)
    except (ValueError, ValidationError) as error:
        raise Http404 from error
