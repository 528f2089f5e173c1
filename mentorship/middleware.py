from django.core.exceptions import BadRequest
from django.utils import timezone
from django.utils.cache import patch_cache_control


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


class PrivateResponsesMiddleware:
    """Nothing served to a logged-in person is kept by a cache: ``Cache-Control: private,
    no-store`` on every response to them, whatever view, fragment, redirect or error made it.

    Decided once, here, rather than view by view: nearly every logged-in page shows what
    partners wrote (the workspace, check-ins, goals, agreements, htmx fragments of them),
    the rest shows a person's own details, and a page that forgets a decorator must not
    leave a private note in a shared proxy or on a shared computer's disk. Anonymous pages
    are left as they are. Listed right after the authentication middleware, so it also
    marks what the later ones answer (the second-factor redirect, the lockout page).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Before and after: logging out ends on an anonymous page, logging in on a person's.
        was_authenticated = request.user.is_authenticated
        response = self.get_response(request)
        if was_authenticated or request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
