"""Reminders in a row share one SMTP connection per worker process; one that failed is
never used again."""

import datetime

import pytest
import time_machine

from partnerships.models import Partnership, Reminder
from reminders import mailer
from reminders.send import deliver
from reminders.sweep import sweep
from tests.reminders.conftest import due_on, local
from tests.reminders.smtp import Inbox, SMTPServer

DUE = datetime.date(2026, 12, 16)
MONDAY_9_LONDON = local("Europe/London", 2026, 12, 14, 9)


class PeerInbox(Inbox):
    """Also notes which client connection (address and port) each message came over."""

    def __init__(self):
        super().__init__()
        self.peers = []

    async def handle_DATA(self, server, session, envelope):
        self.peers.append(session.peer)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def smtp(settings):
    server = SMTPServer()
    server.inbox = PeerInbox()
    server.start()
    settings.MAILERS = server.mailer()
    yield server
    mailer.close()
    server.stop()


@pytest.fixture
def queued(partnership, mentor, django_capture_on_commit_callbacks):
    """The mentor's "check-in coming up", recorded and queued at 09:00 London."""
    Partnership.objects.filter(pk=partnership.pk).update(started_on=datetime.date(2026, 11, 2))
    due_on(partnership, DUE)
    with time_machine.travel(MONDAY_9_LONDON, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            sweep(dispatch=lambda ids: None)
    return Reminder.objects.get(recipient=mentor)


def send_twice(reminder) -> list[str]:
    """Deliver it, put it back in the queue (as the admin's "send again" would), and
    deliver it again: two sends in a row from one process."""
    outcomes = []
    with time_machine.travel(MONDAY_9_LONDON, tick=False):
        for _ in range(2):
            outcomes.append(str(deliver(reminder.pk)))
            Reminder.objects.filter(pk=reminder.pk).update(
                status="queued", send_after=MONDAY_9_LONDON, lease_until=MONDAY_9_LONDON
            )
    return outcomes


def test_two_reminders_in_a_row_go_over_one_connection(queued, smtp):
    assert send_twice(queued) == ["sent", "sent"]
    assert len(smtp.inbox.peers) == 2
    assert len(set(smtp.inbox.peers)) == 1


def test_after_a_failed_send_the_next_reminder_opens_a_new_connection(queued, smtp):
    smtp.inbox.reply = "451 4.3.0 Try again later"
    with time_machine.travel(MONDAY_9_LONDON, tick=False):
        first = str(deliver(queued.pk))
    Reminder.objects.filter(pk=queued.pk).update(
        status="queued", send_after=MONDAY_9_LONDON, lease_until=MONDAY_9_LONDON
    )
    smtp.inbox.reply = None
    with time_machine.travel(MONDAY_9_LONDON, tick=False):
        second = str(deliver(queued.pk))
    assert (first, second) == ("retry", "sent")
    assert len(smtp.inbox.peers) == 2
    assert smtp.inbox.peers[0] != smtp.inbox.peers[1]
