"""Goals to revisit: a goal whose target date is a week away, or has passed without a
review at a check-in since, to the goal's owner (the mentee, or the mentor for a mentor's
own learning goal)."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from goals.models import Goal, GoalReview, GoalStatus
from partnerships.models import Partnership
from partnerships.models.reminder import ReminderKind
from reminders import links
from reminders.kinds.base import GOAL_CATCH_UP_DAYS, Due, has_ended, keyset_batches

DAY = datetime.timedelta(days=1)
WEEK_BEFORE = 7


def _reviewed_since_target():
    return Exists(
        GoalReview.objects.filter(
            goal=OuterRef("pk"), checkin__held_on__gte=OuterRef("target_date")
        )
    )


def candidates(now: datetime.datetime, *, batch_size: int):
    """Active goals of active partnerships with a target date near now, in batches through
    goal_active_target_date_idx."""
    today = now.astimezone(datetime.UTC).date()
    queryset = (
        Goal.objects.filter(
            status=GoalStatus.ACTIVE,
            partnership__status=Partnership.Status.ACTIVE,
            target_date__gte=today - DAY * (GOAL_CATCH_UP_DAYS + 1),
            target_date__lte=today + DAY * (WEEK_BEFORE + 1),
        )
        .annotate(reviewed_since_target=_reviewed_since_target())
        .select_related(
            "partnership__programme", "partnership__mentor__user", "partnership__mentee__user"
        )
    )
    for batch in keyset_batches(queryset, order=("target_date", "pk"), batch_size=batch_size):
        yield [
            due for goal in batch if not has_ended(goal.partnership, now) for due in dues_for(goal)
        ]


def dues_for(goal: Goal):
    target = goal.target_date
    common = {
        "recipient": goal.owner,
        "kind": ReminderKind.GOAL_REVISIT,
        "programme": goal.partnership.programme,
        "partnership_id": goal.partnership_id,
        "subject_key": f"goal:{goal.pk}",
    }
    yield Due(
        period=f"{target}/soon", due_on=target - DAY * WEEK_BEFORE, last_day=target - DAY, **common
    )
    if not goal.reviewed_since_target:
        yield Due(
            period=f"{target}/passed",
            due_on=target + DAY,
            last_day=target + DAY * GOAL_CATCH_UP_DAYS,
            **common,
        )


def _goal(reminder) -> Goal:
    goal_id = int(reminder.subject_key.split(":")[1])
    return (
        Goal.objects.annotate(reviewed_since_target=_reviewed_since_target())
        .select_related(
            "partnership__programme", "partnership__mentor__user", "partnership__mentee__user"
        )
        .get(pk=goal_id)
    )


def _target(reminder) -> datetime.date:
    return datetime.date.fromisoformat(reminder.period.split("/")[0])


def still_due(reminder) -> str | None:
    goal = _goal(reminder)
    if goal.partnership.status != Partnership.Status.ACTIVE:
        return f"the partnership is {goal.partnership.get_status_display().lower()}"
    if goal.partnership.has_ended():
        return "the programme has ended"
    if goal.status != GoalStatus.ACTIVE:
        return f"the goal is {goal.get_status_display().lower()}"
    if goal.target_date != _target(reminder):
        return "the goal's target date changed"
    if reminder.period.endswith("/passed") and goal.reviewed_since_target:
        return "the goal was reviewed at a check-in"
    return None


def context(reminder) -> dict:
    goal = _goal(reminder)
    target = _target(reminder)
    return {
        "goal": goal,
        "partnership": goal.partnership,
        "partner": goal.partnership.partner_of(reminder.recipient),
        "target": target,
        "passed": reminder.period.endswith("/passed"),
        "days_until": (target - timezone.localdate(timezone=reminder.recipient.tzinfo)).days,
        "action_url": links.goal_url(goal),
    }
