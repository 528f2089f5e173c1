"""On a phone in Chromium: a mentee past the day's asks sends one more; the directory
comes back with the refusal on that mentor's card, the card open and the note as typed,
and passes axe."""

import pytest
from playwright.sync_api import expect

from partnerships.models import MatchRequest
from partnerships.services.match_requests import ASKS_PER_DAY
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from tests.builders import PASSWORD, join, make_programme, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_refused_ask_keeps_the_note_on_the_mentors_card(new_page):
    programme = make_programme("Phone Cohort")
    milo = join(programme, make_user("Milo Mentee"), "mentee", interests="python")
    alice = join(programme, make_user("Alice Adams"), "mentor", capacity=2, interests="python")
    bob = join(programme, make_user("Bob Brown"), "mentor", capacity=2)
    for _ in range(ASKS_PER_DAY):  # asked and withdrawn, again and again, today
        MatchRequest.objects.create(mentee=milo, mentor=bob, status="withdrawn")
    page = new_page(width=390, height=844)
    log_in(page, milo.user.email, PASSWORD)
    page.goto("/matching/")
    card = page.locator("li.mentor-card", has_text="Alice Adams")
    card.get_by_text("Ask Alice").click()
    card.get_by_label("A short note to Alice").fill("Could we talk about Python?")
    card.get_by_role("button", name="Send the request to Alice").click()
    card = page.locator("li.mentor-card", has_text="Alice Adams")
    expect(card.get_by_role("alert")).to_contain_text(
        f"You have asked {ASKS_PER_DAY} times in the last 24 hours"
    )
    expect(card.get_by_label("A short note to Alice")).to_have_value("Could we talk about Python?")
    assert MatchRequest.objects.filter(mentee=milo, mentor=alice).count() == 0
    screenshot(page, "asking-limit-phone")
    assert serious_accessibility_violations(page) == []
