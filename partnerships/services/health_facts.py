"""What a write makes stale in the stored health facts (partnerships.models.health).

Every service that changes what health is judged on (a check-in and its parts, a goal, a
next step) calls one of these in its own transaction: one indexed DELETE, and the next
reader recomputes what is missing (goals.health_facts). Writes that bypass the services
(bulk SQL, psql) are caught by the nightly rebuild.
"""

import datetime

from partnerships.models import CheckInWeek, HealthFacts


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def health_facts_clear(*, partnership_id: int | None = None, checkin_id: int | None = None):
    """Forget one partnership's facts, named by its id or one of its check-ins' (no look-up)."""
    if checkin_id is not None:
        HealthFacts.objects.filter(partnership__checkins=checkin_id).delete()
    else:
        HealthFacts.objects.filter(partnership_id=partnership_id).delete()


def checkin_week_clear(*, partnership_id: int, held_on: datetime.date) -> None:
    """Forget the count of the programme's week a check-in was held in."""
    CheckInWeek.objects.filter(
        programme__partnerships=partnership_id, week=monday_of(held_on)
    ).delete()
