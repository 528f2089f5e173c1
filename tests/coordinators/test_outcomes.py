"""The Outcomes page, checked against a programme built by hand: each figure's rows, its
CSV, valid HTML with a chart described for screen readers, a number of queries that does
not grow with the programme, and the comparison of a coordinator's own programmes only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coordinators.outcomes import programme_outcomes
from goals import services as goal_services
from goals.models import Goal
from partnerships import services
from partnerships.models import Partnership
from tests.builders import make_partnership, make_user
from tests.coordinators.conftest import populate

DAY = datetime.timedelta(days=1)


@pytest.fixture
def hand_built(programme, mentor, mentee):
    """Three pairs matched 60 days ago: one meets every 14 days and completes, one waited
    20 days and then a month, one never met and ended early for lack of time."""
    start = timezone.localdate() - DAY * 60
    moment = timezone.make_aware(datetime.datetime.combine(start, datetime.time(9)))
    regular = make_partnership(programme, mentor, mentee)
    slow = make_partnership(programme, make_user("Sol Mentor"), make_user("Sia Mentee"))
    silent = make_partnership(programme, make_user("Tom Mentor"), make_user("Tia Mentee"))
    Partnership.objects.filter(programme=programme).update(created_at=moment, started_on=start)
    for p in (regular, slow, silent):
        p.refresh_from_db()
    goal = goal_services.goal_create(partnership=regular, by=mentee, title="Speak up")
    learning = goal_services.goal_create(
        partnership=regular, by=mentor, title="Ask open questions", owner_role="mentor"
    )
    goal_services.goal_create(
        partnership=slow, by=slow.mentor.user, title="Listen more", owner_role="mentor"
    )
    decisions = {5: "revise", 19: "keep", 33: "achieved"}
    for offset, decision in decisions.items():
        checkin = services.checkin_start(
            partnership=regular, by=mentee, held_on=start + DAY * offset
        )
        extra = {"target_date": start + DAY * 90} if decision == "revise" else {}
        goal_services.goal_review_record(
            checkin=checkin, goal=goal, by=mentee, decision=decision, note="", **extra
        )
    for offset in (20, 50):
        services.checkin_start(partnership=slow, by=slow.mentee.user, held_on=start + DAY * offset)
    Goal.objects.filter(pk=learning.pk).update(status="achieved")
    services.partnership_complete(partnership=regular, by=mentor)
    services.partnership_end(partnership=silent, by=silent.mentee.user, reason="no_time")
    return regular, slow, silent


def rows_of(outcomes, key):
    return next(f.rows for f in outcomes.figures if f.key == key)


def test_each_figure_matches_the_hand_built_programme(programme, hand_built):
    outcomes = programme_outcomes(programme)
    assert rows_of(outcomes, "first-checkin") == [
        ["within a week", 1],
        ["8 to 14 days", 0],
        ["15 to 28 days", 1],
        ["more than 28 days", 0],
        ["no check-in yet", 1],
    ]
    assert outcomes.numbers["median_days_to_first_checkin"] == 12.5
    assert rows_of(outcomes, "regularity") == [
        ["on time", 2],
        ["late, within two cadences", 0],
        ["more than two cadences apart", 1],
    ]
    assert outcomes.numbers["on_time_percent"] == 67
    closures = dict(rows_of(outcomes, "closures"))
    assert closures["completed"] == 1
    assert closures["ended early: no time to continue"] == 1
    assert sum(closures.values()) == 2
    goals = rows_of(outcomes, "goals")
    assert [sum(row[i] for row in goals) for i in (1, 2, 3)] == [1, 1, 0]  # achieved, revised
    assert rows_of(outcomes, "mentor-goals") == [["achieved", 1], ["active", 1], ["dropped", 0]]
    assert outcomes.numbers["mentor_goals_achieved_percent"] == 50
    assert outcomes.numbers["goals_achieved"] == 1


def test_the_page_draws_each_figure_with_its_table_and_csv(
    as_coordinator, programme, hand_built, html_checker
):
    url = reverse("admin:partnerships_programme_outcomes", args=[programme.pk])
    page = as_coordinator.get(url)
    assert page.status_code == 200
    assert page.text.count('role="img"') >= 5
    assert 'aria-labelledby="regularity-title regularity-desc"' in page.text
    assert "Check-in regularity against the cadence" in page.text
    assert html_checker.errors(page) == []
    csv = as_coordinator.get(
        reverse("admin:partnerships_programme_outcome_figure", args=[programme.pk]),
        {"figure": "regularity"},
    )
    body = b"".join(csv.streaming_content).decode().splitlines()
    assert body == [
        '"gap between check-ins","gaps"',
        '"on time","2"',
        '"late, within two cadences","0"',
        '"more than two cadences apart","1"',
    ]
    missing = as_coordinator.get(
        reverse("admin:partnerships_programme_outcome_figure", args=[programme.pk]),
        {"figure": "nope"},
    )
    assert missing.status_code == 404


def test_its_queries_do_not_grow_with_the_programme(as_coordinator, programme, hand_built):
    url = reverse("admin:partnerships_programme_outcomes", args=[programme.pk])
    as_coordinator.get(url)
    with CaptureQueriesContext(connection) as small:
        as_coordinator.get(url)
    populate(programme, 200)
    with CaptureQueriesContext(connection) as large:
        as_coordinator.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_another_coordinator_gets_not_found_and_compares_only_their_own(
    client, programme, other_programme, other_coordinator, hand_built
):
    client.force_login(other_coordinator)
    url = reverse("admin:partnerships_programme_outcomes", args=[programme.pk])
    assert client.get(url).status_code == 404
    compare = client.get(reverse("admin:partnerships_programme_compare"))
    assert compare.status_code == 200
    assert other_programme.name in compare.text
    assert programme.name not in compare.text


def test_the_comparison_puts_cohorts_side_by_side(as_coordinator, programme, hand_built):
    page = as_coordinator.get(reverse("admin:partnerships_programme_compare"))
    assert page.status_code == 200
    assert "Median days to first check-in" in page.text
    assert "<td>12.5</td>" in page.text
    csv = as_coordinator.get(reverse("admin:partnerships_programme_compare"), {"format": "csv"})
    assert programme.name in b"".join(csv.streaming_content).decode()
