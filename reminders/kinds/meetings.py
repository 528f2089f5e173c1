"""Meeting emails: the invitation (and each change of it), "meeting tomorrow" 24 hours
before, and "log this check-in" after the meeting.

Their rows are recorded by partnerships.services.meetings when a partner acts, not found
by the sweep, so there are no ``candidates``: the sweep queues each row when its moment
comes, and the sender holds it in the person's quiet hours. When its moment comes a row
is checked again: an invitation that a newer one replaced, or a reminder of a meeting
that moved, was cancelled or was logged, is skipped.
"""

import datetime

from django.urls import reverse

from partnerships.calendar import invitation
from partnerships.models import AgendaItem, Meeting
from partnerships.models.reminder import ReminderKind
from reminders import links


def candidates(now: datetime.datetime, *, batch_size: int):
    """Nothing to find: the meeting services record these rows themselves."""
    return iter(())


def _meeting(reminder) -> Meeting | None:
    pk = int(reminder.subject_key.split(":")[1])
    return (
        Meeting.objects.select_related(
            "proposed_by",
            "partnership__programme",
            "partnership__mentor__user",
            "partnership__mentee__user",
        )
        .filter(pk=pk)
        .first()
    )


def _sequence(reminder) -> int:
    """The meeting's version this row is about ("seq-3", or "20261210T1500Z/3")."""
    return int(reminder.period.rsplit("/", 1)[-1].removeprefix("seq-"))


def still_due(reminder) -> str | None:
    meeting = _meeting(reminder)
    if meeting is None:
        return "the meeting no longer exists"
    if meeting.sequence != _sequence(reminder):
        return "the meeting changed since; a newer email replaces this one"
    if reminder.kind == ReminderKind.MEETING_INVITATION:
        return None
    partnership = meeting.partnership
    if partnership.status != partnership.Status.ACTIVE:
        return f"the partnership is {partnership.get_status_display().lower()}"
    if meeting.status != Meeting.Status.SCHEDULED:
        return f"the meeting is {meeting.get_status_display().lower()}"
    return None


def agenda_of(partnership) -> list[str]:
    return list(partnership.agenda_items.on_agenda().values_list("text", flat=True))


def log_url(meeting: Meeting) -> str:
    path = reverse("partnerships:checkin_new", args=[meeting.partnership.code])
    return links.absolute(f"{path}?meeting={meeting.code}")


def meeting_url(meeting: Meeting) -> str:
    return links.partnership_url(meeting.partnership) + "#meeting"


def context(reminder) -> dict:
    meeting = _meeting(reminder)
    partnership = meeting.partnership
    recipient = reminder.recipient
    partner = partnership.partner_of(recipient)
    other_zone = meeting.time_zone != recipient.time_zone
    # Wall-clock times, naive: a template's date filter would turn an aware one to the
    # server's time zone, and each person reads the meeting on their own clock.
    start = meeting.start_for(recipient).replace(tzinfo=None)
    return {
        "meeting": meeting,
        "partnership": partnership,
        "partner": partner,
        "start": start,
        "end": meeting.ends_at.astimezone(recipient.tzinfo).replace(tzinfo=None),
        "time_zone": recipient.time_zone.replace("_", " "),
        # The time as it was chosen, when that was on another clock.
        "chosen_start": meeting.local_start.replace(tzinfo=None) if other_zone else None,
        "chosen_zone": meeting.time_zone.replace("_", " ") if other_zone else "",
        "proposed_by_me": meeting.proposed_by_id == recipient.pk,
        "moved": meeting.sequence > 0 and meeting.status == Meeting.Status.PROPOSED,
        "agenda": agenda_of(partnership),
        "suggested": partnership.agenda_items.filter(status=AgendaItem.Status.SUGGESTED).count(),
        "is_mentee": partnership.mentee.user_id == recipient.pk,
        "action_url": log_url(meeting)
        if reminder.kind == ReminderKind.MEETING_LOG
        else meeting_url(meeting),
    }


def calendar(reminder) -> tuple[str, str, str] | None:
    """The invitation itself: REQUEST with this version's sequence, or CANCEL."""
    if reminder.kind != ReminderKind.MEETING_INVITATION:
        return None
    meeting = _meeting(reminder)
    partnership = meeting.partnership
    method, content = invitation(
        meeting,
        partnership=partnership,
        for_user=reminder.recipient,
        url=meeting_url(meeting),
        sequence=_sequence(reminder),
        agenda=agenda_of(partnership),
        stamp=reminder.created_at,
    )
    return "meeting.ics", content.decode(), f"text/calendar; method={method}"
