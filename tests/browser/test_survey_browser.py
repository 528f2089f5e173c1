"""Answering a survey in a real Chromium: on a phone, without JavaScript, one page; a
missing required answer keeps what was typed; the page passes axe."""

import datetime

import pytest
from django.db import connections
from django.utils import timezone

from partnerships.models import Programme, SurveyAnswer, SurveyResponse
from partnerships.services.surveys import survey_copy
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from tests.builders import (
    PASSWORD,
    builtin_survey,
    make_coordinator_of,
    make_partnership,
    make_programme,
    make_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def closing_survey():
    today = timezone.localdate()
    programme = make_programme("Spring Cohort")
    Programme.objects.filter(pk=programme.pk).update(ends_on=today + datetime.timedelta(days=5))
    coordinator = make_coordinator_of(programme)
    mentor = make_user("Mara Mentor", time_zone="Europe/London")
    mentee = make_user("Milo Mentee", time_zone="Europe/London")
    partnership = make_partnership(programme, mentor, mentee)
    survey = survey_copy(survey=builtin_survey("closing"), programme=programme, by=coordinator)
    first = survey.questions.order_by("position", "pk").first()
    first.required = True
    first.save()
    return partnership, survey, mentee


@pytest.fixture
def closing_connections():
    """With Playwright's sync API running, the test body's connections belong to a context
    pytest-django's teardown does not see; one left open stops the test database from
    being dropped (as in test_coordinator_dashboard)."""
    yield
    connections.close_all()


def test_a_mentee_answers_on_a_phone_without_javascript(
    new_page, closing_survey, closing_connections
):
    partnership, survey, mentee = closing_survey
    # With JavaScript, to measure the page and run axe on it.
    page = new_page(width=390, height=844)
    log_in(page, mentee.email, PASSWORD)
    page.goto(f"/partnerships/{partnership.code}/surveys/{survey.code}/closing/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    assert serious_accessibility_violations(page) == []
    # Without: the link from the workspace, and the whole answer.
    page = new_page(javascript=False, width=390, height=844)
    log_in(page, mentee.email, PASSWORD)
    page.goto(f"/partnerships/{partnership.code}/")
    page.get_by_role("link", name="Closing survey").click()
    assert page.get_by_role("heading", name="Closing survey").is_visible()
    # The required first question left out: the rest is kept.
    page.get_by_role("group", name="What did you gain?").get_by_label("Confidence").check()
    page.get_by_label("What should we keep, and what should we change?").fill("More pairs")
    page.get_by_role("button", name="Send my answers").click()
    assert "This field is required." in page.locator("body").inner_text()
    assert page.get_by_label("What should we keep, and what should we change?").input_value() == (
        "More pairs"
    )
    assert (
        page.get_by_role("group", name="What did you gain?").get_by_label("Confidence").is_checked()
    )
    screenshot(page, "survey-phone-error")
    overall = page.get_by_role("group", name="Overall, how valuable was the programme for you?")
    overall.get_by_label("4", exact=True).check()
    page.get_by_label("My written answers may be shown").check()
    page.get_by_role("button", name="Send my answers").click()
    assert "Thank you: your answers are saved." in page.locator("body").inner_text()
    response = SurveyResponse.objects.get(survey=survey, respondent=mentee)
    assert response.share_text
    assert sorted(
        SurveyAnswer.objects.filter(response=response).values_list("scale", flat=True), key=str
    ) == sorted([4, None, None], key=str)
    page.goto(f"/partnerships/{partnership.code}/surveys/{survey.code}/closing/")
    assert "You answered this on" in page.locator("body").inner_text()
