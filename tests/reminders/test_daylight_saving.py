"""A person in London, one in New York and one in Sydney, swept every hour across each of
their daylight-saving changes: every reminder due to them arrives exactly once, at 09:00
on their own clock."""

import datetime
import zoneinfo

import pytest
import time_machine

from goals import services as goal_services
from partnerships.models import Partnership, Reminder
from tests.builders import make_partnership, make_user
from tests.reminders.conftest import due_on

DAY = datetime.timedelta(days=1)

CLOCK_CHANGES = [
    ("Europe/London", datetime.date(2026, 3, 29)),  # forward
    ("Europe/London", datetime.date(2026, 10, 25)),  # back
    ("America/New_York", datetime.date(2026, 3, 8)),
    ("America/New_York", datetime.date(2026, 11, 1)),
    ("Australia/Sydney", datetime.date(2026, 4, 5)),  # back (southern autumn)
    ("Australia/Sydney", datetime.date(2026, 10, 4)),  # forward
]


@pytest.mark.parametrize(("zone", "change"), CLOCK_CHANGES, ids=lambda v: str(v))
def test_every_reminder_arrives_once_at_nine_local_across_a_clock_change(
    zone, change, programme, run_sweep
):
    tz = zoneinfo.ZoneInfo(zone)
    with time_machine.travel(datetime.datetime.combine(change - 40 * DAY, datetime.time(12), tz)):
        mentee = make_user("Dee Mentee", time_zone=zone)
        mentor = make_user("Dan Mentor", time_zone=zone)
        partnership = make_partnership(programme, mentor, mentee)
        goal_services.goal_create(
            partnership=partnership, by=mentee, title="Ship it", target_date=change + 7 * DAY
        )
    Partnership.objects.filter(pk=partnership.pk).update(started_on=change - 40 * DAY)
    # Due two days after the change: "coming up" falls on the day the clocks change.
    due_on(partnership, change + 2 * DAY)

    moment = datetime.datetime.combine(change - DAY, datetime.time(0), datetime.UTC)
    while moment < datetime.datetime.combine(change + 11 * DAY, datetime.time(0), datetime.UTC):
        run_sweep(moment)
        moment += datetime.timedelta(hours=1)

    def arrivals(person):
        return sorted(
            (r.kind, r.period, r.sent_at.astimezone(tz).replace(tzinfo=None))
            for r in Reminder.objects.filter(recipient=person)
        )

    def nine(day):
        return datetime.datetime.combine(day, datetime.time(9))

    due = (change + 2 * DAY).isoformat()
    target = (change + 7 * DAY).isoformat()
    expected_for_both = [
        ("checkin_overdue", f"{due}/1", nine(change + 3 * DAY)),
        ("checkin_overdue", f"{due}/2", nine(change + 10 * DAY)),
        ("checkin_upcoming", due, nine(change)),
    ]
    assert arrivals(mentor) == expected_for_both
    assert arrivals(mentee) == sorted(
        [
            *expected_for_both,
            ("goal_revisit", f"{target}/passed", nine(change + 8 * DAY)),
            ("goal_revisit", f"{target}/soon", nine(change)),
        ]
    )
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}
