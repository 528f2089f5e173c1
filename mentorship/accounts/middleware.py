"""Session idle timeout, and the second factor that staff need for the admin site."""

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


class RequireTwoFactorForStaffMiddleware:
    """With ``REQUIRE_2FA_FOR_STAFF`` on, coordinators and superusers reach the admin site
    only after a second factor in this session: enrolment first if they have no device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_verify(request):
            target = "two_factor_verify" if has_app(request.user) else "two_factor_setup"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _must_verify(request) -> bool:
        if not settings.REQUIRE_2FA_FOR_STAFF:
            return False
        admin = reverse("admin:index")
        if not request.path.startswith(admin):
            return False
        # Logging in and out of the admin stays possible; everything else waits.
        if request.path in (reverse("admin:login"), reverse("admin:logout")):
            return False
        return needs_second_factor(request.user) and not request.user.is_verified()
