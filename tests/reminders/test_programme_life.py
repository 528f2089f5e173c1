"""The programme's life on PostgreSQL with the real sweep and the real beat task: the
wrap-up asks both partners, the end date completes open partnerships in the programme's own
time zone, reminders stop, and the partners read but can no longer write, unless a
coordinator let their partnership run on."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from goals.tasks import close_programmes
from partnerships import services
from partnerships.models import Activity, Partnership, Programme, Reminder
from partnerships.services.programme_life import partnership_extend, programme_close
from reminders.kinds.digest import life_events
from tests.builders import make_partnership, make_user
from tests.reminders.conftest import days, due_on, kinds_sent_to, local, sent_to

STARTED = datetime.date(2026, 11, 2)
ENDS = datetime.date(2026, 12, 31)  # a Thursday; the wrap-up (14 days) opens on the 17th


@pytest.fixture
def ending(programme, partnership):
    Programme.objects.filter(pk=programme.pk).update(
        starts_on=datetime.date(2026, 10, 1), ends_on=ENDS, wrap_up_days=14
    )
    Partnership.objects.filter(pk=partnership.pk).update(started_on=STARTED)
    programme.refresh_from_db()
    # The next check-in is due after the end: its reminders must never come.
    return due_on(partnership, datetime.date(2027, 1, 14))


def test_the_wrap_up_asks_both_partners_once_when_its_window_opens(
    ending, mentor, mentee, run_sweep
):
    run_sweep(local("Europe/London", 2026, 12, 16, 9))
    run_sweep(local("America/New_York", 2026, 12, 16, 9))
    assert kinds_sent_to(mentor) == kinds_sent_to(mentee) == []
    for day in days(datetime.date(2026, 12, 17), datetime.date(2026, 12, 20)):
        run_sweep(local("Europe/London", day.year, day.month, day.day, 9))
        run_sweep(local("America/New_York", day.year, day.month, day.day, 9))
    assert kinds_sent_to(mentor) == ["wrap_up"]
    assert kinds_sent_to(mentee) == ["wrap_up"]
    [email] = sent_to(mentee)
    assert email.subject == "Spring Cohort ends on 31 December: time to wrap up with Mara Mentor"
    assert "Write your closing reflection" in email.body
    assert "#programme-life" in email.body


def test_at_the_end_date_open_partnerships_complete_and_reminders_stop(
    ending, programme, mentor, mentee, run_sweep
):
    # Midnight has not come in the programme's zone (UTC) yet: nothing closes.
    with time_machine.travel(local("UTC", 2026, 12, 31, 23, 59), tick=False):
        assert close_programmes() == {}
    ending.refresh_from_db()
    assert ending.status == "active"
    with time_machine.travel(local("UTC", 2027, 1, 1, 0, 15), tick=False):
        assert close_programmes() == {str(programme.pk): 1}
        assert close_programmes() == {}  # again: nothing left to do
    ending.refresh_from_db()
    assert (ending.status, ending.ended_on, ending.next_checkin_due_on) == (
        "completed",
        ENDS,
        None,
    )
    programme.refresh_from_db()
    assert programme.closed_at is not None
    assert Activity.objects.filter(partnership=ending, verb="completed").count() == 1
    before = Reminder.objects.count()
    for day in days(datetime.date(2027, 1, 1), datetime.date(2027, 1, 25)):
        run_sweep(local("Europe/London", day.year, day.month, day.day, 9))
        run_sweep(local("America/New_York", day.year, day.month, day.day, 9))
    assert Reminder.objects.count() == before
    assert [k for k in kinds_sent_to(mentor) if k.startswith("checkin")] == []


def test_the_end_date_turns_over_at_midnight_in_the_programmes_own_zone(ending, programme):
    Programme.objects.filter(pk=programme.pk).update(time_zone="Pacific/Auckland")
    programme.refresh_from_db()
    # 23:00 on the 31st in Auckland: still the last day.
    with time_machine.travel(local("Pacific/Auckland", 2026, 12, 31, 23), tick=False):
        assert programme_close(programme=programme) == 0
    # 00:30 on 1 January in Auckland, still 31 December in London.
    with time_machine.travel(local("Pacific/Auckland", 2027, 1, 1, 0, 30), tick=False):
        assert close_programmes() == {str(programme.pk): 1}
    ending.refresh_from_db()
    assert ending.status == "completed"


def test_the_partners_read_but_cannot_write_once_it_has_ended(
    ending, programme, mentor, mentee, client
):
    with time_machine.travel(local("UTC", 2027, 1, 2, 10), tick=False):
        close_programmes()
        ending.refresh_from_db()
        with pytest.raises(ValidationError) as refused:
            services.checkin_start(partnership=ending, by=mentee, held_on=datetime.date(2027, 1, 2))
        assert refused.value.code in ("programme_ended", "not_active")
        with pytest.raises(ValidationError) as refused:
            services.closing_reflection_write(partnership=ending, by=mentee, text="Too late")
        assert "read-only" in " ".join(refused.value.messages)
        client.force_login(mentee)
        page = client.get(reverse("partnerships:workspace", args=[ending.code]))
        assert page.status_code == 200
        assert "This workspace is now read-only" in page.text
        response = client.post(
            reverse("partnerships:closing", args=[ending.code]),
            {"closing-text": "Too late", "closing-visibility": "private"},
        )
        assert response.status_code in (200, 302, 422)
        assert not ending.closing_reflections.filter(author=mentee).exists()


def test_a_coordinator_lets_one_partnership_run_on(
    ending, programme, coordinator, mentor, mentee, run_sweep
):
    other = make_partnership(programme, make_user("Ola Mentor"), make_user("Ike Mentee"))
    with pytest.raises(ValidationError):
        partnership_extend(partnership=ending, until=ENDS, by=coordinator)
    with pytest.raises(PermissionDenied):
        partnership_extend(partnership=ending, until=datetime.date(2027, 1, 31), by=mentor)
    with time_machine.travel(local("UTC", 2026, 12, 20, 10), tick=False):
        partnership_extend(partnership=ending, until=datetime.date(2027, 1, 31), by=coordinator)
    with time_machine.travel(local("UTC", 2027, 1, 1, 0, 15), tick=False):
        assert close_programmes() == {str(programme.pk): 1}
    ending.refresh_from_db()
    other.refresh_from_db()
    assert (ending.status, other.status) == ("active", "completed")
    # It still works, and its reminders still come.
    with time_machine.travel(local("America/New_York", 2027, 1, 5, 12), tick=False):
        services.checkin_start(partnership=ending, by=mentee, held_on=datetime.date(2027, 1, 5))
    ending.refresh_from_db()
    assert ending.next_checkin_due_on == datetime.date(2027, 1, 19)
    run_sweep(local("Europe/London", 2027, 1, 17, 9))
    assert "checkin_upcoming" in kinds_sent_to(mentor)
    with time_machine.travel(local("UTC", 2027, 2, 1, 0, 15), tick=False):
        assert close_programmes() == {str(programme.pk): 1}
    ending.refresh_from_db()
    assert (ending.status, ending.ended_on) == ("completed", datetime.date(2027, 1, 31))


def test_a_partnership_that_never_began_ends_with_the_programme(programme, mentor, mentee):
    Programme.objects.filter(pk=programme.pk).update(
        starts_on=datetime.date(2026, 10, 1), ends_on=ENDS
    )
    programme.refresh_from_db()
    proposed = make_partnership(programme, mentor, mentee, active=False)
    with time_machine.travel(local("UTC", 2027, 1, 1, 9), tick=False):
        close_programmes()
    proposed.refresh_from_db()
    assert (proposed.status, proposed.end_reason) == ("ended_early", "not_begun")


def test_the_coordinator_digest_tells_the_programmes_life(ending, programme):
    Programme.objects.filter(pk=programme.pk).update(retention_months=1)
    programme.refresh_from_db()
    week = local("UTC", 2026, 12, 13, 0)
    assert life_events(programme, today=datetime.date(2026, 12, 20), since=week) == [
        "The wrap-up began on 17 December: the partners of 1 open partnership are asked for "
        "closing reflections and the closing survey."
    ]
    events = life_events(
        programme, today=datetime.date(2027, 1, 5), since=local("UTC", 2026, 12, 29, 0)
    )
    assert events[-1] == (
        "Retention: private reflections will be deleted on 31 January 2027, as the "
        "programme's setting says; participants were told a month before."
    )
