"""Scheduling the next meeting (partnerships.services.meetings): each partner proposes on
their own clock, the other accepts or suggests another time, either moves or cancels it;
every change is a new version of one calendar event, and the reminders follow the
meeting. A scheduled meeting is what the next check-in is due on."""

import datetime

import icalendar
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from partnerships import services
from partnerships.models import Meeting, Partnership, Reminder
from partnerships.services.meetings import (
    meeting_accept,
    meeting_cancel,
    meeting_move,
    meeting_propose,
)
from reminders.compose import compose
from reminders.kinds.meetings import still_due
from tests.reminders.conftest import local

# Monday 7 December 2026, 09:00 in London (04:00 in New York).
NOW = local("Europe/London", 2026, 12, 7, 9)
THURSDAY = datetime.date(2026, 12, 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def active(partnership):
    Partnership.objects.filter(pk=partnership.pk).update(started_on=datetime.date(2026, 11, 2))
    partnership.refresh_from_db()
    return partnership


def propose(partnership, by, day=THURSDAY, hour=15, **extra):
    return meeting_propose(
        partnership=partnership,
        by=by,
        day=day,
        start_time=datetime.time(hour, 0),
        duration_minutes=extra.pop("duration_minutes", 60),
        **extra,
    )


def rows(meeting, kind):
    return list(
        Reminder.objects.filter(subject_key=f"meeting:{meeting.pk}", kind=kind).order_by("pk")
    )


def pending(meeting, kind):
    return [r for r in rows(meeting, kind) if r.status == "pending"]


def test_a_proposal_is_on_the_proposers_clock_and_waits_for_the_partner(active, mentor, mentee):
    meeting = propose(active, mentor, place="https://video.example.org/x")
    assert meeting.status == Meeting.Status.PROPOSED
    assert meeting.time_zone == "Europe/London"
    assert meeting.starts_at == local("Europe/London", 2026, 12, 10, 15)
    assert meeting.start_for(mentee).hour == 10  # New York
    assert meeting.waits_for(active) == mentee
    # Both are sent the invitation (tentative); nothing else is due yet.
    assert {r.recipient for r in rows(meeting, "meeting_invitation")} == {mentor, mentee}
    assert rows(meeting, "meeting_tomorrow") == rows(meeting, "meeting_log") == []
    # A proposal is not yet what the next check-in is due on.
    active.refresh_from_db()
    assert active.next_checkin_due_on != THURSDAY


def test_the_proposer_cannot_accept_their_own_time(active, mentor):
    meeting = propose(active, mentor)
    with pytest.raises(PermissionDenied):
        meeting_accept(meeting=meeting, by=mentor)


def test_accepting_schedules_it_raises_the_sequence_and_sets_the_due_date(active, mentor, mentee):
    meeting = propose(active, mentor)
    meeting_accept(meeting=meeting, by=mentee)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == (Meeting.Status.SCHEDULED, 1)
    active.refresh_from_db()
    assert active.next_checkin_due_on == THURSDAY
    assert [r.period for r in rows(meeting, "meeting_invitation")] == ["seq-0"] * 2 + ["seq-1"] * 2


def test_the_day_before_reminder_comes_24_hours_before_out_of_each_persons_quiet_hours(
    active, mentor, mentee
):
    # 08:00 in New York is 13:00 in London: the day before, both are awake.
    meeting = propose(active, mentee, hour=8)
    meeting_accept(meeting=meeting, by=mentor)
    before = {r.recipient: r.send_after for r in rows(meeting, "meeting_tomorrow")}
    assert before == {
        mentor: local("Europe/London", 2026, 12, 9, 13),
        mentee: local("America/New_York", 2026, 12, 9, 8),
    }
    # "Log this check-in" half an hour after it ends.
    after = {r.recipient: r.send_after for r in rows(meeting, "meeting_log")}
    assert after[mentee] == local("America/New_York", 2026, 12, 10, 9, 30)


def test_a_day_before_inside_quiet_hours_waits_until_they_end(active, mentor, mentee):
    # 15:00 in London is 10:00 in New York; 24 hours before is fine for both. 07:30 in
    # London, the day before, is 02:30 in New York: held to New York's morning.
    meeting = propose(active, mentor, hour=7, duration_minutes=30)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=local("Europe/London", 2026, 12, 10, 7, 30)
    )
    meeting.refresh_from_db()
    meeting_accept(meeting=meeting, by=mentee)
    before = {r.recipient: r.send_after for r in rows(meeting, "meeting_tomorrow")}
    assert before[mentor] == local("Europe/London", 2026, 12, 9, 8)  # quiet until 08:00
    assert before[mentee] == local("America/New_York", 2026, 12, 9, 8)
    assert before[mentee] < meeting.starts_at - datetime.timedelta(hours=1)


def test_moving_asks_the_partner_again_and_withdraws_the_old_reminders(active, mentor, mentee):
    meeting = propose(active, mentor)
    meeting_accept(meeting=meeting, by=mentee)
    assert len(pending(meeting, "meeting_tomorrow")) == 2
    meeting_move(
        meeting=meeting,
        by=mentee,
        day=THURSDAY + datetime.timedelta(days=1),
        start_time=datetime.time(9, 0),
        duration_minutes=45,
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence, meeting.time_zone) == (
        Meeting.Status.PROPOSED,
        2,
        "America/New_York",
    )
    assert meeting.proposed_by == mentee
    assert pending(meeting, "meeting_tomorrow") == []
    assert {r.status for r in rows(meeting, "meeting_tomorrow")} == {"skipped"}
    # Only the scheduled meeting counts: back to the cadence until it is agreed again.
    active.refresh_from_db()
    assert active.next_checkin_due_on == active.next_checkin_due()
    assert active.next_checkin_due_on != THURSDAY
    meeting_accept(meeting=meeting, by=mentor)
    active.refresh_from_db()
    assert active.next_checkin_due_on == THURSDAY + datetime.timedelta(days=1)


def test_every_version_is_the_same_event_with_a_higher_sequence_and_cancel_removes_it(
    active, mentor, mentee, settings
):
    settings.SITE_URL = "https://mentoring.example.org"

    def sent_to_mentee(meeting):
        """The mentee's invitation of the meeting's current version, as sent now."""
        [reminder] = [
            r
            for r in rows(meeting, "meeting_invitation")
            if r.recipient == mentee and r.period == f"seq-{meeting.sequence}"
        ]
        assert still_due(reminder) is None
        [(_, content, _)] = compose(reminder).attachments
        cal = icalendar.Calendar.from_ical(content)
        [event] = cal.walk("VEVENT")
        return str(cal["METHOD"]), str(event["UID"]), int(event["SEQUENCE"])

    meeting = propose(active, mentor)
    events = [sent_to_mentee(meeting)]
    meeting_move(
        meeting=meeting,
        by=mentee,
        day=THURSDAY,
        start_time=datetime.time(11, 0),
        duration_minutes=60,
    )
    events.append(sent_to_mentee(meeting))
    meeting_cancel(meeting=meeting, by=mentor, note="Ill")
    events.append(sent_to_mentee(meeting))
    assert [e[0] for e in events] == ["REQUEST", "REQUEST", "CANCEL"]
    assert len({e[1] for e in events}) == 1
    assert [e[2] for e in events] == [0, 1, 2]
    # An older invitation still waiting is not sent: the newest one replaces it.
    oldest = min(rows(meeting, "meeting_invitation"), key=lambda r: r.period)
    assert "newer email replaces" in still_due(oldest)


def test_a_time_that_does_not_exist_or_happens_twice_is_refused(active, mentor, mentee):
    # London springs forward at 01:00 on 28 March 2027 and falls back at 02:00 on 31 October.
    with pytest.raises(ValidationError) as gap:
        propose(active, mentor, day=datetime.date(2027, 3, 28), hour=1)
    assert gap.value.error_dict["start_time"][0].code == "nonexistent_time"
    assert "does not exist in Europe/London" in str(gap.value)
    with pytest.raises(ValidationError) as twice:
        propose(active, mentor, day=datetime.date(2027, 10, 31), hour=1)
    assert twice.value.error_dict["start_time"][0].code == "ambiguous_time"
    assert not Meeting.objects.exists()


def test_a_time_in_the_past_or_too_far_ahead_is_refused(active, mentor):
    with pytest.raises(ValidationError) as past:
        propose(active, mentor, day=datetime.date(2026, 12, 7), hour=8)
    assert "has passed" in str(past.value)
    with pytest.raises(ValidationError):
        propose(active, mentor, day=datetime.date(2028, 1, 1))
    with pytest.raises(ValidationError):
        propose(active, mentor, duration_minutes=5)


def test_one_next_meeting_per_partnership(active, mentor, mentee):
    propose(active, mentor)
    with pytest.raises(ValidationError) as again:
        propose(active, mentee)
    assert again.value.code == "exists"
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            partnership=active,
            starts_at=NOW + datetime.timedelta(days=2),
            time_zone="UTC",
            proposed_by=mentee,
            created_by=mentee,
        )


def test_outsiders_and_other_partnerships_partners_cannot_touch_it(
    active, mentor, outsider, other_partnership
):
    meeting = propose(active, mentor)
    intruder = other_partnership.mentee.user
    for who in (outsider, intruder):
        with pytest.raises(PermissionDenied):
            meeting_accept(meeting=meeting, by=who)
        with pytest.raises(PermissionDenied):
            meeting_cancel(meeting=meeting, by=who)
        with pytest.raises(PermissionDenied):
            propose(active, who)


def test_a_cancelled_meeting_cannot_be_accepted_and_a_new_one_can_be_proposed(
    active, mentor, mentee
):
    meeting = propose(active, mentor)
    meeting_cancel(meeting=meeting, by=mentee)
    with pytest.raises(ValidationError):
        meeting_accept(meeting=meeting, by=mentee)
    assert propose(active, mentee).status == Meeting.Status.PROPOSED


def test_a_check_in_logged_on_the_meetings_day_holds_it(active, mentor, mentee):
    meeting = propose(active, mentor)
    meeting_accept(meeting=meeting, by=mentee)
    with time_machine.travel(local("Europe/London", 2026, 12, 10, 17), tick=False):
        checkin = services.checkin_start(partnership=active, by=mentee, held_on=THURSDAY)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.checkin) == (Meeting.Status.HELD, checkin)
    assert pending(meeting, "meeting_log") == []
    active.refresh_from_db()
    assert active.next_checkin_due_on == THURSDAY + datetime.timedelta(
        days=active.checkin_cadence_days
    )


def test_a_paused_partnership_cannot_schedule(active, mentor):
    services.partnership_pause(partnership=active, by=mentor, reason="other")
    active.refresh_from_db()
    with pytest.raises(ValidationError):
        propose(active, mentor)
