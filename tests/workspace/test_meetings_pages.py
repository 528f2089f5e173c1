"""The next meeting and its agenda on the workspace, and the private calendar feed: what
each partner sees and can do, bad input answered on the form, and valid HTML."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import AgendaItem, CalendarFeed, Meeting
from partnerships.services.agenda import agenda_item_add
from partnerships.services.meetings import meeting_accept, meeting_propose
from tests.builders import today_for


def workspace(client, user, partnership) -> str:
    client.force_login(user)
    response = client.get(reverse("partnerships:workspace", args=[partnership.code]))
    assert response.status_code == 200
    return response.content.decode()


def next_week(user) -> datetime.date:
    return today_for(user) + datetime.timedelta(days=7)


def meeting_data(day, time="15:00", **extra):
    return {
        "meeting-day": day.isoformat(),
        "meeting-start_time": time,
        "meeting-duration_minutes": "60",
        "meeting-place": extra.get("place", "https://video.example.org/abc"),
        "meeting-note": extra.get("note", ""),
    }


def test_a_partner_proposes_and_the_other_accepts_on_the_workspace(
    client, partnership, mentor, mentee
):
    client.force_login(mentor)
    day = next_week(mentor)
    response = client.post(
        reverse("partnerships:meeting_propose", args=[partnership.code]), meeting_data(day)
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(partnership=partnership)
    page = workspace(client, mentee, partnership)
    # Milo (New York) reads it on his clock, and Mara's beside it.
    assert "Mara proposes this time." in page
    assert f"{meeting.start_for(mentee):%H:%M}" in page
    assert "For Mara:" in page and "Europe/London" in page
    assert "Answer Mara's proposed meeting time" in page
    assert 'href="https://video.example.org/abc" rel="noopener noreferrer"' in page
    response = client.post(reverse("partnerships:meeting_accept", args=[meeting.code]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    page = workspace(client, mentor, partnership)
    assert "It is in both your calendars" in page


def test_htmx_actions_swap_the_meeting_section(client, partnership, mentor):
    client.force_login(mentor)
    response = client.post(
        reverse("partnerships:meeting_propose", args=[partnership.code]),
        meeting_data(next_week(mentor)),
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert page.startswith('<section id="meeting" class="card meeting"')
    assert 'id="attention" class="card attention" data-hx-swap-oob="true"' in page
    assert "Milo accepts it or suggests another time" in page


@pytest.mark.parametrize(
    ("day", "time", "message"),
    [
        (datetime.date(2027, 3, 28), "01:30", "does not exist in Europe/London"),
        (datetime.date(2027, 10, 31), "01:30", "happens twice in Europe/London"),
        (None, "00:00", "has passed"),
        (None, "25:00", "Enter a valid time."),
    ],
)
def test_bad_times_are_refused_on_the_form_keeping_what_was_typed(
    client, partnership, mentor, day, time, message
):
    client.force_login(mentor)
    day = day or today_for(mentor) - datetime.timedelta(days=1)
    response = client.post(
        reverse("partnerships:meeting_propose", args=[partnership.code]),
        meeting_data(day, time, place="Café Uno"),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert 'value="Café Uno"' in page
    assert not Meeting.objects.exists()


def test_the_agenda_the_mentee_decides(client, partnership, mentor, mentee):
    client.force_login(mentor)
    client.post(
        reverse("partnerships:agenda_add", args=[partnership.code]), {"agenda-text": "Your CV"}
    )
    suggestion = AgendaItem.objects.get(text="Your CV")
    assert suggestion.status == AgendaItem.Status.SUGGESTED
    page = workspace(client, mentee, partnership)
    assert "Decide on 1 agenda suggestion from Mara" in page
    client.post(
        reverse("partnerships:agenda_add", args=[partnership.code]), {"agenda-text": "Pay rise"}
    )
    client.post(reverse("partnerships:agenda_accept", args=[suggestion.code]))
    assert list(partnership.agenda_items.on_agenda().values_list("text", flat=True)) == [
        "Pay rise",
        "Your CV",
    ]
    client.post(reverse("partnerships:agenda_move", args=[suggestion.code, "up"]))
    assert list(partnership.agenda_items.on_agenda().values_list("text", flat=True)) == [
        "Your CV",
        "Pay rise",
    ]
    # The mentor cannot order or remove the mentee's items.
    client.force_login(mentor)
    pay = AgendaItem.objects.get(text="Pay rise")
    for url in (
        reverse("partnerships:agenda_remove", args=[pay.code]),
        reverse("partnerships:agenda_move", args=[pay.code, "up"]),
    ):
        assert client.post(url).status_code == 403
    pay.refresh_from_db()
    assert pay.status == AgendaItem.Status.ON_AGENDA
    assert (
        client.post(reverse("partnerships:agenda_move", args=[pay.code, "sideways"])).status_code
        == 404
    )


def test_an_empty_agenda_item_is_refused_on_the_form(client, partnership, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse("partnerships:agenda_add", args=[partnership.code]), {"agenda-text": "   "}
    )
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_the_workspace_with_a_meeting_and_agenda_is_valid_html(
    client, partnership, mentor, mentee, html_checker
):
    meeting = meeting_propose(
        partnership=partnership,
        by=mentor,
        day=next_week(mentor),
        start_time=datetime.time(15, 0),
        place="https://video.example.org/x",
    )
    agenda_item_add(partnership=partnership, by=mentee, text="Pay rise")
    agenda_item_add(partnership=partnership, by=mentee, text="Team")
    agenda_item_add(partnership=partnership, by=mentor, text="Your CV")
    for user in (mentor, mentee):
        client.force_login(user)
        url = reverse("partnerships:workspace", args=[partnership.code])
        assert html_checker.errors(client.get(url)) == []
    meeting_accept(meeting=meeting, by=mentee)
    assert html_checker.errors(client.get(url)) == []
    client.force_login(mentee)
    assert html_checker.errors(client.get(reverse("profile"))) == []


# --- the calendar feed ---------------------------------------------------------------


def test_the_calendar_feed_lists_scheduled_meetings_and_stops_once_turned_off(
    client, partnership, mentor, mentee
):
    meeting = meeting_propose(
        partnership=partnership, by=mentor, day=next_week(mentor), start_time=datetime.time(15, 0)
    )
    client.force_login(mentee)
    response = client.post(reverse("calendar_feed_make"))
    assert response["Cache-Control"] == "no-store, private"
    page = response.content.decode()
    start = page.index("http://testserver/calendar/")
    url = page[start : page.index(".ics", start) + 4]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 40
    # Only its hash is kept.
    assert token not in CalendarFeed.objects.get(user=mentee).token_hash
    client.logout()
    path = url.removeprefix("http://testserver")
    feed = client.get(path)  # no session: the address is the key
    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert icalendar.Calendar.from_ical(feed.content).walk("VEVENT") == []  # only proposed
    meeting_accept(meeting=meeting, by=mentee)
    [event] = icalendar.Calendar.from_ical(client.get(path).content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Mentoring check-in with Mara Mentor"
    assert event["SEQUENCE"] == 1
    # A new address replaces the old one; turning it off stops it.
    client.force_login(mentee)
    client.post(reverse("calendar_feed_make"))
    assert client.get(path).status_code == 404
    client.post(reverse("calendar_feed_stop"))
    assert not CalendarFeed.objects.filter(user=mentee).exists()


def test_guessed_feed_addresses_are_not_found(client, mentee):
    for token in (
        "x",
        "a" * 43,
        "..%2F..%2Fetc%2Fpasswd",
        "a" * 500,
        "%00",
        "' OR 1=1 --",
        "é" * 43,
    ):
        assert client.get(f"/calendar/{token}.ics").status_code == 404
    client.force_login(mentee)
    assert client.get(reverse("calendar_feed_make")).status_code == 405  # POST only


def test_the_feed_of_a_person_shows_only_their_own_partnerships_meetings(
    client, partnership, mentor, mentee, other_partnership
):
    meeting_accept(
        meeting=meeting_propose(
            partnership=other_partnership,
            by=other_partnership.mentor.user,
            day=next_week(mentee),
            start_time=datetime.time(12, 0),
        ),
        by=other_partnership.mentee.user,
    )
    client.force_login(mentee)
    page = client.post(reverse("calendar_feed_make")).content.decode()
    start = page.index("/calendar/")
    path = page[start : page.index(".ics", start) + 4]
    assert icalendar.Calendar.from_ical(client.get(path).content).walk("VEVENT") == []


def test_a_meeting_in_the_past_cannot_be_accepted(client, partnership, mentor, mentee):
    meeting = meeting_propose(
        partnership=partnership, by=mentor, day=next_week(mentor), start_time=datetime.time(15, 0)
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client.force_login(mentee)
    response = client.post(reverse("partnerships:meeting_accept", args=[meeting.code]))
    assert response.status_code == 422
    assert "This time has passed" in response.content.decode()
