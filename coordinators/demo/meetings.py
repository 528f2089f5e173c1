"""Demo data for meetings, agendas and progress (issue 16): Maya and Amara's next meeting,
scheduled with an agenda both shaped, and both views of Maya's goals at their latest
check-in, one of them far apart (so the agenda has "Talk about …" on it)."""

import datetime

from django.utils import timezone

from goals.models import Goal, GoalStatus
from goals.progress import progress_rate
from partnerships.models import Partnership
from partnerships.models.partnership import Status
from partnerships.services.agenda import agenda_item_accept, agenda_item_add
from partnerships.services.meetings import meeting_accept, meeting_propose

MAYA = "maya.patel@example.org"


def seed_meetings(programme) -> None:
    partnership = (
        Partnership.objects.filter(
            programme=programme, status=Status.ACTIVE, mentee__user__email=MAYA
        )
        .select_related("mentor__user", "mentee__user", "programme")
        .first()
    )
    if partnership is None:
        return
    maya, amara = partnership.mentee.user, partnership.mentor.user
    recent = list(partnership.checkins.order_by("-held_on", "-created_at")[:3])[::-1]
    goals = list(
        Goal.objects.filter(partnership=partnership, status=GoalStatus.ACTIVE).order_by("pk")
    )
    # Both views of three goals at the last three check-ins, oldest first: (the owner's,
    # the partner's). The first goal's views end two steps apart.
    views = (
        ((1, 1), (2, 1), (3, 1)),
        ((0, 1), (1, 1), (2, 2)),
        ((0, 0), (1, 0), (1, 2)),
    )
    for k, checkin in enumerate(recent):
        for goal, steps in zip(goals[:3], views, strict=False):
            owner_view, partner_view = steps[k + 3 - len(recent)]
            owner = maya if goal.owner_role == "mentee" else amara
            partner = amara if owner == maya else maya
            progress_rate(checkin=checkin, goal=goal, by=owner, progress=owner_view)
            progress_rate(checkin=checkin, goal=goal, by=partner, progress=partner_view)
    # Next Thursday at 15:00 on Maya's clock (London), a video call, accepted by Amara.
    today = timezone.localdate(timezone=maya.tzinfo)
    day = today + datetime.timedelta(days=(3 - today.weekday()) % 7 or 7)
    meeting = meeting_propose(
        partnership=partnership,
        by=maya,
        day=day,
        start_time=datetime.time(15, 0),
        duration_minutes=45,
        place="https://meet.example.org/maya-amara",
        note="Same link as last time.",
    )
    meeting_accept(meeting=meeting, by=amara)
    agenda_item_add(partnership=partnership, by=maya, text="My talk proposal: feedback")
    agenda_item_accept(
        item=agenda_item_add(
            partnership=partnership, by=amara, text="Plan for the leadership offsite"
        ),
        by=maya,
    )
    agenda_item_add(partnership=partnership, by=amara, text="How you prepare for hard meetings")
