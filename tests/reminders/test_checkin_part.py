"""Check-in waiting for your part: a day after one partner logs a check-in, the other is
asked to add theirs — once, and only while they still have added nothing."""

import datetime

import pytest
import time_machine
from django.db import transaction

from goals import services as goal_services
from goals.checkin_parts import CheckInPart, checkin_log
from partnerships import services
from partnerships.models import Partnership, Reminder
from partnerships.models.reminder import ReminderStatus
from reminders import preferences
from reminders.send import deliver
from reminders.sweep import sweep
from tests.reminders.conftest import days, kinds_sent_to, local, sent_to
from tests.reminders.smtp import SMTPServer

LOGGED = local("UTC", 2026, 12, 10, 15)  # 10:00 in New York, where the mentee lives
HELD = datetime.date(2026, 12, 9)


def log_checkin(partnership, by, *, at=LOGGED, held_on=HELD, **part):
    with time_machine.travel(at, tick=False):
        return checkin_log(
            partnership=partnership, by=by, held_on=held_on, part=CheckInPart(**part)
        )


def test_a_day_after_the_mentor_logs_a_check_in_the_mentee_is_asked_to_add_their_part(
    partnership, mentor, mentee, run_sweep
):
    checkin = log_checkin(partnership, mentor, reflection="Good talk about the portfolio.")
    run_sweep(local("UTC", 2026, 12, 11, 14, 59))
    assert sent_to(mentee) == []
    run_sweep(local("UTC", 2026, 12, 11, 15))
    [email] = sent_to(mentee)
    assert email.subject == "Mara logged your check-in of 9 December: add your part"
    assert "Mara Mentor logged your check-in of Wednesday 9 December" in email.body
    assert "the agenda, a review of each of your goals" in email.body
    assert f"/partnerships/checkins/{checkin.code}/" in email.body
    assert sent_to(mentor) == []  # the one who logged it has given their part


def test_the_mentor_is_asked_when_the_mentee_logged_it_and_only_once(
    partnership, mentor, mentee, run_sweep
):
    log_checkin(partnership, mentee, agenda="Interview practice")
    for day in days(datetime.date(2026, 12, 11), datetime.date(2026, 12, 20)):
        run_sweep(local("Europe/London", day.year, day.month, day.day, 16))
    assert kinds_sent_to(mentor) == ["checkin_part"]
    assert "a review of your learning goals" in sent_to(mentor)[0].body
    assert sent_to(mentee) == []


def _reflect(checkin, by):
    services.reflection_write(checkin=checkin, by=by, text="Useful.")


def _feedback(checkin, by):
    services.feedback_give(checkin=checkin, by=by, rating=4)


def _agenda(checkin, by):
    services.checkin_set_agenda(checkin=checkin, by=by, agenda="Salary talk")


def _next_step(checkin, by):
    goal_services.next_step_create(
        partnership=checkin.partnership, by=by, owner=by, description="Send CV", checkin=checkin
    )


@pytest.mark.parametrize("add_part", [_reflect, _feedback, _agenda, _next_step])
def test_nothing_is_sent_to_a_partner_who_added_anything(
    add_part, partnership, mentor, mentee, run_sweep
):
    checkin = log_checkin(partnership, mentor)
    with time_machine.travel(local("UTC", 2026, 12, 10, 18), tick=False):
        add_part(checkin, mentee)
    run_sweep(local("UTC", 2026, 12, 11, 16))
    assert sent_to(mentee) == []


def test_a_goal_review_counts_as_the_partners_part(partnership, mentor, mentee, run_sweep):
    with time_machine.travel(local("UTC", 2026, 12, 1, 12), tick=False):
        goal = goal_services.goal_create(
            partnership=partnership, by=mentee, owner_role="mentee", title="Land a UX role"
        )
    checkin = log_checkin(partnership, mentor)
    with time_machine.travel(local("UTC", 2026, 12, 10, 18), tick=False):
        goal_services.goal_review_record(checkin=checkin, goal=goal, by=mentee, decision="keep")
    run_sweep(local("UTC", 2026, 12, 11, 16))
    assert sent_to(mentee) == []


def test_a_reminder_recorded_before_the_partner_added_their_part_is_skipped(
    partnership, mentor, mentee
):
    checkin = log_checkin(partnership, mentor)
    with time_machine.travel(local("UTC", 2026, 12, 11, 16), tick=False):
        with transaction.atomic():
            sweep(dispatch=lambda ids: None)
    reminder = Reminder.objects.get(recipient=mentee, kind="checkin_part")
    with time_machine.travel(local("UTC", 2026, 12, 11, 16, 5), tick=False):
        _reflect(checkin, mentee)
        deliver(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SKIPPED
    assert sent_to(mentee) == []


def test_only_the_latest_logged_check_in_of_an_active_partnership_asks(
    partnership, mentor, mentee, run_sweep
):
    log_checkin(partnership, mentor)
    log_checkin(partnership, mentor, at=local("UTC", 2026, 12, 10, 16), held_on=HELD.replace(day=8))
    run_sweep(local("UTC", 2026, 12, 11, 17))
    assert [m.subject for m in sent_to(mentee)] == [
        "Mara logged your check-in of 8 December: add your part"
    ]


def test_a_paused_partnership_and_a_person_who_turned_the_kind_off_get_nothing(
    partnership, programme, mentor, mentee, run_sweep
):
    log_checkin(partnership, mentor)
    with time_machine.travel(local("UTC", 2026, 12, 10, 18), tick=False):
        services.partnership_pause(partnership=partnership, by=mentee, reason="busy", note="Exams")
    run_sweep(local("UTC", 2026, 12, 11, 16))
    assert sent_to(mentee) == []

    other = Partnership.objects.get(pk=partnership.pk)
    with time_machine.travel(local("UTC", 2026, 12, 12, 9), tick=False):
        services.partnership_resume(partnership=other, by=mentee)
    preferences.turn_off(user=mentee, kind="checkin_part")
    log_checkin(other, mentor, at=local("UTC", 2026, 12, 12, 10), held_on=HELD.replace(day=11))
    run_sweep(local("UTC", 2026, 12, 13, 16))
    assert sent_to(mentee) == []


def test_a_check_in_found_late_is_not_chased_after_a_week(partnership, mentor, mentee, run_sweep):
    log_checkin(partnership, mentor)
    run_sweep(local("UTC", 2026, 12, 19, 16))  # the first sweep in nine days
    assert sent_to(mentee) == []


def test_the_email_arrives_over_smtp_with_a_link_to_the_check_in_and_why(
    partnership, mentor, mentee, settings
):
    server = SMTPServer().start()
    settings.MAILERS = server.mailer()
    settings.SITE_URL = "https://mentoring.example.org"
    try:
        checkin = log_checkin(partnership, mentor)
        moment = local("UTC", 2026, 12, 11, 16)
        with time_machine.travel(moment, tick=False):
            with transaction.atomic():
                sweep(dispatch=lambda ids: None)
            reminder = Reminder.objects.get(recipient=mentee, kind="checkin_part")
            assert deliver(reminder.pk) == "sent"
        [message] = server.inbox.messages
    finally:
        server.stop()
    assert message["To"] == mentee.email
    assert message["Subject"] == "Mara logged your check-in of 9 December: add your part"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = f"https://mentoring.example.org/partnerships/checkins/{checkin.code}/"
    assert f"Open the check-in: {link}" in text
    assert "Why you got this: Your partner logged a check-in, and it is waiting for your part." in (
        text
    )
    assert f'href="{link}"' in html
    assert "Unsubscribe from “Check-in waiting for your part”" in html
