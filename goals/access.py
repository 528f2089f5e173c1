"""One access helper per goal-side object: for one of the two partners, or 404."""

from django.shortcuts import get_object_or_404

from goals.models import Goal, GoalChangeProposal, NextStep
from partnerships.models import Partnership

_PEOPLE = ("partnership__programme", "partnership__mentor__user", "partnership__mentee__user")


def _mine(user):
    return Partnership.objects.for_user(user)


def get_goal_for(user, code) -> Goal:
    return get_object_or_404(
        Goal.objects.filter(partnership__in=_mine(user)).select_related(*_PEOPLE, "proposed_by"),
        code=code,
    )


def get_proposal_for(user, code) -> GoalChangeProposal:
    return get_object_or_404(
        GoalChangeProposal.objects.filter(goal__partnership__in=_mine(user)).select_related(
            "goal", "proposed_by", *(f"goal__{name}" for name in _PEOPLE)
        ),
        code=code,
    )


def get_next_step_for(user, code) -> NextStep:
    return get_object_or_404(
        NextStep.objects.filter(partnership__in=_mine(user)).select_related(*_PEOPLE, "owner"),
        code=code,
    )
