"""When a reminder may arrive: the delivery hour in the recipient's zone, never in quiet
hours, whatever daylight saving does. Pure functions: no database."""

import datetime
import zoneinfo

from partnerships.models import Programme
from partnerships.timing import delivery_moment, in_quiet_hours, next_allowed
from tests.reminders.conftest import local

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
SYDNEY = zoneinfo.ZoneInfo("Australia/Sydney")
UTC = datetime.UTC


def programme(**settings) -> Programme:
    return Programme(
        **{"delivery_hour": 9, "quiet_hours_start": 21, "quiet_hours_end": 8, **settings}
    )


def test_a_reminder_due_today_arrives_at_nine_local_in_london_in_winter_and_summer():
    winter = delivery_moment(
        due_on=datetime.date(2026, 1, 12),
        now=local("UTC", 2026, 1, 12, 0),
        tz=LONDON,
        programme=programme(),
    )
    summer = delivery_moment(
        due_on=datetime.date(2026, 7, 13),
        now=local("UTC", 2026, 7, 13, 0),
        tz=LONDON,
        programme=programme(),
    )
    assert winter == datetime.datetime(2026, 1, 12, 9, tzinfo=UTC)
    assert summer == datetime.datetime(2026, 7, 13, 8, tzinfo=UTC)


def test_on_the_night_clocks_change_nine_oclock_is_still_nine_oclock():
    # London springs forward at 01:00 UTC on 29 March 2026; New York on 8 March;
    # Sydney falls back on 5 April (and springs forward on 4 October).
    cases = [
        (LONDON, datetime.date(2026, 3, 29)),
        (LONDON, datetime.date(2026, 10, 25)),
        (NEW_YORK, datetime.date(2026, 3, 8)),
        (NEW_YORK, datetime.date(2026, 11, 1)),
        (SYDNEY, datetime.date(2026, 4, 5)),
        (SYDNEY, datetime.date(2026, 10, 4)),
    ]
    for tz, day in cases:
        midnight = datetime.datetime.combine(day, datetime.time(0), tzinfo=tz)
        moment = delivery_moment(due_on=day, now=midnight, tz=tz, programme=programme())
        assert moment.astimezone(tz).replace(tzinfo=None) == datetime.datetime.combine(
            day, datetime.time(9)
        ), (tz, day)


def test_a_reminder_found_late_in_the_afternoon_goes_at_once():
    now = local("America/New_York", 2026, 5, 4, 15, 30)
    moment = delivery_moment(
        due_on=datetime.date(2026, 5, 4), now=now, tz=NEW_YORK, programme=programme()
    )
    assert moment == now


def test_a_reminder_found_in_the_evening_is_held_until_quiet_hours_end_next_morning():
    now = local("Australia/Sydney", 2026, 5, 4, 22, 15)
    moment = delivery_moment(
        due_on=datetime.date(2026, 5, 4), now=now, tz=SYDNEY, programme=programme()
    )
    assert moment == local("Australia/Sydney", 2026, 5, 5, 8)


def test_a_reminder_caught_up_after_midnight_waits_for_the_delivery_hour():
    now = local("Europe/London", 2026, 5, 6, 0, 30)
    moment = delivery_moment(
        due_on=datetime.date(2026, 5, 4), now=now, tz=LONDON, programme=programme()
    )
    assert moment == local("Europe/London", 2026, 5, 6, 9)


def test_a_delivery_hour_inside_quiet_hours_is_held_to_their_end():
    moment = delivery_moment(
        due_on=datetime.date(2026, 5, 4),
        now=local("Europe/London", 2026, 5, 4, 0),
        tz=LONDON,
        programme=programme(delivery_hour=6),
    )
    assert moment == local("Europe/London", 2026, 5, 4, 8)


def test_quiet_hours_across_midnight_and_within_a_day():
    night = programme(quiet_hours_start=21, quiet_hours_end=8)
    assert [h for h in range(24) if in_quiet_hours(h, night)] == [
        0,
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        21,
        22,
        23,
    ]
    siesta = programme(quiet_hours_start=13, quiet_hours_end=15)
    assert [h for h in range(24) if in_quiet_hours(h, siesta)] == [13, 14]
    assert not any(
        in_quiet_hours(h, programme(quiet_hours_start=0, quiet_hours_end=0)) for h in range(24)
    )


def test_quiet_hours_ending_on_a_spring_forward_morning_end_at_the_real_instant():
    # New York, 8 March 2026: 02:00 does not exist; quiet hours ending at 02:00 end at 03:00 EDT.
    moment = next_allowed(
        local("America/New_York", 2026, 3, 8, 1, 30),
        NEW_YORK,
        programme(quiet_hours_start=22, quiet_hours_end=2),
    )
    assert moment == datetime.datetime(2026, 3, 8, 7, tzinfo=UTC)
    assert moment.astimezone(NEW_YORK).hour == 3


def test_deliver_any_hour_ignores_delivery_and_quiet_hours():
    now = local("Europe/London", 2026, 5, 4, 2, 30)
    moment = delivery_moment(
        due_on=datetime.date(2026, 5, 4),
        now=now,
        tz=LONDON,
        programme=programme(deliver_any_hour=True),
    )
    assert moment == now
