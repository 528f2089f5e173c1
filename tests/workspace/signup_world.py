"""Shared for the sign-up tests: a programme with open sign-up and three questions, and
Celery running its tasks at once (emails are sent by a task that retries)."""

import pytest

from partnerships.models import ProgrammeIntake, SignupQuestion
from tests.builders import make_programme


@pytest.fixture
def tasks_at_once():
    """Queued tasks run in this process when queued (after commit), retries included."""
    from mentorship.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def fresh_limits():
    """The rate limits count in Redis (this worker's own database): start from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def open_signup(programme=None, **settings) -> ProgrammeIntake:
    programme = programme or make_programme("Spring Cohort", description="Grow with a mentor.")
    intake = ProgrammeIntake.objects.create(programme=programme, signup_open=True, **settings)
    SignupQuestion.objects.create(
        programme=programme,
        position=1,
        text="Which track?",
        kind="one",
        options="Frontend\nBackend\nData",
        required=True,
        is_criterion=True,
    )
    SignupQuestion.objects.create(
        programme=programme,
        position=2,
        text="What do you hope to learn?",
        kind="long",
        required=False,
        asked_of="mentee",
    )
    SignupQuestion.objects.create(
        programme=programme,
        position=3,
        text="How many years have you worked in the field?",
        kind="short",
        required=True,
        asked_of="mentor",
    )
    return intake


def questions(intake) -> dict[str, SignupQuestion]:
    by_text = {q.text: q for q in SignupQuestion.objects.filter(programme=intake.programme)}
    return {
        "track": by_text["Which track?"],
        "hope": by_text["What do you hope to learn?"],
        "years": by_text["How many years have you worked in the field?"],
    }
