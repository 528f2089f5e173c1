"""Each kind's timing rule, with time frozen: who gets what, on which local morning."""

import datetime

import pytest
import time_machine
from django.db import transaction

from goals import services as goal_services
from partnerships import services
from partnerships.models import Partnership, Reminder
from reminders import preferences
from reminders.sweep import sweep
from tests.builders import make_coordinator_of, make_partnership, make_programme, make_user
from tests.reminders.conftest import days, due_on, kinds_sent_to, local, sent_to

DUE = datetime.date(2026, 12, 16)  # a Wednesday; the programme's lead time is 2 days
STARTED = datetime.date(2026, 11, 2)


@pytest.fixture
def partnership_with_checkin_due(partnership):
    Partnership.objects.filter(pk=partnership.pk).update(started_on=STARTED)
    return due_on(partnership, DUE)


def test_check_in_coming_up_reaches_each_partner_at_nine_in_their_own_zone(
    partnership_with_checkin_due, mentor, mentee, run_sweep
):
    run_sweep(local("Europe/London", 2026, 12, 13, 9))
    run_sweep(local("Europe/London", 2026, 12, 14, 8, 59))
    assert sent_to(mentor) == []
    run_sweep(local("Europe/London", 2026, 12, 14, 9))
    assert kinds_sent_to(mentor) == ["checkin_upcoming"]
    assert sent_to(mentee) == []  # 04:00 in New York
    run_sweep(local("America/New_York", 2026, 12, 14, 8, 59))
    assert sent_to(mentee) == []
    run_sweep(local("America/New_York", 2026, 12, 14, 9))
    assert kinds_sent_to(mentee) == ["checkin_upcoming"]
    assert kinds_sent_to(mentor) == ["checkin_upcoming"]


def test_check_in_overdue_nudges_one_day_after_then_a_week_later_then_stops(
    partnership_with_checkin_due, mentor, run_sweep
):
    for day in days(datetime.date(2026, 12, 14), datetime.date(2027, 1, 20)):
        run_sweep(local("Europe/London", day.year, day.month, day.day, 9))
    assert kinds_sent_to(mentor) == ["checkin_upcoming", "checkin_overdue", "checkin_overdue"]
    reminders = Reminder.objects.filter(recipient=mentor).order_by("due_on")
    assert [(r.kind, r.period, r.due_on) for r in reminders] == [
        ("checkin_upcoming", "2026-12-16", datetime.date(2026, 12, 14)),
        ("checkin_overdue", "2026-12-16/1", datetime.date(2026, 12, 17)),
        ("checkin_overdue", "2026-12-16/2", datetime.date(2026, 12, 24)),
    ]
    assert [m.subject for m in sent_to(mentor)][1:] == [
        "Your check-in with Milo Mentee is overdue",
        "Still no check-in with Milo Mentee: 8 days overdue",
    ]


def test_a_check_in_logged_in_time_means_no_overdue_nudge(
    partnership_with_checkin_due, mentor, mentee, run_sweep
):
    with time_machine.travel(local("America/New_York", 2026, 12, 16, 18), tick=False):
        services.checkin_start(partnership=partnership_with_checkin_due, by=mentee, held_on=DUE)
    run_sweep(local("Europe/London", 2026, 12, 17, 9))
    run_sweep(local("America/New_York", 2026, 12, 17, 9))
    assert "checkin_overdue" not in kinds_sent_to(mentor) + kinds_sent_to(mentee)


def test_a_reminder_that_stopped_being_due_before_its_moment_is_skipped_not_sent(
    partnership_with_checkin_due, mentor, mentee, run_sweep
):
    run_sweep(local("Europe/London", 2026, 12, 14, 0, 30))  # recorded for 09:00
    upcoming = Reminder.objects.get(recipient=mentor, kind="checkin_upcoming")
    assert upcoming.status == "pending"
    with time_machine.travel(local("Europe/London", 2026, 12, 14, 7), tick=False):
        services.checkin_start(
            partnership=partnership_with_checkin_due, by=mentor, held_on=datetime.date(2026, 12, 13)
        )
    run_sweep(local("Europe/London", 2026, 12, 14, 9))
    upcoming.refresh_from_db()
    assert upcoming.status == "skipped"
    assert (
        upcoming.last_error
        == "Skipped: a check-in was logged (or the due date changed) since it was due."
    )
    assert sent_to(mentor) == []


def test_paused_and_ended_partnerships_get_no_reminders(
    partnership_with_checkin_due, mentor, mentee, other_programme, run_sweep
):
    services.partnership_pause(
        partnership=partnership_with_checkin_due, by=mentee, reason="busy", note="Exams"
    )
    ended = make_partnership(other_programme, make_user("Eve Mentor"), make_user("Ed Mentee"))
    Partnership.objects.filter(pk=ended.pk).update(next_checkin_due_on=DUE)
    services.partnership_end(partnership=ended, by=ended.mentee.user)
    for day in (14, 17, 24):
        run_sweep(local("Europe/London", 2026, 12, day, 9))
        run_sweep(local("America/New_York", 2026, 12, day, 9))
    # Only the partners' notifications that it was paused and ended; no reminder.
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"notification"}


def test_a_person_who_turned_a_kind_off_gets_none_of_that_kind_but_still_the_others(
    partnership_with_checkin_due, mentor, run_sweep
):
    preferences.turn_off(user=mentor, kind="checkin_upcoming")
    run_sweep(local("Europe/London", 2026, 12, 14, 9))
    run_sweep(local("Europe/London", 2026, 12, 17, 9))
    assert kinds_sent_to(mentor) == ["checkin_overdue"]


def test_a_person_with_email_reminders_off_gets_none(
    partnership_with_checkin_due, mentor, mentee, run_sweep
):
    type(mentor).objects.filter(pk=mentor.pk).update(email_reminders=False)
    run_sweep(local("Europe/London", 2026, 12, 14, 9))
    run_sweep(local("Europe/London", 2026, 12, 17, 9))
    assert sent_to(mentor) == []
    assert Reminder.objects.filter(recipient=mentor).count() == 0


def test_goals_to_revisit_a_week_before_the_target_and_after_it_passes_unreviewed(
    partnership_with_checkin_due, mentor, mentee, run_sweep
):
    Partnership.objects.filter(pk=partnership_with_checkin_due.pk).update(
        next_checkin_due_on=None
    )  # only goals here
    with time_machine.travel(local("UTC", 2026, 12, 1, 12), tick=False):
        goal = goal_services.goal_create(
            partnership=partnership_with_checkin_due,
            by=mentee,
            title="Give a talk",
            target_date=datetime.date(2026, 12, 21),
        )
        own = goal_services.goal_create(
            partnership=partnership_with_checkin_due,
            by=mentor,
            title="Ask open questions",
            owner_role="mentor",
            target_date=datetime.date(2026, 12, 23),
        )
    for day in range(13, 31):
        run_sweep(local("America/New_York", 2026, 12, day, 9))
        run_sweep(local("Europe/London", 2026, 12, day, 9))
    mentee_reminders = Reminder.objects.filter(recipient=mentee).order_by("due_on")
    assert [(r.period, r.due_on, r.status) for r in mentee_reminders] == [
        ("2026-12-21/soon", datetime.date(2026, 12, 14), "sent"),
        ("2026-12-21/passed", datetime.date(2026, 12, 22), "sent"),
    ]
    assert [m.subject for m in sent_to(mentee)] == [
        "“Give a talk” is due in 7 days: time to revisit it",
        "Time to revisit “Give a talk”: its target date has passed",
    ]
    assert f"/goals/{goal.code}/" in sent_to(mentee)[0].body
    assert [m.subject for m in sent_to(mentor)] == [
        "“Ask open questions” is due in 7 days: time to revisit it",
        "Time to revisit “Ask open questions”: its target date has passed",
    ]
    assert own.owner == mentor


def test_a_goal_reviewed_at_a_check_in_after_its_target_gets_no_passed_reminder(
    partnership_with_checkin_due, mentee, run_sweep
):
    Partnership.objects.filter(pk=partnership_with_checkin_due.pk).update(next_checkin_due_on=None)
    with time_machine.travel(local("UTC", 2026, 12, 1, 12), tick=False):
        goal = goal_services.goal_create(
            partnership=partnership_with_checkin_due,
            by=mentee,
            title="Give a talk",
            target_date=datetime.date(2026, 12, 21),
        )
    with time_machine.travel(local("America/New_York", 2026, 12, 21, 19), tick=False):
        checkin = services.checkin_start(
            partnership=partnership_with_checkin_due, by=mentee, held_on=datetime.date(2026, 12, 21)
        )
        goal_services.goal_review_record(checkin=checkin, goal=goal, by=mentee, decision="keep")
    run_sweep(local("America/New_York", 2026, 12, 22, 9))
    assert kinds_sent_to(mentee) == []


def test_an_agreement_unsigned_for_two_days_reminds_only_the_partner_who_has_not_signed(
    mentor, mentee, programme, run_sweep
):
    with time_machine.travel(local("UTC", 2026, 12, 10, 10), tick=False):
        proposed = make_partnership(programme, mentor, mentee, active=False)
        agreement = services.agreement_propose(
            partnership=proposed, by=mentee, channels="Video", response_time="Two days"
        )
        services.agreement_sign(agreement=agreement, by=mentee)

    # The match itself is unanswered too, and has its own reminder (test_match_nudge.py).
    def agreement_reminders(person):
        return [m.subject for m in sent_to(person) if "agreement" in m.subject]

    run_sweep(local("Europe/London", 2026, 12, 11, 9))
    run_sweep(local("UTC", 2026, 12, 12, 9, 59))
    assert agreement_reminders(mentor) == []
    run_sweep(local("UTC", 2026, 12, 12, 10))
    run_sweep(local("UTC", 2026, 12, 15, 10))
    assert agreement_reminders(mentor) == [
        "Your partnership agreement with Milo Mentee is waiting for your signature"
    ]
    assert agreement_reminders(mentee) == []
    with time_machine.travel(local("UTC", 2026, 12, 16, 10), tick=False):
        newer = services.agreement_propose(
            partnership=proposed, by=mentor, channels="Chat", response_time="Same day"
        )
        services.agreement_sign(agreement=newer, by=mentor)
    run_sweep(local("America/New_York", 2026, 12, 18, 9))
    assert agreement_reminders(mentee) == [
        "Your partnership agreement with Mara Mentor is waiting for your signature"
    ]
    assert "Version 2" in sent_to(mentee)[0].body


def test_the_coordinator_digest_comes_weekly_on_monday_morning_with_the_partnerships_at_risk(
    mentor, mentee, run_sweep
):
    programme = make_programme(
        "Winter Cohort", starts_on=datetime.date(2026, 10, 1), ends_on=datetime.date(2027, 3, 1)
    )
    coordinator = make_coordinator_of(programme, "Cora Coordinator")
    with time_machine.travel(local("UTC", 2026, 11, 2, 12), tick=False):
        partnership = make_partnership(programme, mentor, mentee)
    Partnership.objects.filter(pk=partnership.pk).update(
        started_on=STARTED, next_checkin_due_on=datetime.date(2026, 11, 16)
    )
    for day in (14, 15, 20, 21):  # Monday, Tuesday, Sunday, Monday
        run_sweep(local("Europe/London", 2026, 12, day, 9))
    assert [m.subject for m in sent_to(coordinator)] == [
        "Winter Cohort this week: 1 partnership at risk, 0 check-ins logged",
        "Winter Cohort this week: 1 partnership at risk, 0 check-ins logged",
    ]
    assert [
        r.period for r in Reminder.objects.filter(recipient=coordinator).order_by("due_on")
    ] == [
        "2026-W51",
        "2026-W52",
    ]
    body = sent_to(coordinator)[0].body
    assert "* Mara Mentor & Milo Mentee: Check-in overdue by 28 days (cadence 14)" in body
    assert f"/admin/partnerships/partnership/{partnership.pk}/change/" in body


def test_two_sweeps_at_the_same_moment_record_each_reminder_once(partnership_with_checkin_due):
    with time_machine.travel(local("Europe/London", 2026, 12, 14, 9), tick=False):
        first = sweep(dispatch=lambda ids: None)
        second = sweep(dispatch=lambda ids: None)
    assert dict(first.created) == {"checkin_upcoming": 2}
    assert dict(second.created) == {}
    assert Reminder.objects.count() == 2


def test_a_rolled_back_transaction_queues_nothing(
    partnership_with_checkin_due, django_capture_on_commit_callbacks
):
    dispatched: list[int] = []
    with time_machine.travel(local("America/New_York", 2026, 12, 14, 9), tick=False):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError), transaction.atomic():
                sweep(dispatch=dispatched.extend)
                raise RuntimeError("something else failed in the same transaction")
    assert callbacks == []
    assert dispatched == []
    assert Reminder.objects.count() == 0


def test_a_reminder_due_now_is_recorded_queued_and_dispatched_once(
    partnership_with_checkin_due, mentor, mentee, django_capture_on_commit_callbacks
):
    """At 09:00 in London the mentor's reminder is due now; in New York it is 04:00."""
    dispatched: list[int] = []
    nine_in_london = local("Europe/London", 2026, 12, 14, 9)
    with time_machine.travel(nine_in_london, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            result = sweep(dispatch=dispatched.extend)
    mentors, mentees = (Reminder.objects.get(recipient=person) for person in (mentor, mentee))
    assert (mentors.status, mentees.status) == ("queued", "pending")
    assert mentors.lease_until > nine_in_london
    assert mentees.lease_until is None
    assert dispatched == result.queued == [mentors.pk]
