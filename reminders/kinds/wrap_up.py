"""Wrap-up: when the wrap-up window before the end date opens (Programme.wrap_up_days),
both partners of each open partnership are asked to write their closing reflections and
answer the closing survey. One email per partner per end date; none once it has passed."""

import datetime

from django.db.models import Q

from partnerships.models import ClosingReflection, Partnership, Programme
from partnerships.models.partnership import Status
from partnerships.models.reminder import ReminderKind
from partnerships.models.survey import Survey, SurveyKind
from partnerships.services.surveys import closing_round_opens_on
from reminders import links
from reminders.kinds.base import Due, keyset_batches

DAY = datetime.timedelta(days=1)
WRAPPED_STATUSES = (Status.ACTIVE, Status.PAUSED)


def _wrap_up_starts_on(partnership: Partnership) -> datetime.date:
    return partnership.ends_on - DAY * partnership.programme.wrap_up_days


def candidates(now: datetime.datetime, *, batch_size: int):
    """Open partnerships of programmes whose wrap-up may have begun somewhere today (or
    whose partnerships run past the end), through their programme's dates."""
    today = now.astimezone(datetime.UTC).date()
    programmes = Programme.objects.filter(
        archived_at__isnull=True, wrap_up_days__gt=0, ends_on__gte=today - DAY
    ).values("pk")
    queryset = (
        Partnership.objects.filter(status__in=WRAPPED_STATUSES, programme__in=programmes)
        .filter(Q(programme__ends_on__lte=today + DAY * 91) | Q(extended_until__isnull=False))
        .select_related("programme", "mentor__user", "mentee__user")
    )
    for batch in keyset_batches(queryset, order=("programme_id", "pk"), batch_size=batch_size):
        dues = []
        for partnership in batch:
            if partnership.has_ended(partnership.programme.today(now)):
                continue
            starts = _wrap_up_starts_on(partnership)
            for user in partnership.members:
                dues.append(
                    Due(
                        recipient=user,
                        kind=ReminderKind.WRAP_UP,
                        programme=partnership.programme,
                        partnership_id=partnership.pk,
                        subject_key=f"partnership:{partnership.pk}",
                        period=f"wrap-up/{partnership.ends_on.isoformat()}",
                        due_on=starts,
                        last_day=partnership.ends_on,
                    )
                )
        yield dues


def still_due(reminder) -> str | None:
    partnership = reminder.partnership
    partnership.programme = reminder.programme
    if partnership.status not in WRAPPED_STATUSES:
        return f"the partnership is {partnership.get_status_display().lower()}"
    if partnership.has_ended():
        return "the programme has ended"
    if reminder.period != f"wrap-up/{partnership.ends_on.isoformat()}":
        return "the end date changed"
    return None


def context(reminder) -> dict:
    partnership = reminder.partnership
    partnership.programme = reminder.programme
    closing_surveys = [
        s
        for s in Survey.objects.filter(
            programme=reminder.programme,
            is_open=True,
            kind__in=(SurveyKind.CLOSING, SurveyKind.SELF_ASSESSMENT),
        )
        if s.asks(partnership.role_of(reminder.recipient))
    ]
    return {
        "partnership": partnership,
        "partner": partnership.partner_of(reminder.recipient),
        "ends_on": partnership.ends_on,
        "closing_opens_on": closing_round_opens_on(partnership),
        "surveys": closing_surveys,
        "wrote_reflection": ClosingReflection.objects.filter(
            partnership=partnership, author=reminder.recipient
        ).exists(),
        "action_url": links.partnership_url(partnership) + "#programme-life",
    }
