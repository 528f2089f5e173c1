"""A mentor and a mentee run their partnership in a real Chromium, with htmx and without."""

import re

import pytest
from playwright.sync_api import expect

from goals.models import Goal
from partnerships import services
from partnerships.models import Feedback
from tests.browser.conftest import (
    log_in,
    screenshot,
    serious_accessibility_violations,
)
from tests.builders import PASSWORD, make_partnership, make_programme, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partnership_with_proposed_agreement():
    programme = make_programme("Spring Cohort")
    mentor = make_user("Mara Mentor", time_zone="Europe/London")
    mentee = make_user("Milo Mentee", time_zone="Europe/London")
    partnership = make_partnership(programme, mentor, mentee)
    services.agreement_propose(
        partnership=partnership,
        by=mentor,
        checkin_cadence_days=14,
        channels="Video call",
        response_time="Within two working days",
    )
    return partnership, mentor, mentee


def mark_page(page) -> None:
    """A flag that survives htmx swaps but not a full page load."""
    page.evaluate("window.__stillHere = true")


def assert_no_reload(page) -> None:
    assert page.evaluate("window.__stillHere === true"), "the page reloaded"


def sign_agreement(page, version: int = 1) -> None:
    page.get_by_role("button", name=f"Sign version {version}").click()


def add_goal(page, title: str, *, summary: str) -> None:
    goals = page.locator("#goals")
    goals.locator("summary", has_text=summary).click()
    form = goals.locator("details[open] form")
    form.get_by_label("Title").fill(title)
    form.get_by_role("button", name=re.compile("this goal")).click()


def log_checkin(page, *, revise: str, revised_to: str, achieved: str) -> None:
    checkins = page.locator("#checkins")
    checkins.locator("summary", has_text="Log a check-in").click()
    form = checkins.locator("#checkin-new-form")
    form.get_by_label("Agenda").fill("Talk through the team meeting and the blog post.")
    review = form.locator(".review", has=page.locator("legend", has_text=revise))
    review.get_by_label("Revise").check()
    review.get_by_label("New wording").fill(revised_to)
    review.get_by_label("Note").fill("Smaller first step")
    form.locator(".review", has=page.locator("legend", has_text=achieved)).get_by_label(
        "Achieved"
    ).check()
    form.get_by_label("Your reflection").fill("Good progress, nervous about speaking.")
    form.get_by_label("Shared with my partner").check()
    form.get_by_label("Next step").fill("Draft the five-minute talk")
    form.get_by_role("button", name="Save the check-in").click()


def give_feedback(page, rating: int, comment: str) -> None:
    checkin = page.locator("article.checkin").first
    checkin.locator("summary", has_text="feedback").click()
    checkin.locator(f"input[name$='-rating'][value='{rating}']").check()
    checkin.get_by_label("A note for your partner").fill(comment)
    checkin.get_by_role("button", name="Send feedback").click()


def test_mentor_and_mentee_run_their_partnership_with_htmx(
    new_page, partnership_with_proposed_agreement
):
    partnership, mentor, mentee = partnership_with_proposed_agreement
    workspace = f"/partnerships/{partnership.code}/"

    milo = new_page()
    milo.goto("/")
    assert serious_accessibility_violations(milo) == []  # the login page
    log_in(milo, mentee.email, PASSWORD)
    expect(milo.get_by_role("link", name="Sign agreement version 1")).to_be_visible()
    assert serious_accessibility_violations(milo) == []  # the dashboard

    milo.goto(workspace)
    mark_page(milo)
    sign_agreement(milo)
    expect(milo.locator("#agreement")).to_contain_text("Waiting for Mara's signature.")
    add_goal(milo, "Speak at a team meeting", summary="Add a goal")
    expect(milo.locator("#goals")).to_contain_text("Goal “Speak at a team meeting” added.")
    assert_no_reload(milo)

    mara = new_page()
    log_in(mara, mentor.email, PASSWORD)
    mara.goto(workspace)
    mark_page(mara)
    sign_agreement(mara)
    expect(mara.locator("#agreement")).to_contain_text("In force: version 1")
    add_goal(mara, "Write a blog post", summary="Propose a goal for Milo")
    expect(mara.locator("#goals")).to_contain_text("Waiting for Milo to adopt or decline it.")
    assert_no_reload(mara)

    milo.reload()
    mark_page(milo)
    milo.get_by_role("button", name="Adopt “Write a blog post”").click()
    expect(milo.locator("#goals")).to_contain_text("“Write a blog post” is now your goal.")
    log_checkin(
        milo,
        revise="Speak at a team meeting",
        revised_to="Give a five-minute talk at a team meeting",
        achieved="Write a blog post",
    )
    expect(milo.locator("#checkins")).to_contain_text("logged. Mara can now add their part.")
    expect(milo.locator("#goals")).to_contain_text("Give a five-minute talk at a team meeting")
    give_feedback(milo, 5, "Really useful, thank you.")
    expect(milo.locator("article.checkin").first).to_contain_text("5/5 from you to Mara")
    assert_no_reload(milo)

    mara.reload()
    mark_page(mara)
    give_feedback(mara, 4, "Great preparation.")
    first = mara.locator("article.checkin").first
    expect(first).to_contain_text("4/5 from you to Milo")
    expect(first).to_contain_text("5/5 from Milo")
    expect(first).to_contain_text("Really useful, thank you.")
    expect(first).to_contain_text("Good progress, nervous about speaking.")  # shared
    assert_no_reload(mara)

    milo.reload()
    expect(milo.locator("article.checkin").first).to_contain_text("4/5 from Mara")
    assert serious_accessibility_violations(milo) == []  # the workspace
    screenshot(milo, "workspace-mentee")
    milo.goto("/")
    screenshot(milo, "dashboard-mentee")
    mara.goto(workspace)
    screenshot(mara, "workspace-mentor")

    milo.goto(workspace)
    milo.get_by_role("link", name="Give a five-minute talk at a team meeting").first.click()
    timeline = milo.locator(".timeline")
    expect(timeline).to_contain_text("Revised by you")
    expect(timeline).to_contain_text("Speak at a team meeting")
    expect(timeline).to_contain_text("Give a five-minute talk at a team meeting")
    expect(timeline).to_contain_text("“Smaller first step”")
    screenshot(milo, "goal-timeline")

    phone = new_page(width=390, height=844)
    log_in(phone, mentee.email, PASSWORD)
    phone.goto(workspace)
    screenshot(phone, "workspace-phone")

    statuses = dict(Goal.objects.filter(partnership=partnership).values_list("title", "status"))
    assert statuses == {
        "Give a five-minute talk at a team meeting": "active",
        "Write a blog post": "achieved",
    }
    assert Feedback.objects.filter(checkin__partnership=partnership).count() == 2


def test_the_core_works_with_javascript_off(new_page, partnership_with_proposed_agreement):
    partnership, mentor, mentee = partnership_with_proposed_agreement
    workspace = f"/partnerships/{partnership.code}/"

    milo = new_page(javascript=False)
    log_in(milo, mentee.email, PASSWORD)
    milo.goto(workspace)
    sign_agreement(milo)
    expect(milo.locator(".messages")).to_contain_text("Waiting for Mara to sign.")
    add_goal(milo, "Speak at a team meeting", summary="Add a goal")
    expect(milo.locator(".messages")).to_contain_text("Goal “Speak at a team meeting” added.")

    mara = new_page(javascript=False)
    log_in(mara, mentor.email, PASSWORD)
    mara.goto(workspace)
    sign_agreement(mara)
    expect(mara.locator("#agreement")).to_contain_text("In force: version 1")
    add_goal(mara, "Write a blog post", summary="Propose a goal for Milo")
    expect(mara.locator(".messages")).to_contain_text("You proposed “Write a blog post”.")

    milo.goto(workspace)
    milo.get_by_role("button", name="Adopt “Write a blog post”").click()
    expect(milo.locator(".messages")).to_contain_text("“Write a blog post” is now your goal.")
    log_checkin(
        milo,
        revise="Speak at a team meeting",
        revised_to="Give a five-minute talk",
        achieved="Write a blog post",
    )
    expect(milo.locator(".messages")).to_contain_text("Mara can now add their part.")
    give_feedback(milo, 5, "Thank you.")
    expect(milo.locator(".messages")).to_contain_text("Mara can now read your feedback.")

    mara.goto(workspace)
    expect(mara.locator("article.checkin").first).to_contain_text("5/5 from Milo")
    assert dict(Goal.objects.filter(partnership=partnership).values_list("title", "status")) == {
        "Give a five-minute talk": "active",
        "Write a blog post": "achieved",
    }
