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
    # Under the latest check-in, shown in full (the open steps list it as step-text, not so);
    # the earlier check-in's step is on its own page, opened from the list.
    assert html.count('<li>Do 1 <span class="muted small">· you</span></li>') == 1
    assert html.count('<li>Do 0 <span class="muted small">· you</span></li>') == 0
    earlier = partnership.checkins.order_by("created_at").first()
    page = client.get(reverse("partnerships:checkin", args=[earlier.code])).content.decode()
    assert page.count('<li>Do 0 <span class="muted small">· you</span></li>') == 1


def test_the_workspace_costs_the_same_with_1_or_100_check_ins_and_a_meeting(
    client, programme, mentor
):
    """Each check-in with an agenda item resolved at it and both views of a goal's
    progress; a scheduled meeting with its agenda; the goal's page with 1 or 100 views."""
    import datetime

    from goals.progress import progress_rate
    from partnerships.models import Partnership
    from partnerships.services.agenda import agenda_item_add, agenda_resolve
    from partnerships.services.meetings import meeting_accept, meeting_propose
    from tests.builders import make_partnership, make_user

    counts, goal_counts = [], []
    for n in (1, 100):
        person = make_user(f"Mentee {n}")
        p = make_partnership(programme, mentor, person)
        Partnership.objects.filter(pk=p.pk).update(
            started_on=timezone.localdate() - datetime.timedelta(days=120)
        )
        p.refresh_from_db()
        goal = goal_services.goal_create(partnership=p, by=person, title="Speak up")
        # More goals, each rated by both at the latest check-in, and a longer open agenda,
        # in the larger partnership: each shows its people's names.
        more = [
            goal_services.goal_create(partnership=p, by=person, title=f"Goal {j}")
            for j in range(0 if n == 1 else 5)
        ]
        today = timezone.localdate(timezone=person.tzinfo)
        for i in range(n):
            checkin = services.checkin_start(
                partnership=p, by=person, held_on=today - datetime.timedelta(days=n - i)
            )
            item = agenda_item_add(partnership=p, by=person, text=f"Item {i}")
            agenda_resolve(checkin=checkin, by=person, outcomes={str(item.code): "discussed"})
            progress_rate(checkin=checkin, goal=goal, by=person, progress=i % 5)
            progress_rate(checkin=checkin, goal=goal, by=mentor, progress=(i + 2) % 5)
        for other in more:
            progress_rate(checkin=checkin, goal=other, by=person, progress=1)
            progress_rate(checkin=checkin, goal=other, by=mentor, progress=2)
        meeting = meeting_propose(
            partnership=p,
            by=person,
            day=today + datetime.timedelta(days=7),
            start_time=datetime.time(15, 0),
        )
        meeting_accept(meeting=meeting, by=mentor)
        agenda_item_add(partnership=p, by=mentor, text="A suggestion")
        for j in range(0 if n == 1 else 6):
            agenda_item_add(partnership=p, by=(person, mentor)[j % 2], text=f"Next {j}")
        client.force_login(person)
        counts.append(count_queries(client, reverse("partnerships:workspace", args=[p.code])))
        goal_counts.append(count_queries(client, reverse("goals:detail", args=[goal.code])))
    assert counts[0] == counts[1], counts
    assert goal_counts[0] == goal_counts[1], goal_counts
