"""Notification emails ride the reminders' outbox: queued by the sweep, sent once with the
reminders' layout and one-click unsubscribe, skipped when read in the app first; the daily
summary lists what is still unread. One preferences page sets reminders and notifications."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from goals import services as goal_services
from partnerships import services
from partnerships.models import Notification, NotificationPreference, Reminder
from partnerships.models.notification import EmailChoice
from partnerships.services.notifications import (
    notification_preferences_set,
    notifications_mark_read,
)
from reminders.links import read_unsubscribe_token, unsubscribe_token
from reminders.preferences import NOTIFICATION_CARRIERS as CARRIERS
from reminders.send import deliver
from reminders.sweep import sweep
from tests.reminders.conftest import local

# 10:30 in New York (the mentee), 15:30 in London (the mentor): outside quiet hours.
MORNING = local("UTC", 2026, 12, 10, 15, 30)


def propose_goal(partnership, mentor, title="Speak at the all-hands"):
    with time_machine.travel(MORNING, tick=False):
        return goal_services.goal_create(
            partnership=partnership, by=mentor, title=title, owner_role="mentee"
        )


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://mentoring.example.org"


@pytest.fixture
def run_sweep(django_capture_on_commit_callbacks):
    """Sweep at a frozen moment and deliver the notification emails it queued (the
    partnership's own check-in reminders are other tests' business)."""

    def run(moment: datetime.datetime) -> list[str]:
        with time_machine.travel(moment, tick=False):
            ready: list[int] = []
            with django_capture_on_commit_callbacks(execute=True):
                sweep(dispatch=ready.extend)
            ours = Reminder.objects.filter(pk__in=ready, kind__in=CARRIERS).order_by("pk")
            return [str(deliver(pk)) for pk in ours.values_list("pk", flat=True)]

    return run


def unsubscribe_header(email) -> tuple[int, str]:
    """Whom and what the email's List-Unsubscribe link turns off."""
    url = email.extra_headers["List-Unsubscribe"].strip("<>")
    prefix = "https://mentoring.example.org/reminders/unsubscribe/"
    assert url.startswith(prefix)
    return read_unsubscribe_token(url.removeprefix(prefix).rstrip("/"))


def test_a_notification_is_emailed_at_the_next_sweep_with_the_reminders_layout(
    partnership, mentor, mentee, run_sweep
):
    goal = propose_goal(partnership, mentor)
    assert run_sweep(MORNING + datetime.timedelta(minutes=1)) == ["sent"]
    [email] = mail.outbox
    assert email.to == [mentee.email]
    assert email.subject == "Mara proposed a goal for you: “Speak at the all-hands”"
    text = email.body
    assert "Mara Mentor proposed a goal for you: “Speak at the all-hands”." in text
    assert (
        f"Open it: https://mentoring.example.org{reverse('goals:detail', args=[goal.code])}" in text
    )
    assert (
        "Why you got this: Your partner proposed or decided on a goal in your partnership." in text
    )
    assert 'Unsubscribe from "Notifications: Goals and goal changes proposed or decided"' in text
    assert unsubscribe_header(email) == (mentee.pk, "notification:goal")
    html = email.alternatives[0].content
    assert ">Open it</a>" in html
    assert run_sweep(MORNING + datetime.timedelta(minutes=2)) == []  # sent once


def test_read_in_the_app_first_it_is_not_emailed(partnership, mentor, mentee, run_sweep):
    propose_goal(partnership, mentor)
    notifications_mark_read(user=mentee)
    assert run_sweep(MORNING + datetime.timedelta(minutes=1)) == ["skipped"]
    assert mail.outbox == []
    [row] = Reminder.objects.filter(recipient=mentee)
    assert row.last_error == "Skipped: they read it in the app already."


def test_switched_to_the_daily_summary_meanwhile_it_is_not_emailed_at_once(
    partnership, mentor, mentee, run_sweep
):
    propose_goal(partnership, mentor)
    notification_preferences_set(user=mentee, choices={"goal": EmailChoice.DAILY})
    assert run_sweep(MORNING + datetime.timedelta(minutes=1)) == ["skipped"]


def test_quiet_hours_hold_it_until_the_morning(partnership, mentor, mentee, run_sweep):
    at_night = local("America/New_York", 2026, 12, 10, 23)
    with time_machine.travel(at_night, tick=False):
        goal_services.goal_create(
            partnership=partnership, by=mentor, title="Late idea", owner_role="mentee"
        )
    assert run_sweep(at_night + datetime.timedelta(minutes=1)) == ["held"]
    assert run_sweep(local("America/New_York", 2026, 12, 11, 7, 59)) == []
    assert run_sweep(local("America/New_York", 2026, 12, 11, 8)) == ["sent"]


def test_the_daily_summary_lists_what_is_still_unread(partnership, mentor, mentee, run_sweep):
    notification_preferences_set(
        user=mentee, choices={"goal": EmailChoice.DAILY, "agreement": EmailChoice.DAILY}
    )
    propose_goal(partnership, mentor, "First idea")
    propose_goal(partnership, mentor, "Second idea")
    with time_machine.travel(MORNING, tick=False):
        services.agreement_propose(
            partnership=partnership, by=mentor, channels="Video", response_time="A day"
        )
    first = Notification.objects.get(summary__contains="First idea")
    notifications_mark_read(user=mentee, codes=[first.code])
    assert run_sweep(local("America/New_York", 2026, 12, 11, 8, 59)) == []
    assert run_sweep(local("America/New_York", 2026, 12, 11, 9)) == ["sent"]
    [email] = mail.outbox
    assert email.subject == "Spring Cohort: 2 new notifications since your last summary"
    assert "First idea" not in email.body
    assert "- Mara Mentor proposed a goal for you: “Second idea” (10 Dec, 10:30)" in email.body
    assert "- Mara Mentor proposed agreement version 1; it waits for your signature" in email.body
    assert unsubscribe_header(email) == (mentee.pk, "notification_digest")


def test_a_summary_whose_every_notification_was_read_is_skipped(
    partnership, mentor, mentee, run_sweep
):
    notification_preferences_set(user=mentee, choices={"goal": EmailChoice.DAILY})
    propose_goal(partnership, mentor)
    notifications_mark_read(user=mentee)
    assert run_sweep(local("America/New_York", 2026, 12, 11, 9)) == ["skipped"]


def test_one_click_unsubscribe_turns_off_that_kind_of_notification_only(client, mentee):
    url = reverse("reminders:unsubscribe", args=[unsubscribe_token(mentee, "notification:goal")])
    page = client.get(url)
    assert "Unsubscribe from “Notifications: Goals and goal changes proposed or decided”?" in (
        page.text
    )
    client.post(url, {"List-Unsubscribe": "One-Click"})
    assert list(NotificationPreference.objects.values_list("user", "kind", "email")) == [
        (mentee.pk, "goal", "off")
    ]
    client.post(url, {"action": "resubscribe"})
    assert NotificationPreference.objects.count() == 0  # back to "at once"


def test_unsubscribing_from_the_summary_turns_off_the_kinds_it_gathered(client, mentee):
    notification_preferences_set(
        user=mentee, choices={"goal": EmailChoice.DAILY, "checkin": EmailChoice.OFF}
    )
    url = reverse("reminders:unsubscribe", args=[unsubscribe_token(mentee, "notification_digest")])
    client.post(url)
    assert sorted(
        NotificationPreference.objects.filter(user=mentee).values_list("kind", "email")
    ) == [("checkin", "off"), ("goal", "off")]


@pytest.mark.parametrize("value", ["notification:nonsense", "notification", "notification:"])
def test_an_unsubscribe_token_for_no_stream_is_not_found(client, mentee, value):
    url = reverse("reminders:unsubscribe", args=[unsubscribe_token(mentee, value)])
    assert client.post(url).status_code == 404
    assert NotificationPreference.objects.count() == 0


def test_one_preferences_page_sets_reminders_and_notifications(client, mentee):
    client.force_login(mentee)
    page = client.get(reverse("reminders:preferences"))
    assert '<input type="radio" name="notify-goal" value="immediate"' in page.text
    assert "notification_digest" not in page.text  # a carrier, not a kind to switch
    response = client.post(
        reverse("reminders:preferences"),
        {
            "kinds": ["checkin_overdue"],
            "notify-goal": "daily",
            "notify-checkin": "off",
            "notify-agreement": "immediate",
        },
    )
    assert response.status_code == 302
    assert sorted(
        NotificationPreference.objects.filter(user=mentee).values_list("kind", "email")
    ) == [("checkin", "off"), ("goal", "daily")]


def test_a_made_up_choice_is_refused_and_nothing_changes(client, mentee):
    client.force_login(mentee)
    response = client.post(reverse("reminders:preferences"), {"kinds": [], "notify-goal": "hourly"})
    assert response.status_code == 422
    assert "Select a valid choice. hourly is not one of the available choices." in response.text
    assert NotificationPreference.objects.count() == 0
    assert not mentee.reminder_opt_outs.exists()


def test_the_profile_links_to_the_preferences(client, mentee):
    client.force_login(mentee)
    page = client.get(reverse("profile"))
    assert f'<a href="{reverse("reminders:preferences")}">Email preferences</a>' in page.text
