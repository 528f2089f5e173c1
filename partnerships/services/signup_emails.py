"""The words of sign-up's emails, and sending one now (partnerships/tasks.py calls these,
and tries again when the mail server fails)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from mentorship.email import email_send
from partnerships.models import Application
from partnerships.services.signup import (
    CONFIRM_VALID_FOR,
    JOIN_VALID_FOR,
    confirm_token,
    join_token,
)

# Why each email came: the footer's line, in the reminders' layout.
WHY = {
    "confirm": "someone (we hope you) signed up to {programme} with this address.",
    "already_applied": "someone (we hope you) signed up to {programme} with this address.",
    "member": "someone (we hope you) signed up to {programme} with this address.",
    "received": "you confirmed your sign-up to {programme}.",
    "approved": "you signed up to {programme} and a coordinator decided.",
    "declined": "you signed up to {programme} and a coordinator decided.",
}


def _site_link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def application_email_send(application: Application, kind: str) -> None:
    """Render and send one of an application's emails now (the task calls this; it raises
    when the mail server does, so the task tries again)."""
    programme = application.programme
    has_account = get_user_model().objects.filter(email=application.email).exists()
    context = {
        "application": application,
        "programme": programme,
        "name": application.name,
        "has_account": has_account,
        "why": WHY[kind].format(programme=programme),
        "valid_days": CONFIRM_VALID_FOR.days,
        "login_url": _site_link(reverse("login")),
    }
    if kind == "confirm":
        context["action_url"] = _site_link(
            reverse("signup:confirm", args=[confirm_token(application)])
        )
    elif kind == "approved":
        user = application.user
        if user is not None and not user.has_usable_password():
            context["action_url"] = _site_link(
                reverse("signup:welcome", args=[join_token(application)])
            )
            context["sets_password"] = True
            context["valid_days"] = JOIN_VALID_FOR.days
        else:
            context["action_url"] = _site_link(reverse("home"))
    elif kind in ("received", "already_applied", "declined"):
        context["action_url"] = ""
    email_send(f"signup_{kind}", to=application.email, context=context)


def member_email_send(programme, email: str, name: str) -> None:
    """To an address already in the programme that signed up again."""
    email_send(
        "signup_member",
        to=email,
        context={
            "programme": programme,
            "name": name,
            "why": WHY["member"].format(programme=programme),
            "action_url": _site_link(reverse("login")),
        },
    )
