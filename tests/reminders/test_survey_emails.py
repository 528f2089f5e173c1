"""Survey invitations ride the reminder outbox: one row per person and round, on the
morning the round opens in each person's zone, over real SMTP (on loopback), with a
one-click unsubscribe; one reminder a week later to whoever has not answered."""

import datetime

import pytest

from partnerships.models import Partnership, Reminder
from partnerships.services.surveys import survey_answer, survey_copy
from tests.builders import builtin_survey
from tests.reminders.conftest import local

STARTED = datetime.date(2026, 11, 2)  # the 30-day pulse opens on 2 December


@pytest.fixture
def pulse(programme, coordinator, partnership):
    Partnership.objects.filter(pk=partnership.pk).update(started_on=STARTED)
    partnership.refresh_from_db()
    return survey_copy(survey=builtin_survey("pulse"), programme=programme, by=coordinator)


def surveys_in(server) -> list:
    """The survey emails among what arrived (check-in reminders come too)."""
    return [m for m in server.inbox.messages if m["X-Mentorship-Reminder"].startswith("survey ")]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_the_invitation_comes_on_the_morning_the_round_opens_then_one_reminder(
    pulse, partnership, mentor, mentee, smtp_server, run_sweep
):
    run_sweep(local("Europe/London", 2026, 12, 1, 9))
    assert surveys_in(smtp_server) == []
    run_sweep(local("Europe/London", 2026, 12, 2, 9))
    [to_mentor] = surveys_in(smtp_server)  # 04:00 in New York: not yet for Milo
    assert to_mentor["To"] == mentor.email
    assert to_mentor["Subject"] == "Pulse check (at 30 days), Spring Cohort"
    url = (
        f"https://mentoring.example.org/partnerships/{partnership.code}/surveys/{pulse.code}/day30/"
    )
    body = text_of(to_mentor)
    assert f"Answer the survey: {url}" in body
    assert "Your partner never sees your answers." in body
    assert "List-Unsubscribe=One-Click" in to_mentor["List-Unsubscribe-Post"]
    run_sweep(local("America/New_York", 2026, 12, 2, 9))
    assert [m["To"] for m in surveys_in(smtp_server)] == [mentor.email, mentee.email]
    # Milo answers; a week later only Mara is reminded, once.
    questions = pulse.questions.order_by("position", "pk")
    survey_answer(
        partnership=partnership,
        survey=pulse,
        round_key="day30",
        by=mentee,
        answers={questions[0].pk: 4},
        today=datetime.date(2026, 12, 3),
    )
    for day in range(3, 16):
        run_sweep(local("Europe/London", 2026, 12, day, 9))
        run_sweep(local("America/New_York", 2026, 12, day, 9))
    later = surveys_in(smtp_server)[2:]
    assert [(m["To"], m["Subject"]) for m in later] == [
        (mentor.email, "A reminder: Pulse check (at 30 days), Spring Cohort")
    ]
    assert Reminder.objects.filter(kind="survey").count() == 3
