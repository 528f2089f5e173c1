"""Health counts from a scheduled meeting while it is ahead: a neglected pair that has put
its next meeting in both calendars is neither overdue nor "no check-in" until that day;
once the day has passed without a check-in, both rules apply again."""

import datetime

import time_machine

from partnerships.services.meetings import meeting_accept, meeting_propose
from tests.goals.health_world import START, only

DAY = datetime.timedelta(days=1)
GRACE = 7


def schedule(partnership, mentor, mentee, on: datetime.date, *, now: datetime.date):
    moment = datetime.datetime.combine(now, datetime.time(12), datetime.UTC)
    with time_machine.travel(moment, tick=False):
        meeting = meeting_propose(
            partnership=partnership, by=mentor, day=on, start_time=datetime.time(15, 0)
        )
        meeting_accept(meeting=meeting, by=mentee)


def test_a_meeting_ahead_is_what_health_counts_from(started_partnership, mentor, mentee):
    today = START + DAY * (14 + 15 + GRACE)  # overdue, and no check-in for 36 days
    assert only(started_partnership, today).reasons != []
    meeting_day = today + DAY * 5
    schedule(started_partnership, mentor, mentee, meeting_day, now=today)
    assert only(started_partnership, today).reasons == []
    assert only(started_partnership, meeting_day).reasons == []
    # Long after the meeting's day with nothing logged: a worry again.
    later = meeting_day + DAY * (14 + 15 + GRACE)
    assert only(started_partnership, later).reasons != []
