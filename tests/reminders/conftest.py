"""Reminder tests: a clock that can be frozen anywhere, and one helper that runs the
sweep the way beat and a worker would (sweep, commit, then send each queued id)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail

from partnerships.models import Partnership
from reminders.send import deliver
from reminders.sweep import sweep
from tests.reminders.smtp import SMTPServer


def local(zone: str, *args) -> datetime.datetime:
    """An aware moment on a person's wall clock: local("Europe/London", 2026, 3, 29, 9)."""
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone))


@pytest.fixture
def run_sweep(django_capture_on_commit_callbacks):
    """Sweep at a frozen moment, then deliver what it queued; returns the outcomes."""

    def run(moment: datetime.datetime) -> list[str]:
        with time_machine.travel(moment, tick=False):
            ready: list[int] = []
            with django_capture_on_commit_callbacks(execute=True):
                sweep(dispatch=ready.extend)
            return [str(deliver(reminder_id)) for reminder_id in ready]

    return run


def due_on(partnership: Partnership, day: datetime.date) -> Partnership:
    """Make the partnership's next check-in due on ``day`` (as a logged check-in would)."""
    Partnership.objects.filter(pk=partnership.pk).update(next_checkin_due_on=day)
    partnership.refresh_from_db()
    return partnership


def days(first: datetime.date, last: datetime.date):
    while first <= last:
        yield first
        first += datetime.timedelta(days=1)


def is_notification(message) -> bool:
    """Notifications of a partner's action ride the same outbox; their tests are their own
    (tests/reminders/test_notification_emails.py)."""
    kind = message.extra_headers.get("X-Mentorship-Reminder", "").split()[:1]
    return kind in (["notification"], ["notification_digest"])


def sent_to(user) -> list:
    """The reminders emailed to ``user``."""
    return [m for m in mail.outbox if m.to == [user.email] and not is_notification(m)]


def kinds_sent_to(user) -> list[str]:
    return [m.extra_headers["X-Mentorship-Reminder"].split()[0] for m in sent_to(user)]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback that the mailer sends to, and links to a real site."""
    server = SMTPServer().start()
    settings.MAILERS = server.mailer()
    settings.SITE_URL = "https://mentoring.example.org"
    yield server
    server.stop()
