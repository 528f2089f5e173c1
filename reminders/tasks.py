"""Celery only triggers: the sweep and the send decide everything in PostgreSQL.
Tasks take ids and are queued after commit (see reminders.sweep)."""

import itertools
from collections import Counter

from celery import shared_task
from django.conf import settings

from reminders.send import deliver_batch
from reminders.sweep import sweep


@shared_task(name="partnerships.tasks.sweep_reminders")
def sweep_reminders() -> dict:
    """Run by beat every minute. Safe to run in several processes at once."""
    result = sweep(dispatch=queue_sends)
    return {
        "created": dict(result.created),
        "queued": len(result.queued),
        "reclaimed": result.reclaimed,
    }


@shared_task(name="partnerships.tasks.send_reminders")
def send_reminders(reminder_ids: list[int]) -> dict:
    """Claim and send a batch of reminders over one SMTP connection. Retries are rows back
    in the database with a later send_after, not Celery retries, so they survive a worker
    that dies."""
    return dict(Counter(str(outcome) for outcome in deliver_batch(reminder_ids).values()))


def queue_sends(ids: list[int]) -> None:
    """A task per batch: workers share the load, and each batch pays for one claim."""
    for batch in itertools.batched(ids, settings.REMINDER_SEND_BATCH_SIZE, strict=False):
        send_reminders.delay(list(batch))
