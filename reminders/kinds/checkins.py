"""Check-in coming up (lead days before it is due) and check-in overdue (one day after,
and a second nudge a week later), to both partners of an active partnership."""

import datetime
import unicodedata

import icalendar
from django.db.models import Exists, OuterRef
from django.utils import timezone

from partnerships.models import Meeting, Partnership, Programme
from partnerships.models.reminder import ReminderKind
from reminders import links
from reminders.kinds.base import (
    MAX_LEAD_DAYS,
    OVERDUE_CATCH_UP_DAYS,
    Due,
    Recipient,
    keyset_batches,
)

DAY = datetime.timedelta(days=1)
SECOND_NUDGE_AFTER = 7  # days after the first nudge


# What the sweep reads of each person and programme: narrow rows, fast batches.
PERSON_FIELDS = ("id", "time_zone", "is_active", "email_reminders")
PROGRAMME_FIELDS = (
    "id",
    "ends_on",
    "time_zone",
    "reminder_lead_days",
    "delivery_hour",
    "quiet_hours_start",
    "quiet_hours_end",
    "deliver_any_hour",
)
SIDES = ("mentor", "mentee")


def candidates(now: datetime.datetime, *, batch_size: int):
    """Active partnerships whose due date makes some reminder due about now, in batches
    through partnership_checkin_due_idx: the overdue range, then the coming-up range (each
    a plain range scan). Local dates differ from UTC's by at most a day, so each range is
    a day wider on each side and each person's own date decides (Due.in_window).

    Rows are plain named tuples (a partnership with its two people), not model instances:
    a sweep reads tens of thousands of them."""
    today = now.astimezone(datetime.UTC).date()
    programmes = Programme.objects.only(*PROGRAMME_FIELDS).in_bulk()
    longest_lead = max((p.reminder_lead_days for p in programmes.values()), default=0)
    active = Partnership.objects.filter(status=Partnership.Status.ACTIVE).values_list(
        "pk",
        "next_checkin_due_on",
        "programme_id",
        "extended_until",
        *(f"{side}__user__{f}" for side in SIDES for f in PERSON_FIELDS),
        named=True,
    )
    ranges = [(today - DAY * (OVERDUE_CATCH_UP_DAYS + 1), today)]
    if longest_lead:
        ranges.append((today + DAY, today + DAY * (min(longest_lead, MAX_LEAD_DAYS) + 1)))
    # A meeting in both calendars has its own invitation and "meeting tomorrow": no
    # all-day "check-in coming up" for its day (one EXISTS per row, in the same query).
    scheduled = Meeting.objects.scheduled().filter(partnership=OuterRef("pk"))
    for number, (first, last) in enumerate(ranges):
        queryset = active.filter(next_checkin_due_on__range=(first, last))
        if number:  # the coming-up range
            queryset = queryset.exclude(Exists(scheduled))
        for batch in keyset_batches(
            queryset, order=("next_checkin_due_on", "pk"), batch_size=batch_size
        ):
            people: dict[int, Recipient] = {}  # a mentor with many mentees is read once
            yield [
                due
                for row in batch
                if not _ended(row, programmes[row.programme_id], now)
                for due in dues_for(row, programmes[row.programme_id], _members(row, people))
            ]


def _ended(row, programme: Programme, now: datetime.datetime) -> bool:
    """The programme's end (or the partnership's extension) has passed: nothing is due."""
    end = max(programme.ends_on, row.extended_until or programme.ends_on)
    return programme.today(now) > end


def _members(row, people: dict) -> list[Recipient]:
    members = []
    for side in SIDES:
        pk, time_zone, is_active, email_reminders = (
            getattr(row, f"{side}__user__{f}") for f in PERSON_FIELDS
        )
        if pk not in people:
            people[pk] = Recipient(pk, time_zone, is_active, email_reminders)
        members.append(people[pk])
    return members


def dues_for(row, programme: Programme, members: list[Recipient]):
    """The reminders one partnership (a row of ``candidates``) may owe each member."""
    due = row.next_checkin_due_on
    lead = programme.reminder_lead_days
    common = {
        "programme": programme,
        "partnership_id": row.pk,
        "subject_key": f"partnership:{row.pk}",
    }
    for user in members:
        if lead:
            yield Due(
                recipient=user,
                kind=ReminderKind.CHECKIN_UPCOMING,
                period=due.isoformat(),
                due_on=due - DAY * lead,
                last_day=due - DAY,
                **common,
            )
        yield Due(
            recipient=user,
            kind=ReminderKind.CHECKIN_OVERDUE,
            period=f"{due.isoformat()}/1",
            due_on=due + DAY,
            last_day=due + DAY * SECOND_NUDGE_AFTER,
            **common,
        )
        yield Due(
            recipient=user,
            kind=ReminderKind.CHECKIN_OVERDUE,
            period=f"{due.isoformat()}/2",
            due_on=due + DAY * (SECOND_NUDGE_AFTER + 1),
            last_day=due + DAY * OVERDUE_CATCH_UP_DAYS,
            **common,
        )


def _due_date(reminder) -> datetime.date:
    return datetime.date.fromisoformat(reminder.period.split("/")[0])


def still_due(reminder) -> str | None:
    """Why this reminder should no longer go out, or None if it should."""
    partnership = reminder.partnership
    partnership.programme = reminder.programme  # loaded with the reminder
    if partnership.status != Partnership.Status.ACTIVE:
        return f"the partnership is {partnership.get_status_display().lower()}"
    if partnership.has_ended():
        return "the programme has ended"
    if partnership.next_checkin_due_on != _due_date(reminder):
        return "a check-in was logged (or the due date changed) since it was due"
    return None


def context(reminder) -> dict:
    partnership = reminder.partnership
    due = _due_date(reminder)
    today = timezone.localdate(timezone=reminder.recipient.tzinfo)  # at sending
    return {
        "partnership": partnership,
        "partner": partnership.partner_of(reminder.recipient),
        "due": due,
        "days_until": (due - today).days,
        "days_overdue": max((today - due).days, 0),
        "second_nudge": reminder.period.endswith("/2"),
        "cadence": partnership.checkin_cadence_days,
        "action_url": links.partnership_url(partnership),
    }


def calendar(reminder) -> tuple[str, str, str] | None:
    """The .ics for "check-in coming up": an all-day event on the due date."""
    if reminder.kind != ReminderKind.CHECKIN_UPCOMING:
        return None
    partnership = reminder.partnership
    due = _due_date(reminder)
    partner = partnership.partner_of(reminder.recipient)
    url = links.partnership_url(partnership)
    event = icalendar.Event()
    # Stable per partnership and due date: a re-send updates the same calendar entry.
    event.add("uid", f"checkin-{partnership.code}-{due:%Y%m%d}@{links.mail_domain()}")
    event.add("dtstamp", reminder.created_at.astimezone(datetime.UTC))
    event.add("dtstart", due)
    event.add("dtend", due + DAY)
    event.add("summary", f"Mentoring check-in with {_one_line(str(partner))}")
    event.add("description", f"Your check-in is due. Agenda and goals: {url}")
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", "-//Mentorship//Reminders//EN")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add_component(event)
    return "checkin.ics", cal.to_ical().decode(), "text/calendar"


def _one_line(text: str) -> str:
    """Names refuse control characters when typed, but rows written before that rule (or
    from a shell) may still have one: a calendar title is one line of plain words."""
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())
