"""Trying a coordinator's nudge again after the mail server failed for the moment
(coordinators/nudges.py); the task retries with growing waits, as an invitation's does."""

from celery import shared_task
from django.contrib.auth import get_user_model

from coordinators.nudges import may_nudge, nudge_email_send
from mentorship.email import SEND_ERRORS, is_temporary
from partnerships.models import Partnership
from partnerships.tasks import EMAIL_RETRY


@shared_task(name="coordinators.tasks.send_nudge", **EMAIL_RETRY)
def send_nudge(partnership_id: int, person_id: int) -> str:
    partnership = Partnership.objects.with_people().filter(pk=partnership_id).first()
    if partnership is None or partnership.status != Partnership.Status.ACTIVE:
        return "no longer active"
    person = get_user_model().objects.get(pk=person_id)
    if not may_nudge(person):
        return "turned off"
    try:
        nudge_email_send(
            partnership=partnership, person=person, partner=partnership.partner_of(person)
        )
    except SEND_ERRORS as error:
        if is_temporary(error):
            raise
        return "refused"
    return "sent"
