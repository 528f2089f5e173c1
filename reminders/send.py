"""Sending reminders, a batch per task: claim the rows (one transaction), then for each
check it is still due and allowed now, mail it over the batch's SMTP connection and
record the outcome at once. Claims and outcomes are conditional updates on the row, so a
duplicate task, a second worker or a reclaimed lease can never send the same reminder
twice at once; a batch that runs short of lease hands its remaining rows back.
"""

import datetime
import logging
import smtplib
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from partnerships import timing
from partnerships.models import Reminder
from partnerships.models.reminder import ReminderStatus
from reminders.compose import compose
from reminders.kinds import MODULE_OF
from reminders.mailer import BatchMailer
from reminders.preferences import turned_off

logger = logging.getLogger(__name__)


class Outcome(StrEnum):
    SENT = "sent"
    NOT_CLAIMED = "not claimed"  # another worker has it, or it is no longer queued
    HELD = "held"  # quiet hours now: back to pending until they end
    SKIPPED = "skipped"  # no longer due, or turned off
    RETRY = "retry"  # temporary failure: pending again after a backoff
    FAILED = "failed"  # permanent failure, or out of attempts


def is_temporary(error: Exception) -> bool:
    """4xx replies, dropped connections and network errors are worth retrying; 5xx are not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, smtplib.SMTPException | OSError)


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.REMINDER_RETRY_BASE_SECONDS * 2 ** (attempts - 1))


def claim(ids: list[int], *, now: datetime.datetime) -> list[Reminder]:
    """Queued → sending, with a lease: the rows this caller won, loaded for sending, each
    with its new attempt number. Rows another worker is claiming are skipped, not waited on."""
    lease = now + datetime.timedelta(seconds=settings.REMINDER_SEND_LEASE_SECONDS)
    with transaction.atomic():
        won = list(
            Reminder.objects.filter(pk__in=ids, status=ReminderStatus.QUEUED)
            .select_related(
                "recipient", "programme", "partnership__mentor__user", "partnership__mentee__user"
            )
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
        )
        Reminder.objects.filter(pk__in=[r.pk for r in won]).update(
            status=ReminderStatus.SENDING,
            lease_until=lease,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    for reminder in won:
        reminder.status, reminder.lease_until = ReminderStatus.SENDING, lease
        reminder.attempts += 1
    return won


def _finish(reminder: Reminder, **fields) -> bool:
    """Record an outcome, only if the row is still ours (same claim, same attempt)."""
    fields.setdefault("lease_until", None)
    done = Reminder.objects.filter(
        pk=reminder.pk, status=ReminderStatus.SENDING, attempts=reminder.attempts
    ).update(updated_at=timezone.now(), **fields)
    if not done:
        logger.warning("reminder %s: lease lost before recording %s", reminder.pk, fields)
    return bool(done)


def deliver_batch(ids: list[int], *, now: datetime.datetime | None = None) -> dict[int, Outcome]:
    """Claim and send these reminders; the outcome of each (not claimed if another had it)."""
    now = now or timezone.now()
    claimed = claim(ids, now=now)
    outcomes = dict.fromkeys(ids, Outcome.NOT_CLAIMED)
    opted_out = turned_off({r.recipient_id for r in claimed})
    # Stop well before the lease ends (past it, the sweep may give a row to another worker):
    # what is left goes back to pending, for the next sweep.
    stop_at = now + datetime.timedelta(seconds=settings.REMINDER_SEND_LEASE_SECONDS / 2)
    with BatchMailer() as mailer:
        for reminder in claimed:
            if timezone.now() >= stop_at:
                _finish(
                    reminder,
                    status=ReminderStatus.PENDING,
                    send_after=timezone.now(),
                    attempts=reminder.attempts - 1,
                )
                continue
            outcomes[reminder.pk] = _deliver_claimed(
                reminder, now=timezone.now(), opted_out=opted_out, mailer=mailer
            )
    return outcomes


def deliver(reminder_id: int, *, now: datetime.datetime | None = None) -> Outcome:
    """One reminder (the command line and tests); workers send batches."""
    return deliver_batch([reminder_id], now=now)[reminder_id]


def _deliver_claimed(
    reminder: Reminder, *, now: datetime.datetime, opted_out: set, mailer: BatchMailer
) -> Outcome:
    attempt = reminder.attempts
    tz = reminder.recipient.tzinfo
    allowed = timing.next_allowed(now, tz, reminder.programme)
    if allowed > now:
        # Late (a backlog, a retry) and now inside quiet hours: held until they end.
        _finish(reminder, status=ReminderStatus.PENDING, send_after=allowed, attempts=attempt - 1)
        return Outcome.HELD

    reason = skip_reason(reminder, opted_out=opted_out)
    if reason:
        _finish(reminder, status=ReminderStatus.SKIPPED, last_error=f"Skipped: {reason}.")
        return Outcome.SKIPPED

    try:
        mailer.send(compose(reminder))
    except Exception as error:
        text = f"{error.__class__.__name__}: {error}"
        if is_temporary(error) and attempt < settings.REMINDER_MAX_ATTEMPTS:
            retry_at = timing.next_allowed(now + backoff(attempt), tz, reminder.programme)
            logger.warning(
                "reminder %s: attempt %s failed (%s); retry at %s",
                reminder.pk,
                attempt,
                text,
                retry_at,
            )
            _finish(
                reminder,
                status=ReminderStatus.PENDING,
                send_after=retry_at,
                last_error=f"Attempt {attempt}: {text}",
            )
            return Outcome.RETRY
        logger.exception("reminder %s: giving up after attempt %s", reminder.pk, attempt)
        _finish(
            reminder,
            status=ReminderStatus.FAILED,
            last_error=f"Attempt {attempt} of {settings.REMINDER_MAX_ATTEMPTS}: {text}",
        )
        return Outcome.FAILED

    _finish(reminder, status=ReminderStatus.SENT, sent_at=timezone.now(), last_error="")
    return Outcome.SENT


def skip_reason(reminder: Reminder, *, opted_out: set) -> str | None:
    """Why not to send it now; ``opted_out`` holds the batch's (user id, kind) opt-outs."""
    recipient = reminder.recipient
    if not recipient.is_active:
        return "the recipient's account is inactive"
    if not recipient.email_reminders:
        return "the recipient turned email reminders off"
    if (recipient.pk, reminder.kind) in opted_out:
        return f"the recipient turned off “{reminder.get_kind_display()}”"
    return MODULE_OF[reminder.kind].still_due(reminder)


def resend(reminders) -> int:
    """Failed rows back to pending, from now, with a fresh set of attempts (admin action)."""
    return reminders.filter(status=ReminderStatus.FAILED).update(
        status=ReminderStatus.PENDING,
        send_after=timezone.now(),
        attempts=0,
        lease_until=None,
        updated_at=timezone.now(),
    )
