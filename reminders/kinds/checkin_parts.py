"""Check-in waiting for your part: a partner logged a check-in a day ago, and the other
has added nothing to it yet — no agenda, goal review, reflection, next step or feedback.

A check-in is one joint record; this is the nudge that makes it joint. Only the latest
logged check-in of an active partnership counts, and only for a week: after that the next
check-in matters more.
"""

import datetime
import operator
from functools import reduce

from django.db.models import Case, Exists, F, OuterRef, Q, When

from goals.health_facts import CHECKIN_PARTS
from partnerships.models import CheckIn, Partnership
from partnerships.models.reminder import ReminderKind
from reminders import links
from reminders.kinds.base import Due, has_ended, keyset_batches

WAITING = datetime.timedelta(days=1)
WINDOW = datetime.timedelta(days=7)


def _waiting_for_a_part():
    """Check-ins whose other partner (not the one who logged it) has added nothing."""
    partner = OuterRef("waiting_user_id")
    mine = OuterRef("pk")
    added = reduce(
        operator.or_,
        (
            Exists(model.objects.filter(checkin=mine, **{author: partner}))
            for model, author in CHECKIN_PARTS
        ),
    )
    logged_later = CheckIn.objects.filter(
        partnership=OuterRef("partnership"), created_at__gt=OuterRef("created_at")
    )
    return (
        CheckIn.objects.filter(partnership__status=Partnership.Status.ACTIVE)
        .annotate(
            waiting_user_id=Case(
                When(
                    started_by_id=F("partnership__mentor__user_id"),
                    then=F("partnership__mentee__user_id"),
                ),
                default=F("partnership__mentor__user_id"),
            )
        )
        # The agenda is the mentee's: one set on a check-in the mentor logged is theirs.
        .exclude(Q(started_by_id=F("partnership__mentor__user_id")) & ~Q(agenda=""))
        .exclude(added)
        .exclude(Exists(logged_later))
    )


def candidates(now: datetime.datetime, *, batch_size: int):
    """Check-ins logged one to eight days ago, through checkin_part_reminder_idx."""
    queryset = _waiting_for_a_part().filter(
        created_at__lte=now - WAITING, created_at__gt=now - WAITING - WINDOW
    )
    queryset = queryset.select_related(
        "partnership__programme", "partnership__mentor__user", "partnership__mentee__user"
    )
    for batch in keyset_batches(queryset, order=("created_at", "pk"), batch_size=batch_size):
        yield [due_for(c) for c in batch if not has_ended(c.partnership, now)]


def due_for(checkin: CheckIn) -> Due:
    partnership = checkin.partnership
    recipient = next(
        user
        for user in (partnership.mentor.user, partnership.mentee.user)
        if user.pk == checkin.waiting_user_id
    )
    waiting_since = checkin.created_at + WAITING
    return Due(
        recipient=recipient,
        kind=ReminderKind.CHECKIN_PART,
        programme=partnership.programme,
        partnership_id=partnership.pk,
        subject_key=f"checkin:{checkin.pk}",
        period=checkin.held_on.isoformat(),
        due_on=waiting_since.astimezone(recipient.tzinfo).date(),
        last_day=(waiting_since + WINDOW).astimezone(recipient.tzinfo).date(),
    )


def _checkin(reminder) -> CheckIn | None:
    pk = int(reminder.subject_key.split(":")[1])
    return (
        CheckIn.objects.select_related(
            "started_by",
            "partnership__programme",
            "partnership__mentor__user",
            "partnership__mentee__user",
        )
        .filter(pk=pk)
        .first()
    )


def still_due(reminder) -> str | None:
    checkin = _checkin(reminder)
    if checkin is None:
        return "the check-in was deleted"
    if checkin.partnership.has_ended():
        return "the programme has ended"
    waiting = _waiting_for_a_part().filter(pk=checkin.pk).values_list("waiting_user_id", flat=True)
    if reminder.recipient_id not in waiting:
        return "they have added their part, a later check-in was logged, or it is not active"
    return None


def context(reminder) -> dict:
    checkin = _checkin(reminder)
    return {
        "checkin": checkin,
        "partnership": checkin.partnership,
        "partner": checkin.started_by,
        "action_url": links.checkin_url(checkin),
    }
