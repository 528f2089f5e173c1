"""A proposed match waiting for an answer: two days after it was proposed, each person who
has not answered gets one reminder, on their own morning (never in quiet hours), over real
SMTP on loopback, with a button to the page where they answer it."""

import pytest
import time_machine
from django.urls import reverse

from partnerships.models import Reminder
from partnerships.models.reminder import ReminderKind
from partnerships.services.matches import match_accept, match_decline, match_propose
from reminders.preferences import set_kinds
from tests.builders import join
from tests.reminders.conftest import local

SITE = "https://mentoring.example.org"


@pytest.fixture
def proposed(programme, coordinator, mentor, mentee):
    """Cora proposes Mara (London) to Milo (New York) on 1 December at 15:00 UTC, which
    is 10:00 in New York: two days later both mornings have passed, so each person's
    reminder waits for their next one, on 4 December."""
    with time_machine.travel(local("UTC", 2026, 12, 1, 15), tick=False):
        return match_propose(
            mentee=join(programme, mentee, "mentee"),
            mentor=join(programme, mentor, "mentor", capacity=2),
            by=coordinator,
        )


def nudges_in(server) -> list:
    return [m for m in server.inbox.messages if m["Subject"].startswith("Your match with")]


def row_of(page: str, start: str) -> str:
    begin = page.index(start)
    return page[begin : page.index("</tr>", begin)]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def test_whoever_has_not_answered_is_reminded_once_on_their_morning_two_days_later(
    proposed, mentor, mentee, smtp_server, run_sweep, client
):
    with time_machine.travel(local("UTC", 2026, 12, 2, 14), tick=False):
        match_accept(partnership=proposed, by=mentee)
    run_sweep(local("UTC", 2026, 12, 3, 14, 59))  # not yet two days
    run_sweep(local("UTC", 2026, 12, 3, 15, 1))  # two days, but London's morning has passed
    run_sweep(local("Europe/London", 2026, 12, 4, 8, 30))  # the morning, before 09:00
    assert nudges_in(smtp_server) == []
    run_sweep(local("Europe/London", 2026, 12, 4, 9))
    [nudge] = nudges_in(smtp_server)
    assert nudge["To"] == mentor.email
    assert nudge["Subject"] == "Your match with Milo Mentee is waiting for your answer"
    url = f"{SITE}/partnerships/{proposed.code}/match/"
    text = text_of(nudge)
    assert text.startswith("Hello Mara,")
    assert (
        "On 1 December a match was proposed to you in Spring Cohort: you with Milo Mentee" in text
    )
    assert "Milo has accepted it; the partnership starts only when you have both accepted." in text
    assert f"Accept or decline the match: {url}" in text
    assert "Why you got this: A match proposed to you two days ago is still waiting" in text
    html = html_of(nudge)
    assert f'<a href="{url}"' in html
    assert "Accept or decline the match</a>" in html
    assert "Unsubscribe from “A proposed match waiting for your answer”" in html
    assert nudge["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The button opens the very page where Mara answers.
    client.force_login(mentor)
    page = client.get(url.removeprefix(SITE))
    assert page.status_code == 200
    assert b"Accept the match</button>" in page.content
    assert b"Milo has accepted." in page.content
    # Once: the days after bring nothing more, to Mara or to Milo, who had answered.
    for day in range(4, 12):
        run_sweep(local("Europe/London", 2026, 12, day, 9, 30))
        run_sweep(local("America/New_York", 2026, 12, day, 9, 30))
    assert [m["To"] for m in nudges_in(smtp_server)] == [mentor.email]
    assert Reminder.objects.filter(subject_key=f"match:{proposed.pk}").count() == 1


def test_each_person_is_reminded_on_their_own_morning(
    proposed, mentor, mentee, smtp_server, run_sweep
):
    run_sweep(local("Europe/London", 2026, 12, 4, 9))  # 04:00 in New York
    assert [m["To"] for m in nudges_in(smtp_server)] == [mentor.email]
    run_sweep(local("America/New_York", 2026, 12, 4, 8, 59))
    assert len(nudges_in(smtp_server)) == 1
    run_sweep(local("America/New_York", 2026, 12, 4, 9))
    assert [m["To"] for m in nudges_in(smtp_server)] == [mentor.email, mentee.email]
    to_milo = nudges_in(smtp_server)[1]
    assert "you with Mara Mentor as your mentor. Neither of you has answered yet;" in text_of(
        to_milo
    )


def test_an_answer_given_after_the_reminder_was_recorded_stops_it(
    proposed, mentor, mentee, smtp_server, run_sweep
):
    run_sweep(local("Europe/London", 2026, 12, 4, 0, 5))  # recorded, held for the morning
    assert Reminder.objects.get(subject_key=f"match:{proposed.pk}").status == "pending"
    with time_machine.travel(local("Europe/London", 2026, 12, 4, 8), tick=False):
        match_decline(partnership=proposed, by=mentor, reason="no_time")
    run_sweep(local("Europe/London", 2026, 12, 4, 9))
    run_sweep(local("America/New_York", 2026, 12, 4, 9))
    assert nudges_in(smtp_server) == []
    rows = Reminder.objects.filter(subject_key=f"match:{proposed.pk}")
    # Mara's was skipped; Milo's day had not come when she declined, so it never was.
    assert list(rows.values_list("recipient", "status")) == [(mentor.pk, "skipped")]


def test_nobody_who_turned_the_match_reminder_off_is_reminded(
    proposed, mentor, mentee, smtp_server, run_sweep
):
    set_kinds(user=mentor, on=set(ReminderKind.values) - {ReminderKind.MATCH_WAITING})
    run_sweep(local("Europe/London", 2026, 12, 4, 9))
    run_sweep(local("America/New_York", 2026, 12, 4, 9))
    assert [m["To"] for m in nudges_in(smtp_server)] == [mentee.email]


def test_a_match_proposed_by_an_accepted_request_needs_no_reminder(
    programme, mentor, mentee, smtp_server, run_sweep
):
    with time_machine.travel(local("UTC", 2026, 12, 1, 15), tick=False):
        match_propose(
            mentee=join(programme, mentee, "mentee"),
            mentor=join(programme, mentor, "mentor", capacity=2),
            by=mentor,
            accepted_by=("mentee", "mentor"),
        )
    run_sweep(local("Europe/London", 2026, 12, 4, 9))
    run_sweep(local("America/New_York", 2026, 12, 4, 9))
    assert nudges_in(smtp_server) == []
    assert not Reminder.objects.filter(subject_key__startswith="match:").exists()


def test_the_coordinator_sees_who_has_not_answered_and_when_they_were_reminded(
    proposed, programme, coordinator, mentee, smtp_server, run_sweep, client
):
    with time_machine.travel(local("UTC", 2026, 12, 2, 14), tick=False):
        match_accept(partnership=proposed, by=mentee)
    page_url = reverse("admin:partnerships_programme_matching", args=[programme.pk])
    client.force_login(coordinator)
    waiting = client.get(page_url).content.decode()
    row = waiting[
        waiting.index("Milo Mentee <span") : waiting.index("</tr>", waiting.index("Milo"))
    ]
    assert "Mara Mentor</td>" in row  # the one who has not answered, not yet reminded
    assert "reminded" not in row
    run_sweep(local("Europe/London", 2026, 12, 4, 9))
    waiting = client.get(page_url).content.decode()
    row = waiting[
        waiting.index("Milo Mentee <span") : waiting.index("</tr>", waiting.index("Milo"))
    ]
    assert "(accepted)" in row
    assert 'Mara Mentor <span class="coord-muted">· reminded 4 Dec</span></td>' in row
