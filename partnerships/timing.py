"""When a reminder may arrive: the programme's delivery hour in the recipient's own time
zone, never inside quiet hours. All arithmetic is on local wall-clock dates and hours,
converted to UTC only at the end, so a daylight-saving change cannot move a reminder out
of the morning, and the period key (a local date) cannot double or skip one."""

import datetime
import zoneinfo

UTC = datetime.UTC


def local_today(now: datetime.datetime, tz: zoneinfo.ZoneInfo) -> datetime.date:
    return now.astimezone(tz).date()


def at_local(day: datetime.date, hour: int, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    """``hour`` o'clock on ``day`` in ``tz``, as UTC. An hour skipped by a DST change
    (02:00 on a spring-forward night) resolves to the same instant an hour later."""
    local = datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)
    # Round-trip through UTC so a non-existent wall time lands on a real instant.
    return local.astimezone(UTC)


def in_quiet_hours(hour: int, programme) -> bool:
    start, end = programme.quiet_hours_start, programme.quiet_hours_end
    if start == end:
        return False  # no quiet hours
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end  # across midnight, e.g. 21:00-08:00


def next_allowed(moment: datetime.datetime, tz: zoneinfo.ZoneInfo, programme) -> datetime.datetime:
    """``moment`` itself, or the end of the quiet hours it falls in (held, not dropped)."""
    if programme.deliver_any_hour:
        return moment
    local = moment.astimezone(tz)
    if not in_quiet_hours(local.hour, programme):
        return moment
    day = local.date()
    if programme.quiet_hours_start > programme.quiet_hours_end and (
        local.hour >= programme.quiet_hours_start
    ):
        day += datetime.timedelta(days=1)  # the evening part: quiet until tomorrow morning
    return at_local(day, programme.quiet_hours_end, tz)


def delivery_moment(
    *, due_on: datetime.date, now: datetime.datetime, tz: zoneinfo.ZoneInfo, programme
) -> datetime.datetime:
    """The first moment a reminder due on the local date ``due_on`` may be sent.

    On its day (or, catching up, today) at the delivery hour; if that has passed, now;
    in either case moved out of quiet hours.
    """
    day = max(due_on, local_today(now, tz))
    if programme.deliver_any_hour:
        return max(at_local(day, 0, tz), now)
    return next_allowed(max(at_local(day, programme.delivery_hour, tz), now), tz, programme)
