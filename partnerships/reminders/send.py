"""Sending one reminder: claim the row, check it is still due and allowed now, mail it,
and record the outcome. Every step is a conditional update on the row, so a duplicate
task, a second worker or a reclaimed lease can never send the same reminder twice at once.
"""

import datetime
import logging
import smtplib
from enum import StrEnum

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from partnerships.models import Reminder, ReminderOptOut
from partnerships.models.reminder import ReminderStatus
from partnerships.reminders import mailer, timing
from partnerships.reminders.compose import compose
from partnerships.reminders.kinds import MODULE_OF

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


def claim(reminder_id: int, *, now: datetime.datetime) -> int | None:
    """Queued → sending, with a lease; returns the attempt number if this caller won."""
    lease = now + datetime.timedelta(seconds=settings.REMINDER_SEND_LEASE_SECONDS)
    won = Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.QUEUED).update(
        status=ReminderStatus.SENDING, lease_until=lease, attempts=F("attempts") + 1, updated_at=now
    )
    if not won:
        return None
    return Reminder.objects.values_list("attempts", flat=True).get(pk=reminder_id)


def _finish(reminder_id: int, attempt: int, **fields) -> bool:
    """Record an outcome, only if the row is still ours (same claim, same attempt)."""
    fields.setdefault("lease_until", None)
    done = Reminder.objects.filter(
        pk=reminder_id, status=ReminderStatus.SENDING, attempts=attempt
    ).update(updated_at=timezone.now(), **fields)
    if not done:
        logger.warning("reminder %s: lease lost before recording %s", reminder_id, fields)
    return bool(done)


def deliver(reminder_id: int, *, now: datetime.datetime | None = None) -> Outcome:
    now = now or timezone.now()
    attempt = claim(reminder_id, now=now)
    if attempt is None:
        return Outcome.NOT_CLAIMED
    reminder = Reminder.objects.select_related(
        "recipient", "programme", "partnership__mentor__user", "partnership__mentee__user"
    ).get(pk=reminder_id)

    tz = reminder.recipient.tzinfo
    allowed = timing.next_allowed(now, tz, reminder.programme)
    if allowed > now:
        # Late (a backlog, a retry) and now inside quiet hours: held until they end.
        _finish(
            reminder_id,
            attempt,
            status=ReminderStatus.PENDING,
            send_after=allowed,
            attempts=attempt - 1,
        )
        return Outcome.HELD

    reason = skip_reason(reminder)
    if reason:
        _finish(
            reminder_id, attempt, status=ReminderStatus.SKIPPED, last_error=f"Skipped: {reason}."
        )
        return Outcome.SKIPPED

    try:
        mailer.send(compose(reminder))
    except Exception as error:
        text = f"{error.__class__.__name__}: {error}"
        if is_temporary(error) and attempt < settings.REMINDER_MAX_ATTEMPTS:
            retry_at = timing.next_allowed(now + backoff(attempt), tz, reminder.programme)
            logger.warning(
                "reminder %s: attempt %s failed (%s); retry at %s",
                reminder_id,
                attempt,
                text,
                retry_at,
            )
            _finish(
                reminder_id,
                attempt,
                status=ReminderStatus.PENDING,
                send_after=retry_at,
                last_error=f"Attempt {attempt}: {text}",
            )
            return Outcome.RETRY
        logger.exception("reminder %s: giving up after attempt %s", reminder_id, attempt)
        _finish(
            reminder_id,
            attempt,
            status=ReminderStatus.FAILED,
            last_error=f"Attempt {attempt} of {settings.REMINDER_MAX_ATTEMPTS}: {text}",
        )
        return Outcome.FAILED

    _finish(reminder_id, attempt, status=ReminderStatus.SENT, sent_at=timezone.now(), last_error="")
    return Outcome.SENT


def skip_reason(reminder: Reminder) -> str | None:
    recipient = reminder.recipient
    if not recipient.is_active:
        return "the recipient's account is inactive"
    if not recipient.email_reminders:
        return "the recipient turned email reminders off"
    if ReminderOptOut.objects.filter(user=recipient, kind=reminder.kind).exists():
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
