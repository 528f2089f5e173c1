"""The dashboard in a real Chromium, on the demo programme; saves a screenshot to look at."""

import functools
import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import Client

from partnerships.models import Programme
from tests.browser.conftest import ARTIFACTS

# One Chromium for the whole session comes from tests/browser/conftest.py.


def closing_connections(test):
    """Close the connections the test body opened, even if it fails.

    With Playwright's sync API running, they belong to a context that pytest-django's
    teardown does not see; one left open stops the test database from being dropped.
    """

    @functools.wraps(test)
    def run(*args, **kwargs):
        try:
            return test(*args, **kwargs)
        finally:
            connections.close_all()

    return run


def logged_in_page(browser, live_server, email: str):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@closing_connections
def test_the_coordinator_sees_who_needs_help_on_the_dashboard(browser, live_server):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    programme = Programme.objects.get(slug="demo")
    page = logged_in_page(browser, live_server, "coordinator@example.org")

    page.goto(f"{live_server.url}/admin/partnerships/programme/")
    page.get_by_role("link", name="Dashboard").first.click()
    page.wait_for_url(f"**/programme/{programme.pk}/dashboard/")

    assert page.get_by_role("heading", name="Leadership Mentoring 2026").is_visible()
    first_row = page.locator("#health tbody tr").first
    assert "is-risk" in first_row.get_attribute("class")
    assert "overdue" in first_row.inner_text()
    assert page.locator(".coord-chart .bar rect").count() >= 20
    assert page.locator(".coord-card.is-risk .coord-number").inner_text() == "2"
    body = page.locator("body").inner_text()
    assert "Check-in overdue by" in body
    # Coordinators never see what partners wrote.
    assert "Run the weekly sync three times without notes" not in body

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "coordinator-dashboard.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@closing_connections
def test_the_coordinator_matches_a_mentee_and_sees_csv_errors(browser, live_server, tmp_path):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    programme = Programme.objects.get(slug="demo")
    page = logged_in_page(browser, live_server, "coordinator@example.org")

    page.goto(f"{live_server.url}/admin/partnerships/programme/{programme.pk}/dashboard/")
    page.get_by_role("link", name="Matching", exact=True).click()
    uma = page.locator("article.coord-match", has_text="Uma Rao")
    assert "Shared interests: design" in uma.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "coordinator-matching.png"), full_page=True)
    uma.get_by_role("button").first.click()
    # A coordinator's match is a proposal: it starts once both people have accepted it.
    assert "Proposed a match of Uma Rao with" in page.locator(".messagelist").inner_text()

    page.get_by_role("link", name="Invite people").click()
    bad = tmp_path / "people.csv"
    bad.write_text("email,name,role\nnot-an-email,Ann,mentee\nbo@example.org,Bo,coach\n")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Check and invite").click()
    errors = page.locator(".coord-errors").inner_text()
    assert "Nothing was imported." in errors
    assert "“not-an-email” is not a valid email address." in errors
    assert "Unknown role “coach”" in errors
    page.screenshot(path=str(ARTIFACTS / "coordinator-invitations.png"), full_page=True)
