"""Meetings as iCalendar: the invitations both partners are emailed and the feed their
calendar apps subscribe to, built with the ``icalendar`` library.

One meeting is one event for ever: its UID comes from the meeting's code, and SEQUENCE
is the meeting's ``sequence``, raised by every change, so Google Calendar, Outlook and
Apple Calendar update the event they have (or remove it, on METHOD:CANCEL) instead of
adding another. The start and end carry the time zone the time was chosen in, with its
VTIMEZONE, so each app shows it on its owner's clock.

The organiser is the programme's mail address (DEFAULT_FROM_EMAIL), and both partners
are attendees: either may move the meeting, and each app takes the update from the same
organiser. RSVP is off: partners answer in the workspace, not by calendar reply.
"""

import datetime
import unicodedata
from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
from django.conf import settings

from partnerships.models import Meeting, Partnership

PRODID = "-//Mentorship//Meetings//EN"


def one_line(text: str) -> str:
    """A calendar title or name is one line of plain words, whatever was stored."""
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())


def meeting_uid(meeting: Meeting) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"meeting-{meeting.code}@{domain}"


def organizer_address() -> tuple[str, str]:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return (name or "Mentorship"), address


def _attendee(user, *, accepted: bool) -> icalendar.vCalAddress:
    attendee = icalendar.vCalAddress(f"mailto:{user.email}")
    attendee.params["CN"] = one_line(user.name or user.email)
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    attendee.params["PARTSTAT"] = "ACCEPTED" if accepted else "NEEDS-ACTION"
    attendee.params["RSVP"] = "FALSE"
    return attendee


STATUS = {
    Meeting.Status.PROPOSED: "TENTATIVE",
    Meeting.Status.SCHEDULED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def meeting_event(
    meeting: Meeting,
    *,
    partnership: Partnership,
    for_user,
    url: str,
    agenda: list[str] = (),
    sequence: int | None = None,
    stamp: datetime.datetime | None = None,
) -> icalendar.Event:
    """The meeting as one VEVENT, titled for ``for_user`` (it names their partner).

    ``sequence`` is the version an invitation announces (the meeting's own by default)."""
    partner = partnership.partner_of(for_user)
    tz = meeting.tzinfo
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence if sequence is None else sequence)
    event.add("dtstamp", (stamp or meeting.updated_at).astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(tz))
    event.add("dtend", meeting.ends_at.astimezone(tz))
    event.add("summary", f"Mentoring check-in with {one_line(str(partner))}")
    if meeting.place:
        event.add("location", one_line(meeting.place))
    lines = []
    if agenda:
        lines += ["Agenda so far:", *(f"- {one_line(item)}" for item in agenda), ""]
    lines.append(f"Your partnership, its agenda and goals: {url}")
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("status", STATUS[meeting.status])
    event.add("transp", "OPAQUE")
    name, address = organizer_address()
    organizer = icalendar.vCalAddress(f"mailto:{address}")
    organizer.params["CN"] = one_line(name)
    event.add("organizer", organizer)
    agreed = meeting.status != Meeting.Status.PROPOSED
    for user in partnership.members:
        event.add("attendee", _attendee(user, accepted=agreed or user == meeting.proposed_by))
    return event


def calendar_of(events, *, method: str | None) -> bytes:
    """A VCALENDAR with these events and the VTIMEZONEs their times use."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def invitation(
    meeting: Meeting,
    *,
    partnership: Partnership,
    for_user,
    url: str,
    sequence: int,
    agenda: list[str] = (),
    stamp: datetime.datetime | None = None,
) -> tuple[str, bytes]:
    """(method, file) of the invitation for one partner: REQUEST, or CANCEL once cancelled."""
    method = "CANCEL" if meeting.status == Meeting.Status.CANCELLED else "REQUEST"
    event = meeting_event(
        meeting,
        partnership=partnership,
        for_user=for_user,
        url=url,
        agenda=agenda,
        sequence=sequence,
        stamp=stamp,
    )
    return method, calendar_of([event], method=method)
