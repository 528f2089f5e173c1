"""Check-in coming up (lead days before it is due) and check-in overdue (one day after,
and a second nudge a week later), to both partners of an active partnership."""

import datetime

from django.db.models import Q

from partnerships.models import Partnership, Programme
from partnerships.models.reminder import ReminderKind
from partnerships.reminders import links
from partnerships.reminders.kinds.base import MAX_LEAD_DAYS, OVERDUE_CATCH_UP_DAYS, Due

DAY = datetime.timedelta(days=1)
SECOND_NUDGE_AFTER = 7  # days after the first nudge


def candidates(now: datetime.datetime, *, batch_size: int):
    """Active partnerships whose due date makes some reminder due about now, in batches
    through partnership_checkin_due_idx. Local dates differ from UTC's by at most a day,
    so the window is widened by one day each side and each person's own date decides."""
    from partnerships.reminders.kinds.base import keyset_batches

    today = now.astimezone(datetime.UTC).date()
    overdue = Q(next_checkin_due_on__lte=today)
    leads = set(
        Programme.objects.filter(reminder_lead_days__gt=0).values_list(
            "reminder_lead_days", flat=True
        )
    )
    upcoming_by_lead = Q(pk__in=[])
    for lead in sorted(leads):
        upcoming_by_lead |= Q(
            programme__reminder_lead_days=lead,
            next_checkin_due_on__lte=today + DAY * (lead + 1),
        )
    upcoming = Q(next_checkin_due_on__gt=today) & upcoming_by_lead
    queryset = (
        Partnership.objects.filter(
            status=Partnership.Status.ACTIVE,
            next_checkin_due_on__gte=today - DAY * (OVERDUE_CATCH_UP_DAYS + 1),
            next_checkin_due_on__lte=today + DAY * (MAX_LEAD_DAYS + 1),
        )
        .filter(overdue | upcoming)
        .select_related("programme", "mentor__user", "mentee__user")
    )
    for batch in keyset_batches(
        queryset, order=("next_checkin_due_on", "pk"), batch_size=batch_size
    ):
        yield [due for partnership in batch for due in dues_for(partnership)]


def dues_for(partnership: Partnership):
    due = partnership.next_checkin_due_on
    lead = partnership.programme.reminder_lead_days
    subject = f"partnership:{partnership.pk}"
    common = {
        "programme": partnership.programme,
        "partnership_id": partnership.pk,
        "subject_key": subject,
    }
    for user in partnership.members:
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
    if partnership.status != Partnership.Status.ACTIVE:
        return f"the partnership is {partnership.get_status_display().lower()}"
    if partnership.next_checkin_due_on != _due_date(reminder):
        return "a check-in was logged (or the due date changed) since it was due"
    return None


def context(reminder) -> dict:
    partnership = reminder.partnership
    due = _due_date(reminder)
    today = reminder.due_on
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


def calendar(reminder) -> tuple[str, str] | None:
    """The .ics for "check-in coming up": an all-day event on the due date."""
    if reminder.kind != ReminderKind.CHECKIN_UPCOMING:
        return None
    partnership = reminder.partnership
    due = _due_date(reminder)
    partner = partnership.partner_of(reminder.recipient)
    url = links.partnership_url(partnership)
    stamp = reminder.created_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Mentorship//Reminders//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        # Stable per partnership and due date: a re-send updates the same calendar entry.
        f"UID:checkin-{partnership.code}-{due:%Y%m%d}@{links.mail_domain()}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
        f"DTEND;VALUE=DATE:{due + DAY:%Y%m%d}",
        _fold(f"SUMMARY:Mentoring check-in with {_escape(str(partner))}"),
        _fold(f"DESCRIPTION:Your check-in is due. Agenda and goals: {url}"),
        _fold(f"URL:{url}"),
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "checkin.ics", "\r\n".join(lines) + "\r\n"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", r"\;").replace(",", r"\,").replace("\n", r"\n")


def _fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)
