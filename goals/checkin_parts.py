"""A partner's whole part of a check-in, saved all or nothing.

A check-in is one joint record: either partner starts it, and each adds their part —
the mentee's agenda, a review of each of their own active goals, a reflection, a next
step. These functions compose the single-purpose services so that a form submitted in
the workspace either saves everything it says or nothing at all.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from goals.models import Goal
from goals.services import goal_review_record, next_step_create
from partnerships.models import CheckIn, Partnership
from partnerships.models.visibility import Visibility
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

    def is_empty(self) -> bool:
        return (
            self.agenda is None
            and not self.reviews
            and not self.reflection.strip()
            and self.next_step is None
        )


@transaction.atomic
def checkin_contribute(*, checkin: CheckIn, by, part: CheckInPart) -> CheckIn:
    """Save one partner's part of a check-in; any refusal rolls all of it back."""
    if part.agenda is not None and part.agenda != checkin.agenda:
        checkin_set_agenda(checkin=checkin, by=by, agenda=part.agenda)
    for review in part.reviews:
        try:
            goal_review_record(
                checkin=checkin,
                goal=review.goal,
                by=by,
                decision=review.decision,
                note=review.note,
                **review.changes,
            )
        except ValidationError as error:
            raise ValidationError(
                [f"“{review.goal.title}”: {message}" for message in error.messages]
            ) from error
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
