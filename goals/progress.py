"""Goal progress seen from both sides.

At a check-in the goal's owner says how far along it is, and so does their partner, on
the same five steps. Each view is its author's own until the other has answered for that
goal at that check-in; then both see both. Two views two steps apart or more put the goal
on the next meeting's agenda, so the pair talks about it.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from goals.models import PROGRESS_GAP_STEPS, Goal, GoalStatus, Progress, ProgressRating
from partnerships.models import CheckIn
from partnerships.services.agenda import agenda_item_add_for_progress_gap
from partnerships.services.health_facts import health_facts_clear
from partnerships.services.rules import require_member, require_workable


@transaction.atomic
def progress_rate(*, checkin: CheckIn, goal: Goal, by, progress: int) -> ProgressRating:
    """One partner's view of one goal at one check-in; a wide gap goes on the agenda."""
    partnership = checkin.partnership
    role = require_member(partnership, by)
    require_workable(partnership)
    if goal.partnership_id != partnership.pk:
        raise ValidationError("This goal belongs to another partnership.")
    if goal.status not in (GoalStatus.ACTIVE, GoalStatus.ACHIEVED):
        raise ValidationError(f"“{goal.title}” is {goal.get_status_display().lower()}.")
    if progress not in Progress.values:
        raise ValidationError({"progress": "Choose a step from not started to done."})
    if ProgressRating.objects.filter(goal=goal, checkin=checkin, author=by).exists():
        raise ValidationError(
            f"You have already said how far along “{goal.title}” is at this check-in.",
            code="duplicate",
        )
    rating = ProgressRating.objects.create(
        goal=goal, checkin=checkin, author=by, by_owner=role == goal.owner_role, progress=progress
    )
    health_facts_clear(partnership_id=partnership.pk)
    other = ProgressRating.objects.filter(goal=goal, checkin=checkin).exclude(author=by).first()
    if other is not None and abs(other.progress - progress) >= PROGRESS_GAP_STEPS:
        agenda_item_add_for_progress_gap(partnership=partnership, goal_title=goal.title)
    return rating


@dataclass
class ProgressPoint:
    """One check-in's two views of a goal, as one partner may read them."""

    checkin: CheckIn
    owner: ProgressRating | None
    partner: ProgressRating | None
    # The reader's own view, when the other's is still hidden from them.
    waiting: bool = False

    @property
    def gap(self) -> int | None:
        if self.owner is None or self.partner is None:
            return None
        return abs(self.owner.progress - self.partner.progress)


def progress_seen_by(ratings, user) -> list[ProgressPoint]:
    """Each check-in's ratings of one goal (oldest first) as ``user`` may read them: both
    once both answered, otherwise only their own. ``ratings`` come with their check-in."""
    by_checkin: dict[int, list[ProgressRating]] = {}
    checkins = {}
    for rating in ratings:
        by_checkin.setdefault(rating.checkin_id, []).append(rating)
        checkins[rating.checkin_id] = rating.checkin
    points = []
    for checkin_id, found in by_checkin.items():
        both = len(found) >= 2
        visible = found if both else [r for r in found if r.author_id == user.pk]
        if not visible:
            continue
        points.append(
            ProgressPoint(
                checkin=checkins[checkin_id],
                owner=next((r for r in visible if r.by_owner), None),
                partner=next((r for r in visible if not r.by_owner), None),
                waiting=not both,
            )
        )
    return sorted(points, key=lambda p: (p.checkin.held_on, p.checkin.created_at))
