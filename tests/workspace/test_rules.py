"""The workspace enforces the partnership model on the server, not with hidden buttons."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from goals import services as goal_services
from goals.models import Goal, GoalRevision
from partnerships import services
from partnerships.models import CheckIn, Feedback, Reflection
from tests.builders import make_partnership, today_for
from tests.workspace_world import build_world, snapshot

HTMX = {"HX-Request": "true"}


@pytest.fixture
def partnership_with_everything(partnership, mentor, mentee):
    return build_world(partnership, mentor, mentee)


def edit(goal, **fields):
    data = {
        "title": goal.title,
        "description": goal.description,
        "success_measure": goal.success_measure,
        "target_date": "",
        "status": goal.status,
        "reason": "Clearer",
        "version": str(goal.version),
    }
    return {**data, **fields}


# --- goals: the mentee decides ------------------------------------------------------


def test_a_mentees_new_goal_is_active_and_a_mentors_is_only_proposed(
    client, partnership, mentor, mentee
):
    url = reverse("goals:create", args=[partnership.code, "mentee"])
    client.force_login(mentee)
    client.post(url, {"goal-mentee-title": "Lead a meeting"})
    client.force_login(mentor)
    response = client.post(url, {"goal-mentee-title": "Write weekly notes"}, follow=True)
    assert "Milo decides whether to adopt it." in response.content.decode()
    assert dict(Goal.objects.values_list("title", "status")) == {
        "Lead a meeting": "active",
        "Write weekly notes": "proposed",
    }


def test_a_mentor_cannot_adopt_the_goal_they_proposed(client, partnership_with_everything, mentor):
    client.force_login(mentor)
    response = client.post(
        reverse("goals:adopt", args=[partnership_with_everything.proposed_goal.code])
    )
    assert response.status_code == 403
    assert "Only the mentee can adopt a proposed goal." in response.content.decode()
    partnership_with_everything.proposed_goal.refresh_from_db()
    assert partnership_with_everything.proposed_goal.status == "proposed"


def test_the_mentee_adopts_a_proposed_goal_and_it_leaves_a_revision(
    client, partnership_with_everything, mentee
):
    client.force_login(mentee)
    response = client.post(
        reverse("goals:adopt", args=[partnership_with_everything.proposed_goal.code])
    )
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("partnerships:workspace", args=[partnership_with_everything.partnership.code])
        + "#goals"
    )
    partnership_with_everything.proposed_goal.refresh_from_db()
    assert partnership_with_everything.proposed_goal.status == "active"
    assert (
        partnership_with_everything.proposed_goal.revisions.last().kind == GoalRevision.Kind.ADOPTED
    )


def test_a_mentor_cannot_edit_the_mentees_goal(client, partnership_with_everything, mentor):
    before = snapshot(partnership_with_everything.partnership)
    client.force_login(mentor)
    response = client.post(
        reverse("goals:edit", args=[partnership_with_everything.goal.code]),
        edit(partnership_with_everything.goal, title="Mine now"),
    )
    assert response.status_code == 403
    assert snapshot(partnership_with_everything.partnership) == before


def test_a_mentee_cannot_edit_the_mentors_learning_goal(
    client, partnership_with_everything, mentee
):
    before = snapshot(partnership_with_everything.partnership)
    client.force_login(mentee)
    response = client.post(
        reverse("goals:edit", args=[partnership_with_everything.learning_goal.code]),
        edit(partnership_with_everything.learning_goal, title="X"),
    )
    assert response.status_code == 403
    assert snapshot(partnership_with_everything.partnership) == before


def test_a_mentee_cannot_set_the_mentors_learning_goals(
    client, partnership_with_everything, mentee
):
    client.force_login(mentee)
    url = reverse("goals:create", args=[partnership_with_everything.partnership.code, "mentor"])
    assert client.post(url, {"goal-mentor-title": "Be nicer"}).status_code == 403
    assert not Goal.objects.filter(title="Be nicer").exists()


def test_the_mentor_only_proposes_a_change_and_the_mentee_adopts_it(
    client, partnership_with_everything, mentor, mentee
):
    client.force_login(mentor)
    client.post(
        reverse("goals:propose_change", args=[partnership_with_everything.goal.code]),
        {"title": "Speak up twice a week", "reason": "Measurable"},
    )
    partnership_with_everything.goal.refresh_from_db()
    assert partnership_with_everything.goal.title == "Speak up"
    client.force_login(mentee)
    proposal = partnership_with_everything.goal.change_proposals.get(reason="Measurable")
    client.post(reverse("goals:proposal_adopt", args=[proposal.code]))
    partnership_with_everything.goal.refresh_from_db()
    assert partnership_with_everything.goal.title == "Speak up twice a week"


def test_an_edit_without_a_reason_keeps_what_was_typed(client, partnership_with_everything, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse("goals:edit", args=[partnership_with_everything.goal.code]),
        edit(partnership_with_everything.goal, title="Speak up loudly", reason=""),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "This field is required." in page
    assert 'value="Speak up loudly"' in page
    partnership_with_everything.goal.refresh_from_db()
    assert partnership_with_everything.goal.title == "Speak up"


def test_the_second_of_two_edits_shows_a_conflict_instead_of_overwriting(
    client, partnership_with_everything, mentee
):
    client.force_login(mentee)
    started_from = edit(partnership_with_everything.goal)  # both tabs opened at version 1
    first = client.post(
        reverse("goals:edit", args=[partnership_with_everything.goal.code]),
        {**started_from, "title": "Speak up at standup", "reason": "First tab"},
    )
    assert first.status_code == 302
    second = client.post(
        reverse("goals:edit", args=[partnership_with_everything.goal.code]),
        {**started_from, "title": "Speak up in retros", "reason": "Second tab"},
    )
    assert second.status_code == 409
    page = second.content.decode()
    assert "saved this goal while you were editing" in page
    assert "Speak up at standup" in page and "Speak up in retros" in page
    assert 'name="version" value="2"' in page  # saving again is a knowing choice
    partnership_with_everything.goal.refresh_from_db()
    assert (partnership_with_everything.goal.title, partnership_with_everything.goal.version) == (
        "Speak up at standup",
        2,
    )


def test_the_conflict_also_shows_inline_with_htmx(client, partnership_with_everything, mentee):
    client.force_login(mentee)
    goal_services.goal_revise(
        goal=partnership_with_everything.goal, by=mentee, reason="Elsewhere", title="Other tab"
    )
    response = client.post(
        reverse("goals:edit", args=[partnership_with_everything.goal.code]),
        edit(partnership_with_everything.goal, title="Mine"),
        headers=HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<div id="goal"')
    assert "<html" not in page
    assert "Other tab" in page and "Mine" in page


def test_the_goal_timeline_shows_what_changed_who_when_and_why(
    client, partnership_with_everything, mentee
):
    goal_services.goal_revise(
        goal=partnership_with_everything.goal,
        by=mentee,
        reason="Be specific",
        title="Speak up weekly",
    )
    client.force_login(mentee)
    page = client.get(
        reverse("goals:detail", args=[partnership_with_everything.goal.code])
    ).content.decode()
    assert "<strong>Revised</strong> by you" in page
    assert "“Be specific”" in page
    assert "<del>Speak up</del> → <ins>Speak up weekly</ins>" in page


# --- agreement -----------------------------------------------------------------------


def test_the_agreement_says_whose_signature_is_missing_until_both_sign(
    client, partnership_with_everything, mentor, mentee
):
    client.force_login(mentee)
    page = client.get(
        reverse("partnerships:workspace", args=[partnership_with_everything.partnership.code])
    ).content.decode()
    assert "Waiting for Mara's and your signature." in page
    client.post(
        reverse(
            "partnerships:agreement_sign", args=[partnership_with_everything.partnership.code, 1]
        )
    )
    client.force_login(mentor)
    page = client.get(
        reverse("partnerships:workspace", args=[partnership_with_everything.partnership.code])
    ).content.decode()
    assert "Waiting for your signature." in page
    response = client.post(
        reverse(
            "partnerships:agreement_sign", args=[partnership_with_everything.partnership.code, 1]
        ),
        headers=HTMX,
    )
    assert "Version 1 is signed by you both and now in force." in response.content.decode()
    partnership_with_everything.agreement.refresh_from_db()
    assert partnership_with_everything.agreement.is_signed


def test_a_changed_agreement_shows_what_changed(
    client, partnership_with_everything, mentor, mentee
):
    services.agreement_sign(agreement=partnership_with_everything.agreement, by=mentor)
    services.agreement_sign(agreement=partnership_with_everything.agreement, by=mentee)
    client.force_login(mentee)
    response = client.post(
        reverse(
            "partnerships:agreement_propose", args=[partnership_with_everything.partnership.code]
        ),
        {
            "agreement-checkin_cadence_days": "7",
            "agreement-channels": "Video call",
            "agreement-response_time": "Two working days",
            "agreement-confidentiality": partnership_with_everything.agreement.confidentiality,
            "agreement-change_note": "Weekly for a while",
        },
        headers=HTMX,
    )
    page = response.content.decode()
    assert "You proposed version 2." in page
    assert "<del>14</del>" in page and "<ins>7</ins>" in page
    assert "Waiting for Mara's and your signature." in page
    assert "In force: version 1" in page


def test_an_invalid_agreement_keeps_what_was_typed(client, partnership_with_everything, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse(
            "partnerships:agreement_propose", args=[partnership_with_everything.partnership.code]
        ),
        {"agreement-checkin_cadence_days": "0", "agreement-channels": "Carrier pigeon"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Meet at least every 180 days, at most every day." in page
    assert 'value="Carrier pigeon"' in page
    assert partnership_with_everything.partnership.agreements.count() == 1


# --- check-ins -----------------------------------------------------------------------


def test_a_check_in_reviews_goals_and_each_partner_adds_their_part(
    client, partnership_with_everything, mentor, mentee
):
    today = timezone.localdate(timezone=mentee.tzinfo)
    client.force_login(mentee)
    goal = f"new-goal-{partnership_with_everything.goal.code}"
    response = client.post(
        reverse("partnerships:checkin_new", args=[partnership_with_everything.partnership.code]),
        {
            "new-held_on": today.isoformat(),
            "new-agenda": "Standups",
            f"{goal}-decision": "revise",
            f"{goal}-new_title": "Speak up at every standup",
            f"{goal}-note": "Every day",
            "new-text": "Felt good",
            "new-visibility": "private",
            "new-description": "Prepare one point",
            "new-owner": str(mentee.pk),
        },
    )
    assert response.status_code == 302
    checkin = CheckIn.objects.get(agenda="Standups")
    partnership_with_everything.goal.refresh_from_db()
    assert partnership_with_everything.goal.title == "Speak up at every standup"
    assert partnership_with_everything.goal.revisions.last().checkin == checkin
    assert list(checkin.next_steps.values_list("description", "owner")) == [
        ("Prepare one point", mentee.pk)
    ]

    client.force_login(mentor)
    prefix = f"c-{checkin.code}"
    learning = f"{prefix}-goal-{partnership_with_everything.learning_goal.code}"
    client.post(
        reverse("partnerships:checkin_contribute", args=[checkin.code]),
        {
            f"{learning}-decision": "achieved",
            f"{prefix}-text": "Proud of Milo",
            f"{prefix}-visibility": "shared",
        },
    )
    partnership_with_everything.learning_goal.refresh_from_db()
    assert partnership_with_everything.learning_goal.status == "achieved"
    assert set(Reflection.objects.values_list("author", "visibility")) == {
        (mentee.pk, "private"),
        (mentor.pk, "shared"),
    }


def test_a_private_reflection_is_read_by_its_author_alone(
    client, partnership_with_everything, mentor, mentee
):
    services.reflection_write(
        checkin=partnership_with_everything.checkin,
        by=mentee,
        text="My secret worry",
        visibility="private",
    )
    services.reflection_write(
        checkin=partnership_with_everything.checkin,
        by=mentor,
        text="Open thought",
        visibility="shared",
    )
    url = reverse("partnerships:workspace", args=[partnership_with_everything.partnership.code])
    client.force_login(mentor)
    page = client.get(url).content.decode()
    assert "My secret worry" not in page
    assert "Open thought" in page
    client.force_login(mentee)
    page = client.get(url).content.decode()
    assert "My secret worry" in page and "Open thought" in page


def test_feedback_reaches_the_partner(client, partnership_with_everything, mentor, mentee):
    client.force_login(mentee)
    client.post(
        reverse("partnerships:feedback_give", args=[partnership_with_everything.checkin.code]),
        {
            f"fb-{partnership_with_everything.checkin.code}-rating": "4",
            f"fb-{partnership_with_everything.checkin.code}-comment": "Helpful push",
        },
    )
    feedback = Feedback.objects.get()
    assert (feedback.author, feedback.recipient, feedback.rating) == (mentee, mentor, 4)
    client.force_login(mentor)
    page = client.get(
        reverse("partnerships:checkin", args=[partnership_with_everything.checkin.code])
    ).content.decode()
    assert "4/5</span> from Milo" in page
    assert "Helpful push" in page


def test_feedback_outside_one_to_five_is_refused_inline(
    client, partnership_with_everything, mentee
):
    client.force_login(mentee)
    response = client.post(
        reverse("partnerships:feedback_give", args=[partnership_with_everything.checkin.code]),
        {
            f"fb-{partnership_with_everything.checkin.code}-rating": "9",
            f"fb-{partnership_with_everything.checkin.code}-comment": "Keep me",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice. 9 is not one of the available choices." in page
    assert "Keep me" in page
    assert not Feedback.objects.exists()


def test_a_check_in_in_the_future_is_refused_and_nothing_is_saved(
    client, partnership_with_everything, mentee
):
    before = snapshot(partnership_with_everything.partnership)
    tomorrow = timezone.localdate(timezone=mentee.tzinfo) + datetime.timedelta(days=1)
    client.force_login(mentee)
    response = client.post(
        reverse("partnerships:checkin_new", args=[partnership_with_everything.partnership.code]),
        {
            "new-held_on": tomorrow.isoformat(),
            "new-agenda": "Keep this",
            "new-visibility": "private",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "A check-in is logged on or after the day it was held." in page
    assert "Keep this" in page
    assert snapshot(partnership_with_everything.partnership) == before


def test_the_first_meeting_counts_on_each_partners_own_calendar(programme, mentor, mentee):
    """Started at 01:30 UTC on the 26th: still the 25th in New York, already the 26th in London."""
    with time_machine.travel(
        datetime.datetime(2026, 11, 26, 1, 30, tzinfo=datetime.UTC), tick=False
    ):
        partnership = make_partnership(programme, mentor, mentee)
        assert partnership.started_on == datetime.date(2026, 11, 26)
        evening_before_in_new_york = datetime.date(2026, 11, 25)

        services.checkin_start(
            partnership=partnership, by=mentee, held_on=evening_before_in_new_york
        )
        with pytest.raises(ValidationError, match="before the partnership started"):
            services.checkin_start(
                partnership=partnership, by=mentor, held_on=evening_before_in_new_york
            )
        with pytest.raises(ValidationError, match="before the partnership started"):
            services.checkin_start(
                partnership=partnership, by=mentee, held_on=datetime.date(2026, 11, 24)
            )
    assert list(
        CheckIn.objects.filter(partnership=partnership).values_list("held_on", flat=True)
    ) == [evening_before_in_new_york]


def test_a_refused_check_in_does_not_ask_for_the_goals_left_for_later(
    client, partnership_with_everything, mentee
):
    client.force_login(mentee)
    url = reverse("partnerships:checkin_new", args=[partnership_with_everything.partnership.code])
    page = client.get(url).content.decode()
    assert "hx-post" not in page.split('id="checkin-new-form"')[1].split(">")[0]  # a plain form
    data = {"new-held_on": "2020-01-01", "new-agenda": "Keep this", "new-visibility": "private"}
    page = client.post(url, data).content.decode()
    assert "This date is before the partnership started." in page
    assert "This field is required." not in page  # goals left blank are reviewed later
    assert "Keep this" in page
    # A note without a decision would be lost: it is asked about, and kept.
    note = {f"new-goal-{partnership_with_everything.goal.code}-note": "Went well"}
    response = client.post(url, {**data, "new-held_on": today_for(mentee).isoformat(), **note})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Choose what to do with this goal, or clear the note." in page
    assert "Went well" in page and "Keep this" in page


def test_only_the_mentee_is_asked_for_the_agenda(
    client, partnership_with_everything, mentor, mentee
):
    url = reverse("partnerships:checkin_new", args=[partnership_with_everything.partnership.code])
    client.force_login(mentor)
    assert 'name="new-agenda"' not in client.get(url).content.decode()
    client.force_login(mentee)
    assert 'name="new-agenda"' in client.get(url).content.decode()


# --- pause, resume, end --------------------------------------------------------------


def test_a_paused_partnership_is_read_only(client, partnership_with_everything, mentor, mentee):
    client.force_login(mentor)
    client.post(
        reverse("partnerships:pause", args=[partnership_with_everything.partnership.code]),
        {"pause-reason": "travel", "pause-note": "Holiday"},
    )
    before = snapshot(partnership_with_everything.partnership)
    assert before["status"] == "paused"
    client.force_login(mentee)
    response = client.post(
        reverse("goals:create", args=[partnership_with_everything.partnership.code, "mentee"]),
        {"goal-mentee-title": "New"},
    )
    assert response.status_code == 422
    assert "This partnership is paused, so it is read-only." in response.content.decode()
    assert snapshot(partnership_with_everything.partnership) == before
    client.post(reverse("partnerships:resume", args=[partnership_with_everything.partnership.code]))
    partnership_with_everything.partnership.refresh_from_db()
    assert partnership_with_everything.partnership.status == "active"


def test_either_partner_ends_it_and_both_write_a_closing_reflection(
    client, partnership_with_everything, mentor, mentee
):
    client.force_login(mentee)
    response = client.post(
        reverse("partnerships:end", args=[partnership_with_everything.partnership.code]),
        {"end-reason": "left", "end-note": "New job"},
        headers=HTMX,
    )
    assert "Each of you can now write a closing reflection." in response.content.decode()
    for person, text in ((mentee, "Thank you"), (mentor, "Learned a lot")):
        client.force_login(person)
        client.post(
            reverse("partnerships:closing", args=[partnership_with_everything.partnership.code]),
            {"closing-text": text, "closing-visibility": "shared"},
        )
    partnership_with_everything.partnership.refresh_from_db()
    assert (
        partnership_with_everything.partnership.status,
        partnership_with_everything.partnership.end_reason,
        partnership_with_everything.partnership.end_note,
    ) == ("ended_early", "left", "New job")
    assert partnership_with_everything.partnership.closing_reflections.count() == 2


def test_htmx_actions_swap_their_section_and_refresh_the_others_out_of_band(
    client, partnership_with_everything, mentee
):
    client.force_login(mentee)
    response = client.post(
        reverse("goals:create", args=[partnership_with_everything.partnership.code, "mentee"]),
        {"goal-mentee-title": "Mentor someone else"},
        headers=HTMX,
    )
    page = response.content.decode()
    assert page.startswith('<section id="goals" class="card wide"')
    assert '<section id="attention" class="card attention" data-hx-swap-oob="true"' in page
    assert '<section id="checkins" class="card wide" data-hx-swap-oob="true"' in page
    assert "Goal “Mentor someone else” added." in page
