"""Notifications: each partner action tells the other partner, in the app and by email as
they chose (at once, in a daily summary, or not), through the reminders' outbox; never
the actor, never anybody's words."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from goals import services as goal_services
from partnerships import services
from partnerships.models import Notification, Reminder
from partnerships.models.notification import EmailChoice, NotificationKind
from partnerships.models.reminder import ReminderKind, ReminderStatus
from partnerships.services.notifications import (
    notification_preferences_set,
    notification_send,
    notifications_mark_read,
)
from tests.builders import today_for

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def notified(user) -> list[tuple[str, str, str]]:
    return [
        (n.kind, n.actor.get_short_name() if n.actor else "", n.summary)
        for n in Notification.objects.filter(recipient=user).order_by("created_at", "pk")
    ]


def outbox_of(user) -> list[tuple[str, str]]:
    return list(
        Reminder.objects.filter(recipient=user).order_by("pk").values_list("kind", "subject_key")
    )


def test_a_mentor_proposing_a_goal_tells_the_mentee_only(partnership, mentor, mentee):
    goal = goal_services.goal_create(
        partnership=partnership, by=mentor, title="Speak at the all-hands", owner_role="mentee"
    )
    assert notified(mentee) == [
        ("goal", "Mara", "proposed a goal for you: “Speak at the all-hands”")
    ]
    assert notified(mentor) == []
    [notification] = Notification.objects.filter(recipient=mentee)
    assert notification.link == reverse("goals:detail", args=[goal.code])
    assert notification.partnership == partnership
    assert outbox_of(mentee) == [("notification", f"notification:{notification.pk}")]


def test_a_mentee_setting_her_own_goal_tells_nobody(partnership, mentee, mentor):
    goal_services.goal_create(partnership=partnership, by=mentee, title="Lead a retro")
    assert notified(mentor) == []


def test_adopting_and_declining_tell_the_proposer(partnership, mentor, mentee):
    first = goal_services.goal_create(
        partnership=partnership, by=mentor, title="Write a blog post", owner_role="mentee"
    )
    second = goal_services.goal_create(
        partnership=partnership, by=mentor, title="Run a workshop", owner_role="mentee"
    )
    goal_services.goal_adopt(goal=first, by=mentee)
    goal_services.goal_decline(goal=second, by=mentee, reason="Not this year; too much on.")
    assert notified(mentor) == [
        ("goal", "Milo", "adopted the goal you proposed: “Write a blog post”"),
        ("goal", "Milo", "declined the goal you proposed: “Run a workshop”"),
    ]
    assert "too much on" not in str(notified(mentor))


def test_a_change_proposed_and_decided_tells_each_partner(partnership, mentor, mentee):
    goal = goal_services.goal_create(partnership=partnership, by=mentee, title="Lead a retro")
    proposal = goal_services.goal_change_propose(
        goal=goal, by=mentor, reason="My secret reasoning", title="Lead two retros"
    )
    goal_services.goal_change_adopt(proposal=proposal, by=mentee)
    assert notified(mentee) == [("goal", "Mara", "proposed a change to your goal “Lead a retro”")]
    assert notified(mentor) == [
        ("goal", "Milo", "adopted your change to the goal “Lead two retros”")
    ]


def test_agreement_versions_proposed_and_signed(partnership, mentor, mentee):
    agreement = services.agreement_propose(
        partnership=partnership,
        by=mentor,
        channels="Video",
        response_time="A day",
        off_limits="My private topics",
    )
    services.agreement_sign(agreement=agreement, by=mentor)
    services.agreement_sign(agreement=agreement, by=mentee)
    assert notified(mentee) == [
        ("agreement", "Mara", "proposed agreement version 1; it waits for your signature"),
        ("agreement", "Mara", "signed agreement version 1; it waits for your signature"),
    ]
    assert notified(mentor) == [
        ("agreement", "Milo", "signed agreement version 1; it is now in force")
    ]


def test_a_logged_check_in_and_feedback_tell_the_partner_without_their_words(
    partnership, mentor, mentee
):
    checkin = services.checkin_start(
        partnership=partnership,
        by=mentee,
        held_on=today_for(mentee),
        agenda="My confidential agenda",
    )
    services.feedback_give(checkin=checkin, by=mentor, rating=5, comment="A secret comment")
    [logged] = notified(mentor)
    assert logged[0] == "checkin" and logged[2].startswith("logged the check-in of ")
    assert logged[2].endswith("; add your part to it")
    [feedback] = notified(mentee)
    assert feedback[:2] == ("feedback", "Mara")
    assert feedback[2].startswith("gave you feedback on the check-in of ")
    everything = str(notified(mentor) + notified(mentee))
    assert "confidential" not in everything and "secret" not in everything
    assert Notification.objects.get(recipient=mentee).link == reverse(
        "partnerships:checkin", args=[checkin.code]
    )


def test_pause_resume_and_end_tell_the_partner_with_the_category_only(partnership, mentor, mentee):
    services.partnership_pause(
        partnership=partnership, by=mentee, reason="travel", note="Visiting my sick aunt"
    )
    services.partnership_resume(partnership=partnership, by=mentee)
    services.partnership_end(partnership=partnership, by=mentor, reason="no_time")
    assert notified(mentor) == [
        ("partnership", "Milo", "paused the partnership (travel or time away)"),
        ("partnership", "Milo", "resumed the partnership"),
    ]
    assert notified(mentee) == [
        ("partnership", "Mara", "ended the partnership early (no time to continue)")
    ]


def test_a_coordinator_pausing_tells_both_partners(partnership, mentor, mentee, coordinator):
    services.partnership_pause(partnership=partnership, by=coordinator, reason="busy")
    assert notified(mentor) == [("partnership", "Cora", "paused the partnership (a busy period)")]
    assert notified(mentee) == notified(mentor)


def test_a_kind_turned_off_by_email_still_arrives_in_the_app(partnership, mentor, mentee):
    notification_preferences_set(user=mentee, choices={"goal": EmailChoice.OFF})
    goal_services.goal_create(
        partnership=partnership, by=mentor, title="Mentor a newcomer", owner_role="mentee"
    )
    assert len(notified(mentee)) == 1
    assert outbox_of(mentee) == []


def test_email_reminders_off_on_the_profile_sends_no_notification_email(
    partnership, mentor, mentee
):
    mentee.email_reminders = False
    mentee.save()
    goal_services.goal_create(
        partnership=partnership, by=mentor, title="Mentor a newcomer", owner_role="mentee"
    )
    assert len(notified(mentee)) == 1
    assert outbox_of(mentee) == []


def test_an_immediate_email_is_due_at_once(partnership, mentor, mentee):
    moment = datetime.datetime(2026, 12, 10, 15, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        goal_services.goal_create(
            partnership=partnership, by=mentor, title="Mentor a newcomer", owner_role="mentee"
        )
    [row] = Reminder.objects.filter(recipient=mentee)
    assert (row.kind, row.status, row.send_after) == ("notification", "pending", moment)
    assert row.due_on == datetime.date(2026, 12, 10)  # the mentee's day in New York


def test_a_daily_summary_is_one_row_per_person_per_day_at_the_delivery_hour(
    partnership, mentor, mentee
):
    notification_preferences_set(
        user=mentee, choices={"goal": EmailChoice.DAILY, "agreement": EmailChoice.DAILY}
    )
    # 15:30 UTC is 10:30 in New York: past today's 09:00 delivery, so tomorrow's.
    with time_machine.travel(datetime.datetime(2026, 12, 10, 15, 30, tzinfo=datetime.UTC)):
        goal_services.goal_create(
            partnership=partnership, by=mentor, title="First idea", owner_role="mentee"
        )
        goal_services.goal_create(
            partnership=partnership, by=mentor, title="Second idea", owner_role="mentee"
        )
        services.agreement_propose(
            partnership=partnership, by=mentor, channels="Video", response_time="A day"
        )
    [row] = Reminder.objects.filter(recipient=mentee)
    assert (row.kind, row.subject_key, row.period) == (
        "notification_digest",
        "notifications",
        "2026-12-11",
    )
    assert row.send_after == datetime.datetime(2026, 12, 11, 9, tzinfo=NEW_YORK)
    assert Notification.objects.filter(recipient=mentee, reminder=row).count() == 3


def test_a_summary_already_on_its_way_is_not_joined_the_next_day_takes_it(
    partnership, mentor, mentee
):
    notification_preferences_set(user=mentee, choices={"goal": EmailChoice.DAILY})
    with time_machine.travel(datetime.datetime(2026, 12, 10, 13, tzinfo=datetime.UTC)):
        goal_services.goal_create(
            partnership=partnership, by=mentor, title="Early idea", owner_role="mentee"
        )
    [today] = Reminder.objects.filter(recipient=mentee)
    assert today.period == "2026-12-10"  # 08:00 in New York: this morning's 09:00
    Reminder.objects.filter(pk=today.pk).update(status=ReminderStatus.SENT, lease_until=None)
    # 08:30 in New York: this morning's 09:00 is still ahead, but already sent.
    with time_machine.travel(datetime.datetime(2026, 12, 10, 13, 30, tzinfo=datetime.UTC)):
        goal_services.goal_create(
            partnership=partnership, by=mentor, title="Later idea", owner_role="mentee"
        )
    periods = list(
        Reminder.objects.filter(recipient=mentee).order_by("pk").values_list("period", flat=True)
    )
    assert periods == ["2026-12-10", "2026-12-11"]


def test_the_summary_waits_for_quiet_hours_to_end(partnership, mentor, mentee, programme):
    programme.delivery_hour = 7  # inside the default quiet hours (21:00 to 08:00)
    programme.save()
    notification_preferences_set(user=mentee, choices={"goal": EmailChoice.DAILY})
    with time_machine.travel(datetime.datetime(2026, 12, 10, 15, tzinfo=datetime.UTC)):
        goal_services.goal_create(
            partnership=partnership, by=mentor, title="An idea", owner_role="mentee"
        )
    [row] = Reminder.objects.filter(recipient=mentee)
    assert row.send_after == datetime.datetime(2026, 12, 11, 8, tzinfo=NEW_YORK)


def test_nobody_is_told_what_they_did_themselves(programme, mentor):
    assert (
        notification_send(
            recipients=[mentor],
            kind=NotificationKind.PROGRAMME,
            programme=programme,
            actor=mentor,
            summary="did something",
            link="/",
        )
        == []
    )


def test_an_inactive_account_is_not_notified(programme, mentor):
    mentor.is_active = False
    mentor.save()
    sent = notification_send(
        recipients=[mentor], kind="programme", programme=programme, summary="x", link="/"
    )
    assert sent == []


@pytest.mark.parametrize("link", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_a_notification_links_only_to_this_site(programme, mentor, link):
    with pytest.raises(ValueError, match="a page of this site"):
        notification_send(
            recipients=[mentor], kind="programme", programme=programme, summary="x", link=link
        )
    assert Notification.objects.count() == 0


def test_marking_read_touches_only_ones_own(partnership, mentor, mentee):
    goal_services.goal_create(partnership=partnership, by=mentor, title="Idea", owner_role="mentee")
    goal = goal_services.goal_create(partnership=partnership, by=mentee, title="Mine")
    goal_services.goal_change_propose(goal=goal, by=mentor, reason="r", title="Mine!")
    assert notifications_mark_read(user=mentor) == 0
    assert notifications_mark_read(user=mentee) == 2
    assert Notification.objects.unread().count() == 0


def test_summaries_never_hold_a_kind_of_reminder_row_other_than_notifications(
    partnership, mentor, mentee
):
    goal_services.goal_create(partnership=partnership, by=mentor, title="A", owner_role="mentee")
    kinds = set(Reminder.objects.values_list("kind", flat=True))
    assert kinds == {ReminderKind.NOTIFICATION}
