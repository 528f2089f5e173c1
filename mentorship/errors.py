"""Server errors: a database that is away is a 503 with a clear page, not a 500.

Django turns every uncaught exception, in a view or in a middleware (sessions, the user,
the time zone), into a call to ``handler500`` while the exception is still being handled,
so this one place sees them all.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 5


def is_database_unavailable(error: BaseException | None) -> bool:
    """Connection refused, the server restarting or shutting down, a connection gone."""
    return isinstance(error, (OperationalError, InterfaceError))


def database_unavailable(request) -> HttpResponse:
    # No request context: the context processors would ask the database for the user.
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    return defaults.server_error(request, template_name=template_name)
