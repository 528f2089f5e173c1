"""A partnership with something of everything in it, for the workspace tests."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from goals import services as goal_services
from goals.models import Goal, GoalChangeProposal, GoalRevision, NextStep
from partnerships import services
from partnerships.models import (
    Activity,
    AgendaItem,
    Agreement,
    CheckIn,
    ClosingReflection,
    Feedback,
    Meeting,
    Partnership,
    Reflection,
)
from partnerships.services.agenda import agenda_item_add
from partnerships.services.meetings import meeting_propose


@dataclass
class World:
    partnership: Partnership
    agreement: Agreement
    goal: Goal
    learning_goal: Goal
    proposed_goal: Goal
    proposal: GoalChangeProposal
    checkin: CheckIn
    step: NextStep
    meeting: Meeting
    agenda_item: AgendaItem  # on the agenda (the mentee's)
    suggestion: AgendaItem  # the mentor's, waiting for the mentee


def build_world(partnership, mentor, mentee) -> World:
    agreement = services.agreement_propose(
        partnership=partnership,
        by=mentor,
        checkin_cadence_days=14,
        channels="Video call",
        response_time="Two working days",
    )
    goal = goal_services.goal_create(partnership=partnership, by=mentee, title="Speak up")
    learning = goal_services.goal_create(
        partnership=partnership, by=mentor, title="Coach better", owner_role="mentor"
    )
    proposed = goal_services.goal_create(
        partnership=partnership, by=mentor, title="Blog", owner_role="mentee"
    )
    proposal = goal_services.goal_change_propose(
        goal=goal, by=mentor, reason="Sharper", title="Speak up at standup"
    )
    checkin = services.checkin_start(
        partnership=partnership, by=mentee, held_on=timezone.localdate(timezone=mentee.tzinfo)
    )
    step = goal_services.next_step_create(
        partnership=partnership, by=mentee, description="Draft notes", owner=mentee, goal=goal
    )
    meeting = meeting_propose(
        partnership=partnership,
        by=mentee,
        day=timezone.localdate(timezone=mentee.tzinfo) + datetime.timedelta(days=7),
        start_time=datetime.time(15, 0),
        place="Video call",
    )
    item = agenda_item_add(partnership=partnership, by=mentee, text="The team meeting")
    suggestion = agenda_item_add(partnership=partnership, by=mentor, text="Your blog post")
    return World(
        partnership,
        agreement,
        goal,
        learning,
        proposed,
        proposal,
        checkin,
        step,
        meeting,
        item,
        suggestion,
    )


def snapshot(partnership) -> dict:
    """Everything a POST could change in one partnership."""
    p = Partnership.objects.get(pk=partnership.pk)
    return {
        "status": p.status,
        "activities": Activity.objects.filter(partnership=p).count(),
        "agreements": list(
            Agreement.objects.filter(partnership=p).values_list(
                "version", "mentor_signed_at", "mentee_signed_at"
            )
        ),
        "goals": list(Goal.objects.filter(partnership=p).values_list("title", "status", "version")),
        "revisions": GoalRevision.objects.filter(goal__partnership=p).count(),
        "proposals": list(
            GoalChangeProposal.objects.filter(goal__partnership=p).values_list("status")
        ),
        "checkins": list(CheckIn.objects.filter(partnership=p).values_list("held_on", "agenda")),
        "reflections": Reflection.objects.filter(checkin__partnership=p).count(),
        "feedback": Feedback.objects.filter(checkin__partnership=p).count(),
        "steps": list(NextStep.objects.filter(partnership=p).values_list("description", "done_at")),
        "closing": ClosingReflection.objects.filter(partnership=p).count(),
        "meetings": list(
            Meeting.objects.filter(partnership=p).values_list(
                "status", "starts_at", "duration_minutes", "place", "sequence"
            )
        ),
        "agenda": list(
            AgendaItem.objects.filter(partnership=p)
            .order_by("pk")
            .values_list("text", "status", "position")
        ),
    }
