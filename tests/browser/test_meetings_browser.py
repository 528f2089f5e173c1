"""The next meeting in a real Chromium: Maya (London) proposes a time with htmx, Amara
(New York) suggests another, Maya accepts; both invitations are the same event with a
higher SEQUENCE; both shape the agenda; the pages pass axe on a desktop and a phone."""

import datetime
import re

import icalendar
import pytest
from playwright.sync_api import expect

from partnerships.models import Meeting, Reminder
from reminders.compose import compose
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from tests.builders import PASSWORD, make_partnership, make_programme, make_user, today_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pair():
    programme = make_programme("Spring Cohort")
    amara = make_user("Amara Okafor", time_zone="America/New_York")
    maya = make_user("Maya Patel", time_zone="Europe/London")
    return make_partnership(programme, amara, maya), amara, maya


def propose(page, summary: str, day: datetime.date, time: str, button: str) -> None:
    meeting = page.locator("#meeting")
    meeting.locator("summary", has_text=summary).click()
    form = meeting.locator("details[open] form")
    form.get_by_label("Date").fill(day.isoformat())
    form.get_by_label("Start time").fill(time)
    form.get_by_label("Place or video link").fill("https://video.example.org/maya-amara")
    form.get_by_role("button", name=button).click()


def invitation_events(partnership, user) -> list[tuple[str, str, int]]:
    rows = Reminder.objects.filter(
        partnership=partnership, recipient=user, kind="meeting_invitation"
    ).order_by("pk")
    events = []
    for row in rows:
        [(_, content, _)] = compose(row).attachments
        [event] = icalendar.Calendar.from_ical(content).walk("VEVENT")
        events.append((str(event["UID"]), str(event["DTSTART"].params["TZID"]), event["SEQUENCE"]))
    return events


def test_maya_proposes_amara_moves_maya_accepts_and_both_shape_the_agenda(new_page, pair):
    partnership, amara, maya = pair
    workspace = f"/partnerships/{partnership.code}/"
    day = today_for(maya) + datetime.timedelta(days=7)

    maya_page = new_page()
    log_in(maya_page, maya.email, PASSWORD)
    maya_page.goto(workspace)
    propose(maya_page, "Propose a meeting", day, "15:00", "Propose this time")
    expect(maya_page.locator("#meeting")).to_contain_text("You proposed this time.")
    expect(maya_page.locator("#attention")).to_contain_text("To accept your proposed meeting time")
    maya_page.locator("#agenda-text, #id_agenda-text").fill("My talk proposal")
    maya_page.get_by_role("button", name="Add", exact=True).click()
    expect(maya_page.locator("#meeting ol.agenda")).to_contain_text("My talk proposal")
    assert serious_accessibility_violations(maya_page) == []

    amara_page = new_page(width=390, height=844)
    log_in(amara_page, amara.email, PASSWORD)
    amara_page.goto(workspace)
    expect(amara_page.locator("#meeting")).to_contain_text("Maya proposes this time.")
    expect(amara_page.locator("#meeting")).to_contain_text("10:00")  # 15:00 in London
    assert serious_accessibility_violations(amara_page) == []
    assert amara_page.evaluate("document.documentElement.scrollWidth") <= 390
    propose(amara_page, "Suggest another time", day, "09:00", "Suggest this time")
    expect(amara_page.locator("#meeting")).to_contain_text("Waiting for Maya")
    amara_page.locator("#id_agenda-text").fill("The leadership offsite")
    amara_page.get_by_role("button", name="Suggest", exact=True).click()
    expect(amara_page.locator("#meeting")).to_contain_text("waiting for Maya")
    screenshot(amara_page, "meeting-amara-phone")

    maya_page.goto(workspace)
    expect(maya_page.locator("#meeting")).to_contain_text("Amara suggests this time.")
    expect(maya_page.locator("#meeting")).to_contain_text("14:00")  # 09:00 in New York
    maya_page.get_by_role(
        "button", name=re.compile("Put on the agenda.*The leadership offsite")
    ).click()
    expect(maya_page.locator("#meeting ol.agenda")).to_contain_text("The leadership offsite")
    maya_page.get_by_role("button", name="Accept this time").click()
    expect(maya_page.locator("#meeting")).to_contain_text("It is in both your calendars.")
    assert serious_accessibility_violations(maya_page) == []
    screenshot(maya_page, "meeting-maya-scheduled")

    meeting = Meeting.objects.get(partnership=partnership)
    assert (meeting.status, meeting.sequence, meeting.time_zone) == (
        "scheduled",
        2,
        "America/New_York",
    )
    for user in (maya, amara):
        events = invitation_events(partnership, user)
        assert len({uid for uid, _, _ in events}) == 1  # one event, updated
        assert [seq for _, _, seq in events] == [0, 1, 2]
