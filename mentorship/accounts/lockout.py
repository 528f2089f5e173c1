"""What django-axes does when a username + IP pair is locked out."""

import math

from axes.models import AccessBase
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render

# django-axes stores the username in a column of this many characters. No email address is
# longer than 254, so cutting a longer one there changes nobody's lock.
USERNAME_MAX = AccessBase._meta.get_field("username").max_length


def username_of(request, credentials) -> str:
    """The email as a person types it, in any case: Ada@x and ada@x are one lock.

    Cut to the column's length: a longer one made the failed login a server error."""
    source = credentials or request.POST
    return (source.get("username") or "").strip().lower()[:USERNAME_MAX]


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the email kept and a plain explanation (not a bare 403).

    429 Too Many Requests: the right status for scripts, the same page for people. Someone
    already logged in was typing their own password again on an account form (see
    accounts/reauth.py): they get the same explanation, without a login form.
    """
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    if request.user.is_authenticated:
        return render(
            request,
            "registration/password_locked.html",
            {"cooloff_minutes": minutes},
            status=429,
        )
    # Unbound: validating it would try to log in again, and count another failure.
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "locked_out": True,
            "cooloff_minutes": minutes,
            "next": request.POST.get("next", request.GET.get("next", "")),
        },
        status=429,
    )
