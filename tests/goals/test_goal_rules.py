"""Goals belong to the mentee; mentors propose; every change leaves a revision."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from goals import services
from goals.models import Goal, GoalRevision
from goals.services import GoalEditConflict
from partnerships import services as partnership_services
from tests.builders import today_for


@pytest.fixture
def goal(partnership, mentee):
    return services.goal_create(
        partnership=partnership,
        by=mentee,
        title="Speak at a meetup",
        success_measure="One talk given",
        target_date=datetime.date(2026, 12, 1),
    )


def test_a_mentees_own_goal_is_active_at_once(goal, mentee):
    assert goal.status == "active"
    assert goal.owner == mentee
    [created] = goal.revisions.all()
    assert created.kind == "created"
    assert created.author == mentee
    assert created.changes == {
        "title": [None, "Speak at a meetup"],
        "success_measure": [None, "One talk given"],
        "target_date": [None, "2026-12-01"],
        "status": [None, "active"],
    }


def test_a_mentors_goal_for_the_mentee_stays_proposed_until_adopted(partnership, mentor, mentee):
    proposal = services.goal_create(
        partnership=partnership, by=mentor, title="Find a sponsor", owner_role="mentee"
    )
    assert proposal.status == "proposed"
    assert proposal.owner == mentee
    adopted = services.goal_adopt(goal=proposal, by=mentee, reason="Yes, let's")
    assert adopted.status == "active"
    assert [r.kind for r in adopted.revisions.all()] == ["proposed", "adopted"]
    assert adopted.revisions.last().changes == {"status": ["proposed", "active"]}
    assert adopted.revisions.last().author == mentee


def test_the_mentor_cannot_adopt_their_own_proposal(partnership, mentor):
    proposal = services.goal_create(
        partnership=partnership, by=mentor, title="Find a sponsor", owner_role="mentee"
    )
    with pytest.raises(PermissionDenied, match="Only the mentee can adopt a proposed goal."):
        services.goal_adopt(goal=proposal, by=mentor)
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


def test_the_mentee_can_decline_a_proposal(partnership, mentor, mentee):
    proposal = services.goal_create(
        partnership=partnership, by=mentor, title="Learn golf", owner_role="mentee"
    )
    declined = services.goal_decline(goal=proposal, by=mentee, reason="Not for me")
    assert declined.status == "dropped"
    assert declined.revisions.last().kind == "declined"
    assert declined.revisions.last().reason == "Not for me"


def test_a_mentor_sets_their_own_learning_goal(partnership, mentor):
    learning = services.goal_create(
        partnership=partnership, by=mentor, title="Ask better questions"
    )
    assert (learning.owner_role, learning.status, learning.owner) == ("mentor", "active", mentor)


def test_a_mentee_cannot_set_the_mentors_learning_goal(partnership, mentee):
    with pytest.raises(PermissionDenied):
        services.goal_create(partnership=partnership, by=mentee, title="x", owner_role="mentor")


def test_revising_keeps_old_and_new_values_with_who_and_why(goal, mentee):
    revised = services.goal_revise(
        goal=goal,
        by=mentee,
        reason="The meetup moved",
        title="Speak at two meetups",
        target_date=datetime.date(2027, 1, 15),
    )
    assert revised.version == 2
    last = revised.revisions.last()
    assert (last.kind, last.author, last.reason, last.goal_version) == (
        "revised",
        mentee,
        "The meetup moved",
        2,
    )
    assert last.changes == {
        "title": ["Speak at a meetup", "Speak at two meetups"],
        "target_date": ["2026-12-01", "2027-01-15"],
    }


def test_a_revision_needs_a_reason(goal, mentee):
    with pytest.raises(ValidationError) as refused:
        services.goal_revise(goal=goal, by=mentee, reason="  ", title="New")
    assert refused.value.message_dict == {"reason": ["Say briefly why this goal is changing."]}
    goal.refresh_from_db()
    assert goal.title == "Speak at a meetup"


def test_a_revision_that_changes_nothing_is_refused(goal, mentee):
    with pytest.raises(ValidationError, match="Nothing changed."):
        services.goal_revise(goal=goal, by=mentee, reason="Just because", title=goal.title)
    assert goal.revisions.count() == 1


def test_only_the_mentee_edits_the_mentees_goal(goal, mentor):
    with pytest.raises(PermissionDenied, match="Only the mentee can change this goal."):
        services.goal_revise(goal=goal, by=mentor, reason="I know better", title="Mine now")


def test_an_outsider_cannot_touch_a_goal(goal, outsider):
    with pytest.raises(PermissionDenied):
        services.goal_revise(goal=goal, by=outsider, reason="x", title="y")


def test_a_stale_edit_is_a_conflict_and_writes_nothing(goal, mentee):
    started_from = goal.version
    services.goal_revise(goal=goal, by=mentee, reason="First", title="Version two")
    with pytest.raises(GoalEditConflict) as conflict:
        services.goal_revise(
            goal=goal, by=mentee, reason="Second", title="Overwrite", expected_version=started_from
        )
    assert conflict.value.current.title == "Version two"
    assert Goal.objects.get(pk=goal.pk).title == "Version two"


def test_the_mentor_proposes_a_change_and_only_the_mentee_adopts_it(goal, mentor, mentee):
    proposal = services.goal_change_propose(
        goal=goal, by=mentor, reason="Aim higher", title="Speak at a conference"
    )
    goal.refresh_from_db()
    assert goal.title == "Speak at a meetup"  # nothing changes until the mentee adopts
    with pytest.raises(PermissionDenied):
        services.goal_change_adopt(proposal=proposal, by=mentor)
    adopted = services.goal_change_adopt(proposal=proposal, by=mentee)
    assert adopted.title == "Speak at a conference"
    last = adopted.revisions.last()
    assert (last.kind, last.author) == ("adopted", mentee)
    assert last.reason == "Adopted Mara's suggestion: Aim higher"


def test_a_goal_can_only_move_between_allowed_statuses(goal, mentee):
    services.goal_revise(goal=goal, by=mentee, reason="Done!", status="achieved")
    with pytest.raises(ValidationError, match="This goal is achieved; it cannot become dropped."):
        services.goal_revise(goal=goal, by=mentee, reason="Hmm", status="dropped")


def test_a_checkin_review_revises_through_a_revision(partnership, goal, mentee):
    checkin = partnership_services.checkin_start(
        partnership=partnership, by=mentee, held_on=today_for(mentee)
    )
    services.goal_review_record(
        checkin=checkin,
        goal=goal,
        by=mentee,
        decision="revise",
        note="Pushing it back",
        target_date=datetime.date(2027, 2, 1),
    )
    last = GoalRevision.objects.filter(goal=goal).last()
    assert (last.checkin, last.reason, last.changes) == (
        checkin,
        "Pushing it back",
        {"target_date": ["2026-12-01", "2027-02-01"]},
    )


def test_a_checkin_review_can_mark_a_goal_achieved(partnership, goal, mentee):
    checkin = partnership_services.checkin_start(
        partnership=partnership, by=mentee, held_on=today_for(mentee)
    )
    services.goal_review_record(checkin=checkin, goal=goal, by=mentee, decision="achieved")
    goal.refresh_from_db()
    assert goal.status == "achieved"
    assert goal.revisions.last().kind == "reviewed"


def test_keep_records_the_review_without_editing_the_goal(partnership, goal, mentee):
    checkin = partnership_services.checkin_start(
        partnership=partnership, by=mentee, held_on=today_for(mentee)
    )
    review = services.goal_review_record(checkin=checkin, goal=goal, by=mentee, decision="keep")
    assert review.decision == "keep"
    assert goal.revisions.count() == 1


def test_a_goal_is_reviewed_once_per_checkin(partnership, goal, mentee):
    checkin = partnership_services.checkin_start(
        partnership=partnership, by=mentee, held_on=today_for(mentee)
    )
    services.goal_review_record(checkin=checkin, goal=goal, by=mentee, decision="keep")
    with pytest.raises(ValidationError, match="already been reviewed in this check-in"):
        services.goal_review_record(checkin=checkin, goal=goal, by=mentee, decision="keep")


def test_a_paused_partnership_is_read_only_for_goals(partnership, goal, mentee):
    partnership_services.partnership_pause(partnership=partnership, by=mentee)
    with pytest.raises(ValidationError, match="This partnership is paused, so it is read-only."):
        services.goal_revise(goal=goal, by=mentee, reason="x", title="y")


def test_next_steps_are_owned_by_a_partner(partnership, mentor, mentee, outsider):
    step = services.next_step_create(
        partnership=partnership, by=mentor, description="Book the venue", owner=mentee
    )
    assert (step.owner, step.created_by, step.is_done) == (mentee, mentor, False)
    services.next_step_set_done(step=step, by=mentee)
    assert step.is_done
    with pytest.raises(ValidationError):
        services.next_step_create(
            partnership=partnership, by=mentor, description="x", owner=outsider
        )


@pytest.fixture
def milos_step(partnership, mentor, mentee, goal):
    return services.next_step_create(
        partnership=partnership, by=mentor, description="Book the venue", owner=mentee, goal=goal
    )


def test_only_the_owner_ticks_a_next_step_done_or_reopens_it(milos_step, mentor, mentee):
    with pytest.raises(PermissionDenied, match="Only Milo can tick off this step: it is theirs."):
        services.next_step_set_done(step=milos_step, by=mentor)
    milos_step.refresh_from_db()
    assert milos_step.done_at is None
    services.next_step_set_done(step=milos_step, by=mentee)
    with pytest.raises(PermissionDenied, match="Only Milo can tick off this step: it is theirs."):
        services.next_step_set_done(step=milos_step, by=mentor, done=False)
    milos_step.refresh_from_db()
    assert milos_step.is_done


def test_the_partner_cannot_tick_the_owners_step_over_http(client, milos_step, mentor):
    client.force_login(mentor)
    for htmx in (False, True):
        response = client.post(
            reverse("goals:step_done", args=[milos_step.code]),
            {"done": "1"},
            headers={"HX-Request": "true"} if htmx else {},
        )
        assert response.status_code == 403
        assert "Only Milo can tick off this step: it is theirs." in response.text
    milos_step.refresh_from_db()
    assert milos_step.done_at is None


def test_the_partner_sees_the_step_without_its_tick_box_and_the_owner_with_it(
    client, partnership, milos_step, mentor, mentee
):
    tick = reverse("goals:step_done", args=[milos_step.code])
    workspace = reverse("partnerships:workspace", args=[partnership.code])
    client.force_login(mentor)
    page = client.get(workspace).text
    assert '<span class="step-text">Book the venue</span>' in page
    assert tick not in page
    client.force_login(mentee)
    page = client.get(workspace).text
    assert page.count(f'action="{tick}"') == 2  # under its goal and in "what's next"
