"""A logged-in person typing their own password again (to change it, change their email,
delete their account or turn off two-factor sign-in) is checked exactly as a login is.

A stolen session must not become a free password oracle: every wrong password counts
towards the same django-axes lock as a failed login (that email, from that IP), a locked
pair is refused before the password is even looked at, and a right one clears the count.
"""

from axes.utils import reset
from django.conf import settings
from django.contrib.auth import authenticate

from mentorship.accounts.client_ip import client_ip
from mentorship.accounts.lockout import username_of


def password_confirm(*, request, user, password: str) -> bool:
    """Whether ``password`` is ``user``'s own, asked of the authentication backends.

    ``authenticate()`` is what login calls: the axes backend refuses a locked pair first
    (and marks the request, so the middleware answers with the lockout page), a wrong
    password sends ``user_login_failed``, which axes counts. Only ``login()`` would clear the
    count on success, and this is no login, so that is done here, as login would."""
    found = authenticate(request, username=user.get_username(), password=password)
    if found is None or found.pk != user.pk:
        return False
    if settings.AXES_RESET_ON_SUCCESS:
        reset(ip=client_ip(request), username=username_of(request, {"username": user.email}))
    return True
