"""Celery only triggers: the sweep and the send decide everything in PostgreSQL.
Tasks take ids and are queued after commit (see partnerships.reminders.sweep)."""

from collections import Counter

from celery import shared_task

from partnerships import health_facts
from partnerships.reminders.send import deliver_batch
from partnerships.reminders.sweep import sweep


@shared_task(name="partnerships.tasks.sweep_reminders")
def sweep_reminders() -> dict:
    """Run by beat every minute. Safe to run in several processes at once."""
    result = sweep()
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


@shared_task(name="partnerships.tasks.refresh_health_facts")
def refresh_health_facts() -> None:
    """Run by beat nightly: rebuilds the dashboard's stored facts from scratch."""
    health_facts.refresh_all()
