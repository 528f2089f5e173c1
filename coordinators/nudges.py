"""A coordinator's "check in soon, please" to both partners, sent at once.

A plain email for now; once the reminder system exists this can record a Reminder and let
it deliver (so a nudge and a scheduled reminder never go out the same day).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentorship.email import email_send
from partnerships.models import CoordinatorAction, Partnership


def nudge_send(*, partnership: Partnership, by) -> int:
    """Email both partners of an active partnership; returns how many emails went out."""
    if partnership.status != Partnership.Status.ACTIVE:
        raise ValidationError("Only an active partnership can be nudged.")
    sent = 0
    for person, partner in (
        (partnership.mentor.user, partnership.mentee.user),
        (partnership.mentee.user, partnership.mentor.user),
    ):
        # People who turned off reminders have asked not to be chased by email.
        if not (person.is_active and person.email_reminders):
            continue
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
        sent += 1
    CoordinatorAction.record(
        actor=by,
        programme=partnership.programme,
        partnership=partnership,
        verb="nudged",
        summary=f"sent a nudge to {partnership} ({sent} email{'s' * (sent != 1)})",
    )
    return sent
