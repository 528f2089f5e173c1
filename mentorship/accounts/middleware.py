"""Session idle timeout, and the second step of logging in (two-factor sign-in)."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from mentorship.accounts.two_factor import has_app, needs_second_factor

LAST_SEEN_KEY = "last_seen"
# Writing the session on every request would cost a write per page; once a minute is enough.
TOUCH_EVERY_SECONDS = 60


def start_idle_clock(sender, request, user, **kwargs):
    """On login, so that the first page after it does not have to write the session."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())


class SessionIdleTimeoutMiddleware:
    """Log out a session nobody has used for ``SESSION_IDLE_TIMEOUT`` seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                login = reverse(settings.LOGIN_URL)
                return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
            if now - last_seen >= TOUCH_EVERY_SECONDS or LAST_SEEN_KEY not in request.session:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


# Whether a person has a second factor is read from the database again at most this
# often per session: a query on every page would cost every partner, most of whom have
# none, while a device turned on in another session must not wait for the next login.
SECOND_FACTOR_KEY = "has_second_factor"
SECOND_FACTOR_CHECKED_KEY = "second_factor_checked"
SECOND_FACTOR_RECHECK_SECONDS = 60


def has_second_factor(request) -> bool:
    """Whether the logged-in person has a confirmed authenticator app, as of a minute ago
    at most (see ``second_factor_changed`` for the session that changed it)."""
    session = request.session
    now = int(time.time())
    if (
        SECOND_FACTOR_KEY not in session
        or now - session.get(SECOND_FACTOR_CHECKED_KEY, 0) >= SECOND_FACTOR_RECHECK_SECONDS
    ):
        session[SECOND_FACTOR_KEY] = has_app(request.user)
        session[SECOND_FACTOR_CHECKED_KEY] = now
    return session[SECOND_FACTOR_KEY]


def second_factor_changed(request) -> None:
    """This session turned the second factor on or off: read it again on the next page."""
    request.session.pop(SECOND_FACTOR_KEY, None)


class SecondFactorMiddleware:
    """The second step of logging in, before any page is served.

    Whoever has an authenticator app gets the code page first, whatever they asked for,
    until this session has passed it: partners who turned it on, always; coordinators and
    superusers with ``REQUIRE_2FA_FOR_STAFF`` on, who without an app reach the admin site
    only after setting one up. With the setting off, coordinators go straight in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        target = self._second_step(request)
        if target is not None:
            # After the code, back to the page asked for; a POST cannot be replayed.
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return redirect(f"{reverse(target)}?{query}" if query else reverse(target))
        return self.get_response(request)

    @staticmethod
    def _second_step(request) -> str | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        # Logging out, and the code page itself, stay possible; everything else waits.
        if request.path in (
            reverse("two_factor_verify"),
            reverse("logout"),
            reverse("admin:login"),
            reverse("admin:logout"),
        ):
            return None
        staff = needs_second_factor(user)
        if staff and not settings.REQUIRE_2FA_FOR_STAFF:
            return None  # the setting decides for coordinators (off for `make run`'s demo)
        if has_second_factor(request):
            return "two_factor_verify"
        if staff and request.path.startswith(reverse("admin:index")):
            return "two_factor_setup"
        return None
