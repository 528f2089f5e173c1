"""Sending sign-up emails. Applicants have no account yet, so these cannot ride the
reminders' outbox (one row per recipient account); a task per email, queued after commit,
tries again with a growing delay (up to ten minutes) when the mail server fails, and its
message stays with the broker until a worker has finished it (CELERY_TASK_ACKS_LATE)."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings

from partnerships.models import Application, Programme
from partnerships.services.invitations import invitation_send_again
from partnerships.services.signup_emails import application_email_send, member_email_send

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (OSError, smtplib.SMTPException),
    "retry_backoff": 30,  # seconds, doubling
    "retry_backoff_max": 600,  # below the broker's visibility timeout (an hour)
    "retry_jitter": True,
    "max_retries": 500,  # three days and more of tries, then the error is logged
}


@shared_task(name="partnerships.tasks.send_signup_email", **RETRY)
def send_signup_email(application_id: int, kind: str, extra: dict | None = None) -> str:
    application = Application.objects.select_related("programme", "user").filter(pk=application_id)
    application = application.first()
    if application is None:
        return "gone"
    application_email_send(application, kind)
    return "sent"


@shared_task(name="partnerships.tasks.send_signup_member_email", **RETRY)
def send_member_email(programme_id: int, email: str, name: str) -> str:
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        return "gone"
    member_email_send(programme, email, name)
    return "sent"


# Invitations and a coordinator's nudges go at once; their tasks try again after a
# temporary failure (partnerships/services/invitations.py, coordinators/tasks.py). The
# first wait is the reminders' own (REMINDER_RETRY_BASE_SECONDS), doubling to ten minutes.
EMAIL_RETRY = {**RETRY, "retry_backoff": settings.REMINDER_RETRY_BASE_SECONDS}


@shared_task(name="partnerships.tasks.send_invitation", **EMAIL_RETRY)
def send_invitation(invitation_id: int, sent_count: int, by_id: int) -> str:
    return invitation_send_again(invitation_id=invitation_id, sent_count=sent_count, by_id=by_id)
