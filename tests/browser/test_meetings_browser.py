"""The next meeting in a real Chromium: Maya (London) proposes a time with htmx, Amara
(New York) suggests another, Maya accepts; both invitations are the same event with a
higher SEQUENCE; both shape the agenda; the pages pass axe on a desktop and a phone.
Then, once a meeting has passed: its check-in, logged from the meeting, carries the agenda
over, waits for a decision on an overdue goal, and the partners' views of the goal's
progress, two steps apart, put it on the next agenda; the calendar feed made on the profile
lists the meeting and gives 404 once turned off."""

import datetime
import re
import urllib.error
import urllib.request

import icalendar
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from goals import services as goal_services
from goals.models import Goal
from partnerships.calendar import meeting_uid
from partnerships.models import Meeting, Reminder
from partnerships.services.agenda import agenda_item_accept, agenda_item_add
from partnerships.services.meetings import meeting_accept, meeting_propose
from reminders.compose import compose
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from tests.builders import PASSWORD, make_partnership, make_programme, make_user, today_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_pair():
    programme = make_programme("Spring Cohort")
    amara = make_user("Amara Okafor", time_zone="America/New_York")
    maya = make_user("Maya Patel", time_zone="Europe/London")
    return make_partnership(programme, amara, maya), amara, maya


@pytest.fixture
def pair():
    return make_pair()


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


@pytest.fixture
def held_meeting():
    """Maya and Amara's partnership, begun a week ago, and their meeting of three days ago
    with an item of each on its agenda; Maya's goal's target date has passed."""
    with time_machine.travel(timezone.now() - datetime.timedelta(days=7), tick=False):
        partnership, amara, maya = make_pair()
        day = today_for(maya) + datetime.timedelta(days=4)
        meeting = meeting_propose(
            partnership=partnership, by=maya, day=day, start_time=datetime.time(15, 0)
        )
        meeting_accept(meeting=meeting, by=amara)
        agenda_item_add(partnership=partnership, by=maya, text="My talk proposal")
        agenda_item_accept(
            item=agenda_item_add(partnership=partnership, by=amara, text="The leadership offsite"),
            by=maya,
        )
    goal = goal_services.goal_create(partnership=partnership, by=maya, title="Speak up")
    # Its target date passed before the meeting's day (three days ago), so it needs a decision.
    Goal.objects.filter(pk=goal.pk).update(target_date=today_for(maya) - datetime.timedelta(days=5))
    return partnership, amara, maya, meeting


def outcome(form, item: str, choice: str) -> None:
    form.locator("fieldset.decision", has=form.page.locator("legend", has_text=item)).get_by_label(
        choice, exact=True
    ).check()


def feed_status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_the_check_in_from_the_meeting_carries_the_agenda_rates_progress_and_the_feed_stops(
    new_page, held_meeting
):
    partnership, amara, maya, meeting = held_meeting
    workspace = f"/partnerships/{partnership.code}/"

    # The calendar feed, made on Maya's profile, lists the meeting.
    maya_page = new_page()
    log_in(maya_page, maya.email, PASSWORD)
    maya_page.goto("/accounts/profile/")
    maya_page.get_by_role("button", name="Make my calendar feed").click()
    feed_url = maya_page.locator("#feed-url").input_value()
    assert serious_accessibility_violations(maya_page) == []
    status, body = feed_status(feed_url)
    assert status == 200
    [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["UID"]) == meeting_uid(meeting)

    # Maya logs the check-in from the meeting: its agenda comes along.
    maya_page.goto(workspace)
    expect(maya_page.locator("#meeting")).to_contain_text("Your meeting time has come.")
    maya_page.locator("#meeting").get_by_role("link", name="Log this check-in").click()
    form = maya_page.locator("#checkin-new-form")
    expect(form).to_contain_text("The agenda of your meeting")
    outcome(form, "My talk proposal", "Discussed")
    outcome(form, "The leadership offsite", "Carry over to the next meeting")
    expect(form).to_contain_text("passed its target date")
    review = form.locator('.review[data-goal="Speak up"]')
    review.get_by_label("Nearly there", exact=True).check()
    form.get_by_label("Reflection").fill("I spoke first at the team meeting.")
    assert serious_accessibility_violations(maya_page) == []
    # Without a decision on the overdue goal nothing is saved, and the typed text stays.
    form.get_by_role("button", name="Save the check-in").click()
    expect(maya_page.locator("#checkin-new-form")).to_contain_text("has passed: decide now")
    form = maya_page.locator("#checkin-new-form")
    expect(form.get_by_label("Reflection")).to_have_value("I spoke first at the team meeting.")
    assert not partnership.checkins.exists()
    review = form.locator('.review[data-goal="Speak up"]')
    # Kept, with the new date its choice asks for (the date field shows once "Keep" is ticked).
    review.get_by_label("Keep, with a new date", exact=True).check()
    new_date = today_for(maya) + datetime.timedelta(days=30)
    review.locator('input[name$="-new_target_date"]').fill(new_date.isoformat())
    review.get_by_label("Nearly there", exact=True).check()
    outcome(form, "My talk proposal", "Discussed")
    outcome(form, "The leadership offsite", "Carry over to the next meeting")
    form.get_by_role("button", name="Save the check-in").click()
    maya_page.wait_for_url(lambda url: "/new" not in url)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    checkin = meeting.checkin
    assert Goal.objects.get(partnership=partnership).target_date == new_date

    # Amara adds her view of the goal's progress, two steps from Maya's.
    amara_page = new_page(width=390, height=844)
    log_in(amara_page, amara.email, PASSWORD)
    amara_page.goto(reverse("partnerships:checkin", args=[checkin.code]))
    amara_page.locator("summary", has_text="Add your part").click()
    part = amara_page.locator("details[open] form")
    part.locator("fieldset.progress-scale", has_text="Speak up").get_by_label(
        "Started", exact=True
    ).check()
    assert serious_accessibility_violations(amara_page) == []
    part.get_by_role("button", name="Save my part").click()
    expect(amara_page.locator("main")).to_contain_text("Your part of the check-in is saved.")
    expect(amara_page.locator("main")).to_contain_text("Maya says nearly there · you say started")

    # The next agenda: the gap in their views and the carried-over item.
    for page in (amara_page, maya_page):
        page.goto(workspace)
        agenda = page.locator("#meeting ol.agenda")
        expect(agenda).to_contain_text("Talk about “Speak up”")
        expect(agenda).to_contain_text("The leadership offsite")
        expect(agenda).not_to_contain_text("My talk proposal")
    screenshot(amara_page, "meeting-next-agenda-phone")

    # Turned off on the profile, the same address gives 404.
    maya_page.goto("/accounts/profile/")
    maya_page.get_by_role("button", name="Turn the feed off").click()
    expect(maya_page.locator("#calendar-feed")).to_contain_text("Make my calendar feed")
    assert feed_status(feed_url)[0] == 404
