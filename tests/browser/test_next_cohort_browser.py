"""The next cohort in Chromium, on a phone: from the programme's settings to the form, a
pair ticked, and the new programme's settings; the form passes axe."""

import datetime

import pytest
from django.utils import timezone

from partnerships.models import Programme
from tests.browser.conftest import screenshot, serious_accessibility_violations
from tests.browser.test_coordinator_dashboard import closing_connections, logged_in_page
from tests.builders import make_coordinator_of, make_partnership, make_programme, make_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@closing_connections
def test_a_coordinator_starts_the_next_cohort_with_a_pair_on_a_phone(browser, live_server):
    today = timezone.localdate()
    spring = make_programme(
        "Spring Cohort",
        starts_on=today - datetime.timedelta(days=150),
        ends_on=today + datetime.timedelta(days=10),
    )
    coordinator = make_coordinator_of(spring, "Cora Coordinator")
    make_partnership(spring, make_user("Mara Mentor"), make_user("Milo Mentee"))
    page = logged_in_page(browser, live_server, coordinator.email)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/admin/partnerships/programme/{spring.pk}/change/")
    page.get_by_role("link", name="Start the next cohort from this one").click()
    page.get_by_role("textbox", name="Name:", exact=True).fill("Autumn Cohort")
    page.get_by_label("Short name").fill("autumn-cohort")
    page.get_by_label("Milo Mentee with Mara Mentor (active)").check()
    assert page.get_by_label("Mara Mentor", exact=True).is_checked()
    assert serious_accessibility_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "next-cohort-phone")
    page.get_by_role("button", name="Create the next cohort").click()
    page.wait_for_url("**/change/")
    assert "Autumn Cohort is ready" in page.locator(".messagelist").inner_text()
    autumn = Programme.objects.get(slug="autumn-cohort")
    assert autumn.follows == spring
    assert autumn.partnerships.get().status == "proposed"
