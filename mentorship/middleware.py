from django.core.exceptions import BadRequest
from django.utils import timezone


class RefuseNulInQueryMiddleware:
    """A query string holding a NUL character is refused (400) before any view sees it.

    PostgreSQL cannot store or compare text with NUL in it, and some views pass query
    parameters straight into a query (the admin's list filters and its autocomplete), so a
    ``%00`` in a link was a server error. No real link carries one; posted form fields are
    left to the forms, which refuse NUL with a message beside the field.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise BadRequest("A NUL character in the query string.")
        return self.get_response(request)


class UserTimeZoneMiddleware:
    """Show every date and time in the logged-in person's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.tzinfo)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
