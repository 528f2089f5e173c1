"""The coordinator digest, weekly (Monday, local): per programme, the partnerships at risk
(from goals.health), check-ins logged and goals achieved in the last seven days,
with links to the admin."""

import datetime

from django.db.models import Q
from django.utils import timezone

from goals.health import health_of
from goals.models import GoalRevision
from partnerships.models import CheckIn, Partnership, Programme
from partnerships.models.reminder import ReminderKind
from reminders import links
from reminders.kinds.base import Due

DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)


def candidates(now: datetime.datetime, *, batch_size: int):
    """Running programmes (and their first week after the end) with their coordinators.
    Programmes are few: one query, one batch."""
    today = now.astimezone(datetime.UTC).date()
    programmes = (
        Programme.objects.filter(starts_on__lte=today + DAY, ends_on__gte=today - WEEK - DAY)
        .prefetch_related("coordinators")
        .order_by("pk")
    )
    dues = []
    for programme in programmes:
        for coordinator in programme.coordinators.all():
            if not coordinator.is_active:
                continue
            local = now.astimezone(coordinator.tzinfo).date()
            monday = local - DAY * local.weekday()
            year, week, _ = monday.isocalendar()
            dues.append(
                Due(
                    recipient=coordinator,
                    kind=ReminderKind.COORDINATOR_DIGEST,
                    programme=programme,
                    partnership_id=None,
                    subject_key=f"programme:{programme.pk}",
                    period=f"{year}-W{week:02d}",
                    due_on=monday,
                    last_day=monday + DAY * 6,
                )
            )
    if dues:
        yield dues


def still_due(reminder) -> str | None:
    if not reminder.programme.coordinators.filter(pk=reminder.recipient_id).exists():
        return "they no longer coordinate this programme"
    return None


def context(reminder) -> dict:
    programme = reminder.programme
    now = timezone.now()
    since = now - WEEK
    active = Partnership.objects.filter(programme=programme, status=Partnership.Status.ACTIVE)
    today = now.astimezone(reminder.recipient.tzinfo).date()
    at_risk = [
        {"health": health, "url": links.admin_url(health.partnership)}
        for health in health_of(active, today=today)
        if health.at_risk
    ]
    checkins = CheckIn.objects.filter(partnership__programme=programme, created_at__gte=since)
    achieved = GoalRevision.objects.filter(
        Q(changes__status__1="achieved"),
        goal__partnership__programme=programme,
        created_at__gte=since,
    )
    return {
        "programme": programme,
        "at_risk": at_risk,
        "active_count": active.count(),
        "checkins_logged": checkins.count(),
        "goals_achieved": achieved.values("goal").distinct().count(),
        "week_start": today - WEEK,
        "action_url": links.admin_url(programme),
        "partnerships_url": links.absolute(
            f"/admin/partnerships/partnership/?programme__id__exact={programme.pk}"
        ),
    }
