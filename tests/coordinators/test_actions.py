"""Acting on partnerships from the admin: bulk actions, the nudge, and the action log."""

import pytest
from django.core import mail
from django.urls import reverse

from coordinators.group import make_coordinator
from partnerships.models import CoordinatorAction, Partnership
from tests.builders import join, make_partnership, make_programme, make_user

CHANGELIST = "/admin/partnerships/partnership/"


def act(client, action, *partnerships, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [p.pk for p in partnerships], **extra},
    )


def test_a_nudge_emails_both_partners_now(as_coordinator, partnership, mentor, mentee):
    response = act(as_coordinator, "nudge", partnership)
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentor.email, mentee.email])
    to_mentee = next(m for m in mail.outbox if m.to == [mentee.email])
    assert to_mentee.subject == "Time for a check-in with Mara Mentor"
    assert "you agreed to meet every 14 days" in to_mentee.body
    assert "every 14 days" in to_mentee.alternatives[0].content


def test_nudging_many_at_once_skips_those_that_are_not_active(
    as_coordinator, programme, partnership, coordinator
):
    proposed = make_partnership(programme, make_user("Pat M"), make_user("Pip E"), active=False)
    act(as_coordinator, "nudge", partnership, proposed)
    assert len(mail.outbox) == 2
    log = list(CoordinatorAction.objects.values_list("actor", "partnership", "verb"))
    assert log == [(coordinator.pk, partnership.pk, "nudged")]


def test_people_who_turned_off_reminders_are_not_nudged(as_coordinator, partnership, mentee):
    mentee.email_reminders = False
    mentee.save()
    act(as_coordinator, "nudge", partnership)
    assert [m.to for m in mail.outbox] == [[partnership.mentor.user.email]]


def test_pause_and_resume_are_logged(as_coordinator, partnership, coordinator):
    act(as_coordinator, "pause", partnership)
    act(as_coordinator, "resume", partnership)
    partnership.refresh_from_db()
    assert partnership.status == "active"
    assert list(
        CoordinatorAction.objects.order_by("id").values_list("verb", "summary", "actor")
    ) == [
        ("pause", "paused Mara Mentor & Milo Mentee", coordinator.pk),
        ("resume", "resumed Mara Mentor & Milo Mentee", coordinator.pk),
    ]


def test_closing_asks_for_a_reason_first(as_coordinator, partnership):
    response = act(as_coordinator, "close", partnership)
    assert response.status_code == 200
    assert "Close partnerships" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.status == "active"


def test_closing_early_with_a_reason(as_coordinator, partnership, coordinator):
    act(
        as_coordinator,
        "close",
        partnership,
        apply="1",
        outcome="ended_early",
        reason="left",
        note="Moved away",
    )
    partnership.refresh_from_db()
    # The category is on the partnership; the coordinator's own words stay in their log.
    assert (partnership.status, partnership.end_reason, partnership.end_note) == (
        "ended_early",
        "left",
        "",
    )
    assert partnership.ended_by == coordinator
    action = CoordinatorAction.objects.get()
    assert action.summary == (
        "ended Mara Mentor & Milo Mentee: left the programme or organisation. Moved away"
    )
    assert partnership.activities.first().summary == (
        "ended the partnership early (left the programme or organisation)"
    )


def test_closing_early_without_a_category_is_refused(as_coordinator, partnership):
    response = act(
        as_coordinator, "close", partnership, apply="1", outcome="ended_early", note="Moved"
    )
    assert response.status_code == 200
    assert "Choose why the partnership ended early." in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.status == "active"
    assert not CoordinatorAction.objects.exists()


def test_ending_early_asks_for_a_category_on_the_close_page(as_coordinator, partnership):
    response = act(as_coordinator, "end_early", partnership)
    html = response.content.decode()
    assert "Close partnerships" in html
    assert '<input type="hidden" name="action" value="end_early">' in html
    assert 'value="ended_early" required id="id_outcome_1" checked' in html
    partnership.refresh_from_db()
    assert partnership.status == "active"
    act(
        as_coordinator, "end_early", partnership, apply="1", outcome="ended_early", reason="no_time"
    )
    partnership.refresh_from_db()
    assert (partnership.status, partnership.end_reason) == ("ended_early", "no_time")
    assert CoordinatorAction.objects.get().summary == (
        "ended Mara Mentor & Milo Mentee: no time to continue"
    )


def test_completing_with_a_reason_keeps_it_in_the_log(as_coordinator, partnership):
    act(as_coordinator, "close", partnership, apply="1", outcome="completed", note="Goals met")
    partnership.refresh_from_db()
    assert partnership.status == "completed"
    assert CoordinatorAction.objects.get().summary == (
        "completed Mara Mentor & Milo Mentee: Goals met"
    )


def test_the_action_log_is_listed_in_the_admin_for_the_programme_only(
    as_coordinator, partnership, other_partnership, other_coordinator
):
    act(as_coordinator, "nudge", partnership)
    CoordinatorAction.record(
        actor=other_coordinator,
        programme=other_partnership.programme,
        verb="nudged",
        summary="nudged the other programme",
    )
    response = as_coordinator.get(reverse("admin:partnerships_coordinatoraction_changelist"))
    html = response.content.decode()
    assert "sent a nudge to Mara Mentor &amp; Milo Mentee (2 emails)" in html
    assert "the other programme" not in html


@pytest.mark.parametrize("action", ["nudge", "pause", "close", "end_early"])
def test_actions_on_another_programme_change_nothing(as_other_coordinator, partnership, action):
    act(as_other_coordinator, action, partnership, apply="1", outcome="ended_early", reason="x")
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.ACTIVE
    assert mail.outbox == []
    assert not CoordinatorAction.objects.exists()


def test_adding_and_changing_in_the_admin_is_logged_per_programme(
    as_coordinator, programme, coordinator, outsider
):
    # A coordinator adds people who are already in one of their programmes (others join by
    # invitation): Olga is in the coordinator's earlier programme.
    earlier = make_programme("Earlier Cohort")
    make_coordinator(coordinator, earlier)
    join(earlier, outsider, "mentee")
    response = as_coordinator.post(
        "/admin/partnerships/participant/add/",
        {
            "programme": programme.pk,
            "user": outsider.pk,
            "role": "mentor",
            "capacity": "2",
            "interests": "",
            "bio": "",
        },
    )
    assert response.status_code == 302
    action = CoordinatorAction.objects.get()
    assert (action.actor, action.programme, action.verb) == (coordinator, programme, "added")
    assert action.summary == "added participant Olga Outsider (mentor, Spring Cohort)"
