"""A proposed match waiting for your answer: once, two days after the match was proposed,
to each person who has neither accepted nor declined it, on their local morning.

Proposed partnerships are few (a proposal is answered or declined within days); the sweep
reads them by age through a partial index (partnership_proposed_idx).
"""

import datetime

from django.urls import reverse

from partnerships.models import MatchAnswer, Partnership
from partnerships.models.participant import Role
from partnerships.models.reminder import ReminderKind
from reminders import links
from reminders.kinds.base import Due, has_ended, keyset_batches

WAITING = datetime.timedelta(days=2)
KIND = ReminderKind.MATCH_WAITING
SUBJECT_PREFIX = "match:"
PERIOD = "waiting"  # one reminder per person per proposed match, ever
WHY = "A match proposed to you two days ago is still waiting for your answer."


def candidates(now: datetime.datetime, *, batch_size: int):
    """Partnerships proposed two days ago or more and still proposed."""
    queryset = (
        Partnership.objects.filter(
            status=Partnership.Status.PROPOSED, created_at__lte=now - WAITING
        )
        .select_related("programme", "mentor__user", "mentee__user")
        .prefetch_related("match_answers")
    )
    for batch in keyset_batches(queryset, order=("created_at", "pk"), batch_size=batch_size):
        yield [
            due
            for partnership in batch
            if not has_ended(partnership, now)
            for due in dues_for(partnership)
        ]


def morning_of(moment: datetime.datetime, tz, programme) -> datetime.date:
    """The local date whose delivery hour is the first at or after ``moment``: the same
    day if the morning has not passed yet, else the next (any day, for a programme that
    delivers at any hour)."""
    local = moment.astimezone(tz)
    if programme.deliver_any_hour or local.hour < programme.delivery_hour:
        return local.date()
    return local.date() + datetime.timedelta(days=1)


def dues_for(partnership: Partnership):
    answered = {answer.role for answer in partnership.match_answers.all()}
    waited = partnership.created_at + WAITING
    for role in (Role.MENTEE, Role.MENTOR):
        if role in answered:
            continue
        user = getattr(partnership, role).user
        yield Due(
            recipient=user,
            kind=KIND,
            programme=partnership.programme,
            partnership_id=partnership.pk,
            subject_key=f"{SUBJECT_PREFIX}{partnership.pk}",
            period=PERIOD,
            due_on=morning_of(waited, user.tzinfo, partnership.programme),
            last_day=None,  # once, however late: it is still waiting for them
        )


def _partnership(reminder) -> Partnership:
    return Partnership.objects.select_related("programme", "mentor__user", "mentee__user").get(
        pk=int(reminder.subject_key.removeprefix(SUBJECT_PREFIX))
    )


def still_due(reminder) -> str | None:
    partnership = _partnership(reminder)
    if partnership.status != Partnership.Status.PROPOSED:
        return (
            f"the match was decided: the partnership is {partnership.get_status_display().lower()}"
        )
    if partnership.has_ended():
        return "the programme has ended"
    role = partnership.role_of(reminder.recipient)
    if role is None or MatchAnswer.objects.filter(partnership=partnership, role=role).exists():
        return "they have answered the match"
    return None


def context(reminder) -> dict:
    partnership = _partnership(reminder)
    recipient = reminder.recipient
    partner = partnership.partner_of(recipient)
    partner_role = partnership.role_of(partner)
    return {
        "partnership": partnership,
        "programme": partnership.programme,
        "partner": partner,
        "partner_role": Role(partner_role).label.lower(),
        "partner_accepted": MatchAnswer.objects.filter(
            partnership=partnership, role=partner_role, accepted=True
        ).exists(),
        # A naive local date: the template's filter would read an aware one in UTC.
        "proposed_on": partnership.created_at.astimezone(recipient.tzinfo).date(),
        "action_url": links.absolute(reverse("partnerships:match", args=[partnership.code])),
    }
