"""Absolute links for emails, all at SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse

UNSUBSCRIBE_SALT = "reminders.unsubscribe"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def mail_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def dashboard_url() -> str:
    return absolute(reverse("home"))


def partnership_url(partnership) -> str:
    return absolute(reverse("partnerships:workspace", args=[partnership.code]))


def checkin_url(checkin) -> str:
    return absolute(reverse("partnerships:checkin", args=[checkin.code]))


def goal_url(goal) -> str:
    return absolute(reverse("goals:detail", args=[goal.code]))


def admin_url(obj) -> str:
    meta = obj._meta
    return absolute(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))


def unsubscribe_token(user, kind: str) -> str:
    """Signed, not encrypted, and without expiry: RFC 8058 wants the link to keep working."""
    return signing.dumps({"user": user.pk, "kind": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, kind); raises signing.BadSignature for anything we did not sign."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["user"]), str(data["kind"])


def unsubscribe_url(user, kind: str) -> str:
    return absolute(reverse("reminders:unsubscribe", args=[unsubscribe_token(user, kind)]))


def preferences_url() -> str:
    return absolute(reverse("reminders:preferences"))


def message_id(reminder) -> str:
    """The same for every attempt, so a re-send is recognisably the same message."""
    return f"<reminder-{reminder.code}@{mail_domain()}>"
