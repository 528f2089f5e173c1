"""A coordinator's "check in soon, please" to both partners, sent at once.

Sent at once, so the coordinator hears at once that it went. If the mail server fails for
the moment (no connection, a 4xx answer), ``coordinators.tasks.send_nudge`` tries that
person's email again after commit, with growing waits: the nudge is neither lost nor a
server error on the admin's page. A 5xx answer is final, and the coordinator is told.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from mentorship.email import SEND_ERRORS, email_send, is_temporary
from partnerships.models import CoordinatorAction, Partnership

logger = logging.getLogger(__name__)


def nudge_email_send(*, partnership: Partnership, person, partner) -> None:
    """Send one partner's nudge now; raises what the mail server raised."""
    email_send(
        "nudge",
        to=person.email,
        context={
            "partnership": partnership,
            "recipient": person,
            "partner": partner,
            "action_url": settings.SITE_URL
            + reverse("partnerships:workspace", args=[partnership.code]),
            "why": f"Your coordinator for {partnership.programme} sent it to you both.",
        },
    )


def may_nudge(person) -> bool:
    # People who turned off reminders have asked not to be chased by email.
    return person.is_active and person.email_reminders


def nudge_send(*, partnership: Partnership, by) -> int:
    """Email both partners of an active partnership; returns how many emails went out
    now. One the mail server did not take for the moment is tried again later; one it
    refused is a ValidationError, after the others went."""
    from coordinators.tasks import send_nudge  # noqa: PLC0415 (the task imports this module)

    if partnership.status != Partnership.Status.ACTIVE:
        raise ValidationError("Only an active partnership can be nudged.")
    sent, later, refused = 0, 0, []
    for person, partner in (
        (partnership.mentor.user, partnership.mentee.user),
        (partnership.mentee.user, partnership.mentor.user),
    ):
        if not may_nudge(person):
            continue
        try:
            nudge_email_send(partnership=partnership, person=person, partner=partner)
        except SEND_ERRORS as error:
            if not is_temporary(error):
                logger.error("nudge to user %s refused by the mail server: %s", person.pk, error)
                refused.append(person.email)
                continue
            logger.warning("nudge to user %s: %s; trying again later", person.pk, error)
            ids = (partnership.pk, person.pk)
            transaction.on_commit(lambda ids=ids: send_nudge.delay(*ids))
            later += 1
        else:
            sent += 1
    summary = f"sent a nudge to {partnership} ({sent} email{'s' * (sent != 1)}"
    summary += f", {later} to be tried again)" if later else ")"
    CoordinatorAction.record(
        actor=by,
        programme=partnership.programme,
        partnership=partnership,
        verb="nudged",
        summary=summary,
    )
    if refused:
        raise ValidationError(
            f"The mail server refused the nudge to {', '.join(refused)}; check the address."
        )
    return sent
