"""The meeting emails (reminders/kinds/meetings.py): the invitation to each partner with
its calendar file, read back with icalendar (one UID for ever, SEQUENCE raised by each
change, METHOD:CANCEL, the time zone carried with its VTIMEZONE, organiser and both
attendees); "meeting tomorrow" on each partner's own clock; "log this check-in" opening
the check-in form with the meeting. A row about an older version of the meeting, or a
meeting that moved, was cancelled or logged, is skipped when its moment comes."""

import datetime
import zoneinfo

import icalendar
import pytest
import time_machine

from partnerships.models import AgendaItem, Meeting, Reminder
from partnerships.models.reminder import ReminderKind
from reminders.compose import compose
from reminders.kinds import MODULE_OF, WHY, meetings
from tests.reminders.conftest import local
from tests.reminders.smtp import SMTPServer

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Mara (London) proposes Thursday 10 December 2026, 15:00 London: 10:00 in New York.
START = local("Europe/London", 2026, 12, 10, 15)
BEFORE = local("Europe/London", 2026, 12, 7, 9)


@pytest.fixture
def smtp_server(settings):
    server = SMTPServer().start()
    settings.MAILERS = server.mailer()
    settings.SITE_URL = "https://mentoring.example.org"
    settings.DEFAULT_FROM_EMAIL = "Mentoring <mentoring@example.org>"
    yield server
    server.stop()


@pytest.fixture
def meeting(partnership, mentor):
    return Meeting.objects.create(
        partnership=partnership,
        starts_at=START,
        duration_minutes=60,
        time_zone="Europe/London",
        place="https://video.example.org/mara-milo",
        proposed_by=mentor,
        created_by=mentor,
    )


def row(meeting, user, kind=ReminderKind.MEETING_INVITATION, *, moment=None) -> Reminder:
    """The outbox row the meeting services record (partnerships.services.meetings)."""
    period = (
        f"seq-{meeting.sequence}"
        if kind == ReminderKind.MEETING_INVITATION
        else f"{meeting.starts_at:%Y%m%dT%H%MZ}/{meeting.sequence}"
    )
    moment = moment or BEFORE
    return Reminder.objects.create(
        recipient=user,
        kind=kind,
        programme_id=meeting.partnership.programme_id,
        partnership=meeting.partnership,
        subject_key=f"meeting:{meeting.pk}",
        period=period,
        due_on=moment.astimezone(user.tzinfo).date(),
        send_after=moment,
    )


def change(meeting, **fields) -> Meeting:
    """What a move, an acceptance or a cancellation does to the row: a new version."""
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.sequence += 1
    meeting.save()
    return meeting


def invitation_of(message) -> tuple[str, icalendar.Calendar]:
    [(filename, content, mimetype)] = message.attachments
    assert filename == "meeting.ics"
    return mimetype, icalendar.Calendar.from_ical(content)


def test_the_kinds_are_registered_with_a_reason_each():
    for kind in (
        ReminderKind.MEETING_INVITATION,
        ReminderKind.MEETING_TOMORROW,
        ReminderKind.MEETING_LOG,
    ):
        assert MODULE_OF[kind] is meetings
        assert WHY[kind]
    # Recorded by the meeting services, not found by the sweep.
    assert list(meetings.candidates(START, batch_size=10)) == []


def test_the_invitation_reads_back_as_one_event_with_its_time_zone_organiser_and_attendees(
    meeting, partnership, mentor, mentee, settings
):
    settings.SITE_URL = "https://mentoring.example.org"
    settings.DEFAULT_FROM_EMAIL = "Mentoring <mentoring@example.org>"
    mimetype, cal = invitation_of(compose(row(meeting, mentee)))
    assert mimetype == "text/calendar; method=REQUEST"
    assert str(cal["METHOD"]) == "REQUEST"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.code}@mentoring.example.org"
    assert event["SEQUENCE"] == 0
    start = event.decoded("DTSTART")
    assert start == START and start.tzinfo.key == "Europe/London"
    assert event.decoded("DTEND") - start == datetime.timedelta(minutes=60)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    [vtimezone] = cal.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/London"
    assert str(event["SUMMARY"]) == "Mentoring check-in with Mara Mentor"  # for Milo
    assert str(event["LOCATION"]) == "https://video.example.org/mara-milo"
    assert str(event["STATUS"]) == "TENTATIVE"
    assert str(event["ORGANIZER"]) == "mailto:mentoring@example.org"
    attendees = {str(a): a.params["PARTSTAT"] for a in event["ATTENDEE"]}
    # Mara proposed the time: she has accepted it; Milo has yet to answer.
    assert attendees == {
        f"mailto:{mentor.email}": "ACCEPTED",
        f"mailto:{mentee.email}": "NEEDS-ACTION",
    }


def test_each_change_updates_the_same_event_and_a_cancellation_removes_it(
    meeting, mentor, mentee, settings
):
    settings.SITE_URL = "https://mentoring.example.org"
    first = row(meeting, mentee)
    _, before = invitation_of(compose(first))
    change(
        meeting,
        starts_at=START + datetime.timedelta(days=1),
        time_zone="America/New_York",
        proposed_by=mentee,
    )
    second = row(meeting, mentor)
    _, moved = invitation_of(compose(second))
    [old], [new] = before.walk("VEVENT"), moved.walk("VEVENT")
    assert str(new["UID"]) == str(old["UID"])
    assert new["SEQUENCE"] == 1 > old["SEQUENCE"]
    assert new["DTSTART"].params["TZID"] == "America/New_York"
    assert new.decoded("DTSTART") == START + datetime.timedelta(days=1)
    # The first invitation, not yet sent, is not sent any more: the newer one replaces it.
    assert "newer email replaces" in meetings.still_due(first)
    assert meetings.still_due(second) is None
    change(meeting, status=Meeting.Status.CANCELLED)
    message = compose(row(meeting, mentor))
    mimetype, cancelled = invitation_of(message)
    assert mimetype == "text/calendar; method=CANCEL"
    assert str(cancelled["METHOD"]) == "CANCEL"
    [gone] = cancelled.walk("VEVENT")
    assert str(gone["UID"]) == str(old["UID"])
    assert gone["SEQUENCE"] == 2
    assert str(gone["STATUS"]) == "CANCELLED"
    assert message.subject == "Cancelled: your meeting with Milo on Fri 11 Dec"


def test_the_invitation_gives_each_partner_the_time_on_their_own_clock(
    meeting, mentor, mentee, settings
):
    change(meeting, status=Meeting.Status.SCHEDULED)
    AgendaItem.objects.create(partnership=meeting.partnership, text="Salary talk", added_by=mentee)
    for_milo = compose(row(meeting, mentee))
    assert for_milo.subject == "Meeting with Mara: Thu 10 Dec, 10:00"
    assert (
        "You and Mara Mentor meet on Thursday 10 December, 10:00 to 11:00 (America/New York)."
        in for_milo.body
    )
    assert "That is 15:00 in Europe/London, where the time was chosen." in for_milo.body
    assert "- Salary talk" in for_milo.body
    for_mara = compose(row(meeting, mentor))
    assert for_mara.subject == "Meeting with Milo: Thu 10 Dec, 15:00"
    assert "where the time was chosen" not in for_mara.body
    _, cal = invitation_of(for_mara)
    [event] = cal.walk("VEVENT")
    assert str(event["STATUS"]) == "CONFIRMED"
    assert {a.params["PARTSTAT"] for a in event["ATTENDEE"]} == {"ACCEPTED"}
    assert "Salary talk" in str(event["DESCRIPTION"])


def test_the_day_before_and_the_log_reminder_are_skipped_once_the_meeting_moves_or_ends(
    meeting, partnership, mentor, mentee
):
    change(meeting, status=Meeting.Status.SCHEDULED)
    tomorrow = row(meeting, mentee, ReminderKind.MEETING_TOMORROW)
    assert meetings.still_due(tomorrow) is None
    message = compose(tomorrow)
    assert message.subject == "Tomorrow: meeting with Mara at 10:00"
    assert "Nothing is on the agenda yet. What would you like to talk about?" in message.body
    assert message.attachments == []
    change(meeting, starts_at=START + datetime.timedelta(hours=2))
    assert "changed since" in meetings.still_due(tomorrow)
    newer = row(meeting, mentee, ReminderKind.MEETING_TOMORROW)
    assert meetings.still_due(newer) is None
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    assert meetings.still_due(newer) == "the meeting is cancelled"
    partnership.status = partnership.Status.PAUSED
    partnership.save()
    assert meetings.still_due(newer) == "the partnership is paused"


def test_log_this_check_in_opens_the_check_in_form_with_the_meeting(
    meeting, partnership, mentor, settings
):
    settings.SITE_URL = "https://mentoring.example.org"
    change(meeting, status=Meeting.Status.SCHEDULED)
    message = compose(row(meeting, mentor, ReminderKind.MEETING_LOG))
    assert message.subject == "How did your meeting with Milo go? Log the check-in"
    url = (
        f"https://mentoring.example.org/partnerships/{partnership.code}/checkins/new/"
        f"?meeting={meeting.code}"
    )
    assert f"Log the check-in: {url}" in message.body
    assert "Your meeting has ended and its check-in is not logged yet." in message.body


def test_the_invitation_arrives_over_smtp_as_a_calendar_part(
    meeting, mentee, smtp_server, run_sweep
):
    # 15:00 in London is 10:00 for Milo in New York: out of his quiet hours.
    noon = BEFORE + datetime.timedelta(hours=6)
    reminder = row(meeting, mentee, moment=noon)
    run_sweep(noon + datetime.timedelta(minutes=1))
    reminder.refresh_from_db()
    assert reminder.status == "sent"
    [message] = [m for m in smtp_server.inbox.messages if m["To"] == mentee.email]
    assert message["Subject"] == "Mara proposes a meeting: Thu 10 Dec, 10:00"
    [invite] = list(message.iter_attachments())
    assert invite.get_content_type() == "text/calendar"
    assert invite.get_param("method") == "REQUEST"
    cal = icalendar.Calendar.from_ical(invite.get_content())
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.code}@mentoring.example.org"


def test_the_day_before_arrives_over_smtp_at_each_partners_own_hour(
    partnership, mentor, mentee, smtp_server, run_sweep
):
    """08:30 in London is 03:30 in New York: Mara gets "tomorrow" at 08:30 the day before,
    Milo when his quiet hours end, at 08:00 his time (13:00 in London)."""
    from partnerships.services.meetings import meeting_accept, meeting_propose

    with time_machine.travel(BEFORE, tick=False):
        meeting = meeting_propose(
            partnership=partnership,
            by=mentor,
            day=datetime.date(2026, 12, 10),
            start_time=datetime.time(8, 30),
            duration_minutes=30,
        )
        meeting_accept(meeting=meeting, by=mentee)

    def tomorrow_to(user):
        return [
            m
            for m in smtp_server.inbox.messages
            if m["To"] == user.email and m["Subject"].startswith("Tomorrow:")
        ]

    run_sweep(local("Europe/London", 2026, 12, 9, 8, 29))
    assert tomorrow_to(mentor) == [] and tomorrow_to(mentee) == []
    run_sweep(local("Europe/London", 2026, 12, 9, 8, 31))
    [to_mara] = tomorrow_to(mentor)
    assert to_mara["Subject"] == "Tomorrow: meeting with Milo at 08:30"
    assert tomorrow_to(mentee) == []
    run_sweep(local("America/New_York", 2026, 12, 9, 7, 59))
    assert tomorrow_to(mentee) == []
    run_sweep(local("America/New_York", 2026, 12, 9, 8, 1))
    [to_milo] = tomorrow_to(mentee)
    assert to_milo["Subject"] == "Tomorrow: meeting with Mara at 03:30"
    assert "03:30 to 04:00 (America/New York)" in to_milo.get_body(("plain",)).get_content()


def test_check_in_coming_up_is_not_sent_while_a_meeting_is_scheduled(
    partnership, mentor, mentee, run_sweep
):
    """The sweep finds no "coming up" for a meeting's day, and one already waiting is
    skipped once a meeting is scheduled: the invitation and "meeting tomorrow" cover it."""
    from partnerships.services.meetings import meeting_accept, meeting_propose

    waiting = Reminder.objects.create(
        recipient=mentor,
        kind="checkin_upcoming",
        programme=partnership.programme,
        partnership=partnership,
        subject_key=f"partnership:{partnership.pk}",
        period=partnership.next_checkin_due_on.isoformat(),
        due_on=BEFORE.date(),
        send_after=BEFORE + datetime.timedelta(days=1),
    )
    with time_machine.travel(BEFORE, tick=False):
        meeting = meeting_propose(
            partnership=partnership,
            by=mentor,
            day=datetime.date(2026, 12, 10),
            start_time=datetime.time(15, 0),
        )
        meeting_accept(meeting=meeting, by=mentee)
    waiting.refresh_from_db()
    assert waiting.status == "skipped"
    run_sweep(local("Europe/London", 2026, 12, 8, 9))  # two days before the meeting
    assert not Reminder.objects.filter(kind="checkin_upcoming", status="pending").exists()
    assert not Reminder.objects.filter(kind="checkin_upcoming", period="2026-12-10").exists()
