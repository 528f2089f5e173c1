"""Sending: one claim wins, temporary SMTP failures retry with backoff and then fail with
the error, permanent ones fail at once, quiet hours hold a late send, and an expired lease
is reclaimed. Against a real SMTP server on loopback."""

import datetime

import pytest
import time_machine

from partnerships.models import Partnership, Reminder, ReminderOptOut
from reminders.send import Outcome, claim, deliver, deliver_batch
from reminders.sweep import sweep
from tests.reminders.conftest import due_on, local
from tests.reminders.smtp import SMTPServer

DUE = datetime.date(2026, 12, 16)
MONDAY_9_LONDON = local("Europe/London", 2026, 12, 14, 9)


@pytest.fixture
def smtp_server(settings):
    server = SMTPServer().start()
    settings.MAILERS = server.mailer()
    yield server
    server.stop()


def sweep_at_nine_london(partnership, capture) -> list[Reminder]:
    """Record and queue "check-in coming up" at 09:00 London; the rows it queued."""
    Partnership.objects.filter(pk=partnership.pk).update(started_on=datetime.date(2026, 11, 2))
    due_on(partnership, DUE)
    with time_machine.travel(MONDAY_9_LONDON, tick=False):
        with capture(execute=True):
            sweep(dispatch=lambda ids: None)
    return list(Reminder.objects.filter(status="queued").order_by("pk"))


@pytest.fixture
def queued_reminder(partnership, mentor, django_capture_on_commit_callbacks):
    """The mentor's reminder (the mentee, in New York, is not up yet)."""
    [reminder] = sweep_at_nine_london(partnership, django_capture_on_commit_callbacks)
    assert reminder.recipient == mentor
    return reminder


def test_the_first_claim_wins_and_a_second_delivery_of_the_task_sends_nothing(
    queued_reminder, smtp_server
):
    with time_machine.travel(MONDAY_9_LONDON, tick=False):
        assert deliver(queued_reminder.pk) == Outcome.SENT
        assert deliver(queued_reminder.pk) == Outcome.NOT_CLAIMED
    assert len(smtp_server.inbox.messages) == 1
    queued_reminder.refresh_from_db()
    assert (queued_reminder.status, queued_reminder.attempts, queued_reminder.sent_at) == (
        "sent",
        1,
        MONDAY_9_LONDON,
    )


def test_a_row_claimed_by_one_worker_cannot_be_claimed_by_another(queued_reminder):
    assert [r.attempts for r in claim([queued_reminder.pk], now=MONDAY_9_LONDON)] == [1]
    assert claim([queued_reminder.pk], now=MONDAY_9_LONDON) == []


def test_a_temporary_smtp_failure_is_retried_with_backoff_then_failed_with_the_error(
    queued_reminder, smtp_server, settings
):
    settings.REMINDER_MAX_ATTEMPTS = 3
    settings.REMINDER_RETRY_BASE_SECONDS = 60
    smtp_server.inbox.reply = "451 4.3.0 Mailbox busy, try again later"
    moment = MONDAY_9_LONDON
    outcomes, waits = [], []
    for _ in range(3):
        with time_machine.travel(moment, tick=False):
            outcomes.append(deliver(queued_reminder.pk))
        queued_reminder.refresh_from_db()
        if queued_reminder.status == "pending":
            waits.append((queued_reminder.send_after - moment).total_seconds())
            moment = queued_reminder.send_after
            Reminder.objects.filter(pk=queued_reminder.pk).update(
                status="queued", lease_until=moment
            )
    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.FAILED]
    assert waits == [60, 120]
    assert queued_reminder.status == "failed"
    assert queued_reminder.attempts == 3
    assert queued_reminder.last_error == (
        "Attempt 3 of 3: SMTPDataError: (451, b'4.3.0 Mailbox busy, try again later')"
    )
    assert smtp_server.inbox.messages == []


def test_a_permanent_smtp_failure_fails_at_once_with_the_error(queued_reminder, smtp_server):
    smtp_server.inbox.reply = "550 5.1.1 No such mailbox"
    with time_machine.travel(MONDAY_9_LONDON, tick=False):
        assert deliver(queued_reminder.pk) == Outcome.FAILED
    queued_reminder.refresh_from_db()
    assert queued_reminder.status == "failed"
    assert (
        queued_reminder.last_error
        == "Attempt 1 of 6: SMTPDataError: (550, b'5.1.1 No such mailbox')"
    )


def test_smtp_down_is_a_temporary_failure(queued_reminder, settings):
    settings.MAILERS = SMTPServer().mailer()  # nothing listens on that port
    with time_machine.travel(MONDAY_9_LONDON, tick=False):
        assert deliver(queued_reminder.pk) == Outcome.RETRY
    queued_reminder.refresh_from_db()
    assert queued_reminder.status == "pending"
    assert queued_reminder.last_error.startswith("Attempt 1: ConnectionRefusedError")


def test_a_send_that_comes_late_into_quiet_hours_is_held_until_morning(
    queued_reminder, smtp_server
):
    late = local("Europe/London", 2026, 12, 14, 22, 30)  # a backlog kept it waiting all day
    with time_machine.travel(late, tick=False):
        assert deliver(queued_reminder.pk) == Outcome.HELD
    queued_reminder.refresh_from_db()
    assert (queued_reminder.status, queued_reminder.attempts) == ("pending", 0)
    assert queued_reminder.send_after == local("Europe/London", 2026, 12, 15, 8)
    assert smtp_server.inbox.messages == []


def test_a_row_whose_worker_died_mid_send_is_claimed_again_after_its_lease(
    queued_reminder, smtp_server, settings
):
    settings.REMINDER_SEND_LEASE_SECONDS = 120
    assert (
        len(claim([queued_reminder.pk], now=MONDAY_9_LONDON)) == 1
    )  # ... then the worker was killed
    dispatched: list[int] = []
    with time_machine.travel(MONDAY_9_LONDON + datetime.timedelta(seconds=119), tick=False):
        assert sweep(dispatch=dispatched.extend).reclaimed == 0
    with time_machine.travel(MONDAY_9_LONDON + datetime.timedelta(seconds=121), tick=False):
        result = sweep(dispatch=dispatched.extend)
        assert result.reclaimed == 1
        assert result.queued == [queued_reminder.pk]
        assert deliver(queued_reminder.pk) == Outcome.SENT
    queued_reminder.refresh_from_db()
    assert (queued_reminder.status, queued_reminder.attempts) == ("sent", 2)


def test_a_worker_lost_too_many_times_fails_the_row_instead_of_looping(queued_reminder, settings):
    settings.REMINDER_MAX_ATTEMPTS = 1
    claim([queued_reminder.pk], now=MONDAY_9_LONDON)
    later = MONDAY_9_LONDON + datetime.timedelta(seconds=settings.REMINDER_SEND_LEASE_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert sweep(dispatch=lambda ids: None).failed_lost == 1
    queued_reminder.refresh_from_db()
    assert queued_reminder.status == "failed"
    assert (
        queued_reminder.last_error
        == "The worker sending it stopped before finishing, too many times."
    )


@pytest.fixture
def both_queued_reminders(partnership, mentee, django_capture_on_commit_callbacks):
    """The mentor's and the mentee's reminders, both queued by the same sweep."""
    mentee.time_zone = "Europe/London"
    mentee.save(update_fields=["time_zone"])
    rows = sweep_at_nine_london(partnership, django_capture_on_commit_callbacks)
    assert len(rows) == 2
    return rows


def test_a_batch_is_claimed_at_once_and_honours_each_persons_opt_outs(
    both_queued_reminders, smtp_server, django_assert_num_queries
):
    first, second = both_queued_reminders
    ReminderOptOut.objects.create(user=second.recipient, kind=second.kind)
    # Claim (savepoint, select, update, release), opt-outs, then one outcome update per row:
    # nothing loaded row by row.
    with time_machine.travel(MONDAY_9_LONDON, tick=False), django_assert_num_queries(7):
        outcomes = deliver_batch([first.pk, second.pk, 999_999])
    assert outcomes == {first.pk: "sent", second.pk: "skipped", 999_999: "not claimed"}
    assert [m["To"] for m in smtp_server.inbox.messages] == [first.recipient.email]


def test_a_batch_running_short_of_lease_hands_the_rest_back_for_the_next_sweep(
    both_queued_reminders, smtp_server, settings
):
    settings.REMINDER_SEND_LEASE_SECONDS = 2  # the batch stops sending after 1 s
    smtp_server.inbox.stall_seconds = 1.2
    first, second = both_queued_reminders
    with time_machine.travel(MONDAY_9_LONDON, tick=True):
        outcomes = deliver_batch([first.pk, second.pk])
    assert outcomes == {first.pk: "sent", second.pk: "not claimed"}
    second.refresh_from_db()
    assert (second.status, second.attempts, second.lease_until) == ("pending", 0, None)
    assert len(smtp_server.inbox.messages) == 1
