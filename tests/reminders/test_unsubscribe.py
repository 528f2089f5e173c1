"""One-click unsubscribe (RFC 8058): a POST turns the kind off with no login; a GET only
shows a confirmation page. The preferences page turns kinds back on."""

import pytest
from django.urls import reverse

from partnerships.models import ReminderOptOut
from reminders.links import unsubscribe_token


@pytest.fixture
def unsubscribe_url(mentor):
    return reverse("reminders:unsubscribe", args=[unsubscribe_token(mentor, "checkin_overdue")])


def turned_off(user) -> list[str]:
    return sorted(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))


def test_a_get_shows_a_confirmation_page_and_changes_nothing(client, unsubscribe_url, mentor):
    response = client.get(unsubscribe_url)
    assert response.status_code == 200
    assert "Unsubscribe from “Check-in overdue”?" in response.text
    assert f"{mentor.email} will stop getting “Check-in overdue” emails" in response.text
    assert turned_off(mentor) == []


def test_a_one_click_post_unsubscribes_at_once_without_logging_in(client, unsubscribe_url, mentor):
    response = client.post(unsubscribe_url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You are unsubscribed" in response.text
    assert turned_off(mentor) == ["checkin_overdue"]


def test_a_one_click_post_works_without_a_csrf_token(unsubscribe_url, mentor):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_url, {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert turned_off(mentor) == ["checkin_overdue"]


def test_posting_twice_is_harmless(client, unsubscribe_url, mentor):
    client.post(unsubscribe_url)
    client.post(unsubscribe_url)
    assert turned_off(mentor) == ["checkin_overdue"]


def test_the_page_can_turn_the_kind_back_on(client, unsubscribe_url, mentor):
    client.post(unsubscribe_url)
    response = client.post(unsubscribe_url, {"action": "resubscribe"})
    assert "“Check-in overdue” is back on" in response.text
    assert turned_off(mentor) == []


def test_a_tampered_token_is_not_found_and_changes_nothing(client, unsubscribe_url, mentor):
    response = client.post(unsubscribe_url.replace("checkin", "xcheckin").rstrip("/") + "x/")
    assert response.status_code == 404
    assert "This unsubscribe link is not valid." in response.text
    assert reverse("reminders:preferences") in response.text  # the other way to stop them
    assert turned_off(mentor) == []


def test_a_token_for_one_person_cannot_be_turned_into_another(client, mentor, mentee):
    mentor_payload, _, mentor_signature = unsubscribe_token(mentor, "goal_revisit").rpartition(":")
    mentee_payload, _, _ = unsubscribe_token(mentee, "goal_revisit").rpartition(":")
    assert mentee_payload != mentor_payload
    forged = f"{mentee_payload}:{mentor_signature}"
    response = client.post(reverse("reminders:unsubscribe", args=[forged]))
    assert response.status_code == 404
    assert turned_off(mentee) == []


def test_the_preferences_page_needs_a_login(client):
    response = client.get(reverse("reminders:preferences"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_preferences_page_shows_each_kind_on_or_off_and_saves_choices(client, mentor):
    ReminderOptOut.objects.create(user=mentor, kind="checkin_overdue")
    client.force_login(mentor)
    page = client.get(reverse("reminders:preferences"))
    assert '<input type="checkbox" name="kinds" value="checkin_upcoming" checked>' in page.text
    assert '<input type="checkbox" name="kinds" value="checkin_overdue">' in page.text
    assert "coordinator_digest" not in page.text  # only for coordinators
    response = client.post(
        reverse("reminders:preferences"), {"kinds": ["checkin_overdue", "goal_revisit"]}
    )
    assert response.status_code == 302
    # Every other reminder kind; the notifications' own choices are on the same page.
    assert turned_off(mentor) == [
        "agreement_signature",
        "checkin_part",
        "checkin_upcoming",
        "coordinator_digest",
        "match_waiting",
        "meeting_invitation",
        "meeting_log",
        "meeting_tomorrow",
        "retention_notice",
        "survey",
        "wrap_up",
    ]


def test_coordinators_can_turn_their_digest_off(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("reminders:preferences"))
    assert 'value="coordinator_digest" checked' in page.text
