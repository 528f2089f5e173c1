"""A partner's whole part of a check-in, saved all or nothing.

A check-in is one joint record: either partner starts it, and each adds their part —
the mentee's agenda, a review of each of their own active goals, a reflection, a next
step; what became of each item on the meeting's agenda (discussed or carried over); and
each partner's view of how far along the goals are. These functions compose the
single-purpose services so that a form submitted in the workspace either saves
everything it says or nothing at all.

A goal past its target date must get a decision when its owner adds their part (keep it
with a new date, achieved, revise, drop); other active goals may wait for another time.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from goals.models import Goal, GoalReview, GoalRevision, GoalStatus
from goals.progress import progress_rate
from goals.services import goal_review_record, goal_revise, next_step_create
from partnerships.models import CheckIn, Partnership
from partnerships.models.visibility import Visibility
from partnerships.services.agenda import agenda_resolve
from partnerships.services.checkins import checkin_set_agenda, checkin_start, reflection_write


@dataclass
class ReviewInput:
    goal: Goal
    decision: str
    note: str = ""
    changes: dict = field(default_factory=dict)


@dataclass
class NextStepInput:
    description: str
    owner: object
    due_on: datetime.date | None = None


@dataclass
class CheckInPart:
    """What one partner adds to a check-in. ``agenda`` None means "leave it as it is"."""

    agenda: str | None = None
    reviews: list[ReviewInput] = field(default_factory=list)
    reflection: str = ""
    reflection_visibility: str = Visibility.PRIVATE
    next_step: NextStepInput | None = None
    # Each agenda item's code → discussed or carried over.
    agenda_outcomes: dict = field(default_factory=dict)
    # How far along each goal is, as this partner sees it: goal → Progress step.
    progress: dict = field(default_factory=dict)

    def is_empty(self) -> bool:
        return (
            self.agenda is None
            and not self.reviews
            and not self.reflection.strip()
            and self.next_step is None
            and not self.agenda_outcomes
            and not self.progress
        )


def overdue_goals(partnership: Partnership, by, held_on: datetime.date, *, reviewed=()):
    """``by``'s own active goals whose target date passed before the check-in's day and
    that this check-in has not decided on yet: they need a decision now."""
    role = partnership.role_of(by)
    return [
        goal
        for goal in Goal.objects.filter(
            partnership=partnership,
            owner_role=role,
            status=GoalStatus.ACTIVE,
            target_date__lt=held_on,
        ).order_by("target_date", "pk")
        if goal.pk not in reviewed
    ]


def _require_overdue_decided(checkin: CheckIn, by, part: CheckInPart) -> None:
    reviewed = set(checkin.goal_reviews.values_list("goal_id", flat=True))
    reviewed |= {review.goal.pk for review in part.reviews}
    waiting = overdue_goals(checkin.partnership, by, checkin.held_on, reviewed=reviewed)
    if waiting:
        raise ValidationError(
            [
                f"“{goal.title}” passed its target date ({goal.target_date:%-d %b %Y}): "
                "keep it with a new date, mark it achieved, revise it or drop it."
                for goal in waiting
            ],
            code="overdue_goal",
        )


def _review(checkin: CheckIn, by, review: ReviewInput) -> None:
    goal = review.goal
    overdue = goal.target_date is not None and goal.target_date < checkin.held_on
    new_date = review.changes.get("target_date")
    keeping = review.decision == GoalReview.Decision.KEEP and overdue
    # Keeping a goal whose date has passed means choosing a new date.
    if keeping and (new_date is None or new_date <= checkin.held_on):
        raise ValidationError(
            {"new_target_date": "To keep it, give a new target date after the check-in."}
        )
    goal_review_record(
        checkin=checkin,
        goal=goal,
        by=by,
        decision=review.decision,
        note=review.note,
        **(review.changes if review.decision != GoalReview.Decision.KEEP else {}),
    )
    if keeping:
        goal_revise(
            goal=goal,
            by=by,
            reason=review.note or f"Kept at the check-in of {checkin.held_on:%-d %b %Y}",
            checkin=checkin,
            kind=GoalRevision.Kind.REVIEWED,
            target_date=new_date,
        )


@transaction.atomic
def checkin_contribute(*, checkin: CheckIn, by, part: CheckInPart) -> CheckIn:
    """Save one partner's part of a check-in; any refusal rolls all of it back."""
    _require_overdue_decided(checkin, by, part)
    if part.agenda is not None and part.agenda != checkin.agenda:
        checkin_set_agenda(checkin=checkin, by=by, agenda=part.agenda)
    if part.agenda_outcomes:
        agenda_resolve(checkin=checkin, by=by, outcomes=part.agenda_outcomes)
    for review in part.reviews:
        try:
            _review(checkin, by, review)
        except ValidationError as error:
            raise ValidationError(
                [f"“{review.goal.title}”: {message}" for message in error.messages]
            ) from error
    for goal, step in part.progress.items():
        progress_rate(checkin=checkin, goal=goal, by=by, progress=step)
    if part.reflection.strip():
        reflection_write(
            checkin=checkin, by=by, text=part.reflection, visibility=part.reflection_visibility
        )
    if part.next_step is not None:
        next_step_create(
            partnership=checkin.partnership,
            by=by,
            description=part.next_step.description,
            owner=part.next_step.owner,
            due_on=part.next_step.due_on,
            checkin=checkin,
        )
    return checkin


@transaction.atomic
def checkin_log(
    *, partnership: Partnership, by, held_on: datetime.date, part: CheckInPart
) -> CheckIn:
    """Start a check-in and add the starter's part to it in one go."""
    agenda = part.agenda or ""
    checkin = checkin_start(partnership=partnership, by=by, held_on=held_on, agenda=agenda)
    part.agenda = None  # already set by checkin_start
    return checkin_contribute(checkin=checkin, by=by, part=part)
