"""On a phone, a mentee pauses with a reason and a note; her mentor reads the note and the
"What your coordinator sees" panel, with the coordinator's last look."""

import datetime

import pytest
from playwright.sync_api import expect

from partnerships.models import CoordinatorAccess
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from tests.builders import (
    PASSWORD,
    make_coordinator_of,
    make_partnership,
    make_programme,
    make_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_pause_reason_and_the_coordinator_panel_on_a_phone(new_page):
    programme = make_programme("Spring Cohort")
    mentor = make_user("Mara Mentor", time_zone="Europe/London")
    mentee = make_user("Milo Mentee", time_zone="Europe/London")
    coordinator = make_coordinator_of(programme, "Cora Coordinator")
    partnership = make_partnership(programme, mentor, mentee)
    looked = datetime.datetime(2026, 3, 10, 9, 5, tzinfo=datetime.UTC)
    for page, times in (("change", 3), ("dashboard", 1)):
        CoordinatorAccess.objects.create(
            partnership=partnership,
            coordinator=coordinator,
            page=page,
            first_at=looked - datetime.timedelta(days=times),
            last_at=looked - datetime.timedelta(hours=times),
            times=times,
        )
    workspace = f"/partnerships/{partnership.code}/"

    milo = new_page(**PHONE)
    log_in(milo, mentee.email, PASSWORD)
    milo.goto(workspace)
    milo.locator("#header summary", has_text="Pause").click()
    form = milo.locator("#header details[open] form")
    form.get_by_label("Why are you pausing?").select_option(label="Travel or time away")
    form.get_by_label("A note for your partner").fill("Walking the Camino until 20 April.")
    expect(form).to_contain_text(
        "Mara reads the reason and your note. Your coordinator can see the reason, "
        "never the note unless you share it."
    )
    form.get_by_role("button", name="Pause the partnership").click()
    header = milo.locator("#header")
    expect(header).to_contain_text("You paused it: travel or time away.")
    expect(header).to_contain_text("Only the two of you read this note")
    assert serious_accessibility_violations(milo) == []

    mara = new_page(**PHONE)
    log_in(mara, mentor.email, PASSWORD)
    mara.goto(workspace)
    expect(mara.locator("#header")).to_contain_text("Milo paused it: travel or time away.")
    expect(mara.locator("#header")).to_contain_text("Walking the Camino until 20 April.")
    panel = mara.locator("#coordinator-view")
    expect(panel).to_contain_text(
        "Last looked: 10 Mar 2026, 08:05, Cora Coordinator, at the programme dashboard."
    )
    panel.locator("summary").click()
    expect(panel.locator(".seen-list")).to_contain_text("Never: comment")
    expect(panel.locator(".looks li")).to_have_count(2)
    assert serious_accessibility_violations(mara) == []
    assert fits_the_screen(mara)
    panel.scroll_into_view_if_needed()
    screenshot(mara, "workspace-coordinator-panel-phone")
