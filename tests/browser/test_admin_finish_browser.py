"""The coordinator's admin, finished, in a real Chromium on the demo programme: the index
links the programme to its dashboard, "View site" opens it, every admin page has the
site's icon, closed rows pass axe's contrast check, the export buttons fit a phone, the
action log's summary is readable at 1,366 pixels, and the words are the product's."""

import os
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from partnerships.models import Programme
from tests.browser.conftest import AXE, screenshot, serious_accessibility_violations
from tests.browser.test_coordinator_dashboard import closing_connections, logged_in_page

COORDINATOR = "coordinator@example.org"


def contrast_failures(page, selector: str) -> list[str]:
    """axe's colour-contrast findings inside ``selector``."""
    page.evaluate(AXE.read_text())
    results = page.evaluate(
        """async (selector) => await axe.run(
            {include: [selector]}, {runOnly: {type: "rule", values: ["color-contrast"]}})""",
        selector,
    )
    return [n["target"][0] for v in results["violations"] for n in v["nodes"]]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@closing_connections
def test_the_coordinators_admin_is_finished(browser, live_server, tmp_path):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    programme = Programme.objects.get(slug="demo")
    dashboard = reverse("admin:partnerships_programme_dashboard", args=[programme.pk])
    page = logged_in_page(browser, live_server, COORDINATOR)
    page.set_viewport_size({"width": 1366, "height": 900})

    # The index links the programme to its dashboard; the icon is the site's own.
    page.goto(f"{live_server.url}/admin/")
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert icon.endswith(".svg")
    assert page.request.get(f"{live_server.url}{icon}").status == 200
    screenshot(page, "admin-finish-index")
    page.locator("#your-programmes").get_by_role("link", name=programme.name, exact=True).click()
    page.wait_for_url(f"**{dashboard}")

    # "View site" takes this coordinator, who takes part in no programme, to their
    # programme's dashboard, or with several (the demo has an earlier cohort) to the list.
    page.goto(f"{live_server.url}/admin/partnerships/partnership/")
    page.get_by_role("link", name="View site").click()
    theirs = Programme.objects.filter(coordinators__email=COORDINATOR, archived_at=None)
    if theirs.count() == 1:
        page.wait_for_url(f"**{dashboard}")
    else:
        page.wait_for_url("**/admin/#your-programmes")
        listed = page.locator("#your-programmes th a").all_inner_texts()
        assert sorted(listed) == sorted(theirs.values_list("name", flat=True))
        page.goto(f"{live_server.url}{dashboard}")

    # Closed rows meet WCAG AA contrast, and nothing serious is found on the page.
    closed = page.locator("#health tr.is-closed")
    assert closed.count() >= 2
    assert closed.first.evaluate("row => getComputedStyle(row).opacity") == "1"
    assert contrast_failures(page, "#health") == []
    assert serious_accessibility_violations(page) == []
    words = page.locator("body").text_content()
    assert "Check-ins per week" in words and "Last check-in" in words
    assert not re.search(r"Status: [a-z]", words)
    screenshot(page, "admin-finish-dashboard")

    # A CSV of one person: "invited 1 person", and the log's summary has the room.
    page.get_by_role("link", name="Invite people").click()
    one = tmp_path / "one.csv"
    one.write_text("email,name,role\nnadia.new@example.org,Nadia New,mentee\n")
    page.set_input_files("input[type=file]", str(one))
    page.get_by_role("button", name="Check and invite").click()
    assert "Invited 1 person" in page.locator(".messagelist").inner_text()
    page.goto(f"{live_server.url}/admin/partnerships/coordinatoraction/")
    summary = page.locator("td.field-summary", has_text="invited 1 person from a CSV file")
    box = summary.bounding_box()
    assert box["width"] >= 250  # about 40 characters to a line
    assert box["x"] + box["width"] <= 1366
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    results = page.locator("#changelist .results")
    assert results.evaluate("r => r.scrollWidth <= r.clientWidth")  # nothing cut off
    screenshot(page, "admin-finish-action-log")

    # On a phone the export buttons fit, each on one line.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}{dashboard}")
    for name in ("Export partnerships (CSV)", "Export goals (CSV)"):
        button = page.get_by_role("link", name=name).bounding_box()
        assert button["x"] >= 0 and button["x"] + button["width"] <= 375, name
        assert button["height"] < 48, name  # one line of text
    assert serious_accessibility_violations(page) == []
    screenshot(page, "admin-finish-dashboard-phone")

    # The outcomes page on a phone: its charts and tables stay inside the screen.
    page.get_by_role("link", name="Outcomes", exact=True).click()
    assert page.locator("svg[role=img]").count() >= 5
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert serious_accessibility_violations(page) == []
    screenshot(page, "admin-finish-outcomes-phone")
