"""A batch of reminders goes over one SMTP connection, opened by its first send and closed
when the batch ends; a connection whose send failed is never used again."""

import datetime

import pytest
import time_machine

from partnerships.models import Partnership, Reminder
from reminders.send import Outcome, deliver_batch
from reminders.sweep import sweep
from tests.reminders.conftest import due_on, local
from tests.reminders.smtp import Inbox, SMTPServer

DUE = datetime.date(2026, 12, 16)
# 09:00 in New York, where Milo is: Mara's reminder (09:00 London) is due too.
MONDAY_9_NEW_YORK = local("America/New_York", 2026, 12, 14, 9)


class ConnectionsInbox(Inbox):
    """Also notes the client connection (address and port) each message came over and
    each connection that said QUIT, and can refuse just the next message."""

    def __init__(self):
        super().__init__()
        self.peers = []
        self.quit = []
        self.refuse_next: str | None = None  # e.g. "451 4.3.0 Try again later"

    async def handle_DATA(self, server, session, envelope):
        self.peers.append(session.peer)
        if self.refuse_next:
            reply, self.refuse_next = self.refuse_next, None
            return reply
        return await super().handle_DATA(server, session, envelope)

    async def handle_QUIT(self, server, session, envelope):
        self.quit.append(session.peer)
        return "221 Bye"


@pytest.fixture
def smtp_server(settings):
    server = SMTPServer()
    server.inbox = ConnectionsInbox()
    server.start()
    settings.MAILERS = server.mailer()
    yield server
    server.stop()


@pytest.fixture
def both_queued(partnership, mentor, mentee, django_capture_on_commit_callbacks):
    """Mara's and Milo's "check-in coming up", recorded and queued: [Mara's, Milo's]."""
    Partnership.objects.filter(pk=partnership.pk).update(started_on=datetime.date(2026, 11, 2))
    due_on(partnership, DUE)
    with time_machine.travel(MONDAY_9_NEW_YORK, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            sweep(dispatch=lambda ids: None)
    reminders = [
        Reminder.objects.get(recipient=person, status="queued") for person in (mentor, mentee)
    ]
    return [reminder.pk for reminder in reminders]


def send(*batches: list[int]) -> list[Outcome]:
    outcomes = []
    with time_machine.travel(MONDAY_9_NEW_YORK, tick=False):
        for batch in batches:
            outcomes += deliver_batch(batch).values()
    return outcomes


def test_a_batch_goes_over_one_connection_closed_when_the_batch_ends(both_queued, smtp_server):
    assert send(both_queued) == [Outcome.SENT, Outcome.SENT]
    assert len(smtp_server.inbox.messages) == 2
    assert len(set(smtp_server.inbox.peers)) == 1
    assert smtp_server.inbox.quit == smtp_server.inbox.peers[:1]


def test_each_batch_opens_a_connection_of_its_own(both_queued, smtp_server):
    mara, milo = both_queued
    assert send([mara], [milo]) == [Outcome.SENT, Outcome.SENT]
    assert len(set(smtp_server.inbox.peers)) == 2
    assert smtp_server.inbox.quit == smtp_server.inbox.peers


def test_after_a_failed_send_the_rest_of_the_batch_goes_over_a_new_connection(
    both_queued, smtp_server
):
    smtp_server.inbox.refuse_next = "451 4.3.0 Try again later"
    assert send(both_queued) == [Outcome.RETRY, Outcome.SENT]
    assert len(smtp_server.inbox.messages) == 1
    failed, sent = smtp_server.inbox.peers
    assert failed != sent
    assert smtp_server.inbox.quit == [failed, sent]


def test_a_batch_with_nothing_to_send_connects_to_nothing(both_queued, smtp_server, mentor, mentee):
    for person in (mentor, mentee):
        person.email_reminders = False
        person.save(update_fields=["email_reminders"])
    assert send(both_queued) == [Outcome.SKIPPED, Outcome.SKIPPED]
    assert (smtp_server.inbox.peers, smtp_server.inbox.quit) == ([], [])


def test_without_smtp_a_batch_is_one_file_holding_each_email(both_queued, settings, tmp_path):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }
    assert send(both_queued) == [Outcome.SENT, Outcome.SENT]
    [file] = tmp_path.iterdir()
    assert file.read_text().count("\nSubject: Check-in with ") == 2
