"""The stored facts behind health and the dashboard's chart stay current after every write."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command

from coordinators.programme_dashboard import checkins_per_week
from goals import health_facts
from goals import services as goal_services
from goals.tasks import refresh_health_facts
from partnerships import services
from partnerships.models import CheckIn, CheckInWeek, Feedback, HealthFacts, Partnership
from partnerships.models.participant import Role
from partnerships.services.health_facts import monday_of
from tests.goals.health_world import START, checkin, only
from workspace.account_deletion import account_delete

DAY = datetime.timedelta(days=1)


def contributions(partnership):
    """In how many of the recent check-ins each partner took part: (mentor, mentee)."""
    health = only(partnership, START + 20 * DAY)
    return health.mentor_took_part, health.mentee_took_part


def _reflect(p, mentor, mentee, held):
    services.reflection_write(checkin=held, by=mentor, text="Went well")


def _give_feedback(p, mentor, mentee, held):
    services.feedback_give(checkin=held, by=mentor, rating=4)


def _review_a_goal(p, mentor, mentee, held):
    goal = goal_services.goal_create(partnership=p, by=mentor, title="Listen more")
    goal_services.goal_review_record(checkin=held, goal=goal, by=mentor, decision="keep")


def _agree_a_next_step(p, mentor, mentee, held):
    goal_services.next_step_create(
        partnership=p, by=mentor, description="Send the article", owner=mentor, checkin=held
    )


@pytest.mark.parametrize(
    "write",
    [_reflect, _give_feedback, _review_a_goal, _agree_a_next_step],
    ids=lambda write: write.__name__,
)
def test_each_way_of_taking_part_is_counted_at_the_next_look(
    started_partnership, mentor, mentee, write
):
    held = checkin(started_partnership, mentee, START + 10 * DAY)
    assert contributions(started_partnership) == (0, 1)  # stored now
    write(started_partnership, mentor, mentee, held)
    assert contributions(started_partnership) == (1, 1)


def refresh():
    call_command("refresh_health_facts", stdout=io.StringIO())


def test_a_new_checkin_is_seen_and_a_deletion_outside_the_services_at_the_rebuild(
    started_partnership, mentee
):
    assert contributions(started_partnership) == (0, 0)
    held = checkin(started_partnership, mentee, START + 10 * DAY)
    assert contributions(started_partnership) == (0, 1)
    held.delete()  # no service deletes a check-in: only SQL by hand can
    assert contributions(started_partnership) == (0, 1)
    refresh()
    assert contributions(started_partnership) == (0, 0)


def test_a_low_rating_is_seen_and_its_deletion_at_the_rebuild(started_partnership, mentor, mentee):
    held = checkin(started_partnership, mentor, START + 10 * DAY)
    assert only(started_partnership, START + 11 * DAY).latest_rating_for_mentor is None
    services.feedback_give(checkin=held, by=mentee, rating=1)
    health = only(started_partnership, START + 17 * DAY)  # the grace period: 7 days
    assert health.latest_rating_for_mentor == 1
    assert health.reasons == ["Low feedback: the mentor was last rated 1/5"]
    Feedback.objects.get().delete()  # outside the services: seen at the rebuild
    refresh()
    assert only(started_partnership, START + 11 * DAY).latest_rating_for_mentor is None


def test_goals_achieved_are_counted_at_the_next_look(started_partnership, mentee):
    goal = goal_services.goal_create(partnership=started_partnership, by=mentee, title="Ship it")
    assert only(started_partnership, START + DAY).goals_active == 1
    goal_services.goal_revise(goal=goal, by=mentee, reason="Done", status="achieved")
    health = only(started_partnership, START + DAY)
    assert (health.goals_active, health.goals_achieved) == (0, 1)


def test_a_proposed_goal_adopted_is_counted_at_the_next_look(started_partnership, mentor, mentee):
    goal = goal_services.goal_create(
        partnership=started_partnership, by=mentor, title="Find a sponsor", owner_role=Role.MENTEE
    )
    assert only(started_partnership, START + DAY).goals_active == 0
    goal_services.goal_adopt(goal=goal, by=mentee)  # a conditional UPDATE, no save()
    assert only(started_partnership, START + DAY).goals_active == 1


def test_a_deleted_account_takes_its_private_reflections_out_of_the_counts(
    started_partnership, mentor, mentee
):
    held = checkin(started_partnership, mentee, START + 10 * DAY)
    services.reflection_write(checkin=held, by=mentor, text="Only for me")
    assert contributions(started_partnership) == (1, 1)
    account_delete(user=mentor)
    assert contributions(started_partnership) == (0, 1)


def test_writes_clear_only_their_own_partnership(programme, started_partnership, mentee):
    from tests.builders import make_partnership, make_user

    other = make_partnership(programme, make_user("Other Mentor"), make_user("Other Mentee"))
    only(started_partnership, START)
    only(other, START)
    checkin(started_partnership, mentee, START + DAY)
    assert set(HealthFacts.objects.values_list("partnership_id", flat=True)) == {other.pk}


def test_the_chart_follows_checkins_logged_and_rebuilt_after_moves_and_deletions(
    programme, started_partnership, mentee
):
    programme.starts_on = START
    programme.save()

    def weeks(today=START + 20 * DAY):
        chart = checkins_per_week(programme, today=today)
        return {bar.week: bar.count for bar in chart.bars if bar.count}

    held = checkin(started_partnership, mentee, START + 10 * DAY)
    assert weeks() == {monday_of(START + 10 * DAY): 1}
    checkin(started_partnership, mentee, START + 11 * DAY)
    assert weeks() == {monday_of(START + 10 * DAY): 2}
    # No service moves or deletes a check-in; by hand in SQL, the rebuild catches it.
    held.held_on = START + 3 * DAY
    held.save()
    refresh()
    assert weeks() == {monday_of(START + 3 * DAY): 1, monday_of(START + 10 * DAY): 1}
    CheckIn.objects.get(pk=held.pk).delete()
    refresh()
    assert weeks() == {monday_of(START + 10 * DAY): 1}
    assert CheckInWeek.objects.filter(checkins=0).exists()  # an empty week is stored too


def test_a_rebuild_catches_what_bulk_updates_bypass(started_partnership, mentor, mentee):
    held = checkin(started_partnership, mentor, START + 10 * DAY)
    services.feedback_give(checkin=held, by=mentee, rating=4)
    assert only(started_partnership, START + 17 * DAY).reasons == []
    Feedback.objects.update(rating=1)  # no signals: the stored facts do not know
    assert only(started_partnership, START + 17 * DAY).reasons == []
    call_command("refresh_health_facts", stdout=io.StringIO())
    assert only(started_partnership, START + 17 * DAY).reasons == [
        "Low feedback: the mentor was last rated 1/5"
    ]


def test_beat_rebuilds_the_facts_nightly():
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-health-facts"]
    assert entry["task"] == refresh_health_facts.name
    assert entry["schedule"].hour == {3}


def test_a_refresh_keeps_the_partnerships_it_started_with(started_partnership, mentee, monkeypatch):
    """Two coordinators opening the dashboard at once both refresh the same stale rows.
    The one that lands second must not find its set changed halfway and store zeros."""
    checkin(started_partnership, mentee, START + 10 * DAY, agenda="Plan")
    without_facts = Partnership.objects.filter(health_facts__isnull=True)
    counted = health_facts._participation

    def after_the_other_refresh_lands(rows, ids):
        monkeypatch.setattr(health_facts, "_participation", counted)
        health_facts.refresh_facts(Partnership.objects.filter(pk=started_partnership.pk))
        return counted(rows, ids)

    monkeypatch.setattr(health_facts, "_participation", after_the_other_refresh_lands)
    health_facts.refresh_facts(without_facts)
    stored = HealthFacts.objects.get(partnership=started_partnership)
    assert (stored.recent_checkins, stored.mentor_took_part, stored.mentee_took_part) == (1, 0, 1)
