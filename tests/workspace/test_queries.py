"""The dashboard and the workspace cost the same number of queries with 1 or 30 of everything."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals import services as goal_services
from partnerships import services


def fill(partnership, mentor, mentee, n: int) -> None:
    """n goals (with a revision, a step and a proposal) and n check-ins (with a review,
    reflections, feedback and a next step), plus n proposed goals waiting for the mentee."""
    agreement = services.agreement_propose(
        partnership=partnership,
        by=mentor,
        checkin_cadence_days=14,
        channels="Video",
        response_time="A day",
    )
    services.agreement_sign(agreement=agreement, by=mentor)
    today = timezone.localdate(timezone=mentee.tzinfo)
    for i in range(n):
        goal = goal_services.goal_create(partnership=partnership, by=mentee, title=f"Goal {i}")
        goal_services.goal_revise(goal=goal, by=mentee, reason="Sharper", title=f"Goal {i}!")
        goal_services.goal_change_propose(goal=goal, by=mentor, reason="Idea", title=f"Goal {i}?")
        goal_services.goal_create(
            partnership=partnership, by=mentor, title=f"Idea {i}", owner_role="mentee"
        )
        goal_services.next_step_create(
            partnership=partnership, by=mentee, description=f"Step {i}", owner=mentee, goal=goal
        )
        checkin = services.checkin_start(partnership=partnership, by=mentee, held_on=today)
        goal_services.goal_review_record(checkin=checkin, goal=goal, by=mentee, decision="keep")
        services.reflection_write(checkin=checkin, by=mentee, text="Mine", visibility="private")
        services.reflection_write(checkin=checkin, by=mentor, text="Ours", visibility="shared")
        services.feedback_give(checkin=checkin, by=mentor, rating=4)
        goal_services.next_step_create(
            partnership=partnership, by=mentor, description=f"Do {i}", owner=mentee, checkin=checkin
        )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["dashboard", "workspace"])
def test_a_page_costs_the_same_with_one_or_thirty_of_everything(
    client, programme, mentor, mentee, page, django_db_blocker
):
    from tests.builders import make_partnership, make_user

    counts = []
    for n in (1, 30):
        person = make_user(f"Mentee {n}")
        p = make_partnership(programme, mentor, person)
        fill(p, mentor, person, n)
        client.force_login(person)
        url = (
            reverse("home")
            if page == "dashboard"
            else reverse("partnerships:workspace", args=[p.code])
        )
        counts.append(count_queries(client, url))
        if page == "workspace":
            assert f"Goal {n - 1}!" in client.get(url).content.decode()
    assert counts[0] == counts[1]


def test_each_goal_and_check_in_lists_its_own_next_steps(client, partnership, mentor, mentee):
    """The steps come from one query for the partnership, shared out to their goal or
    check-in (workspace/page.py): each shows under its own, and nowhere else."""
    fill(partnership, mentor, mentee, 2)
    client.force_login(mentee)
    url = reverse("partnerships:workspace", args=[partnership.code])
    html = client.get(url).content.decode()
    for i in range(2):
        # Under goal i, and among the mentee's open steps at the top of the page.
        assert html.count(f'<span class="step-text">Step {i}</span>') == 2
        # Under check-in i (the open steps list it as step-text, not so).
        assert html.count(f'<li>Do {i} <span class="muted small">· you</span></li>') == 1
