"""Every partner page is valid HTML as the W3C Nu HTML checker reads it (tests/html_validity.py):
the workspace with something of everything (a proposed meeting, an agenda, goals, a
check-in with its forms beside the new check-in's form), its fragments, the check-in's
and the goal's pages, the check-in form opened from a meeting, and the histories."""

import pytest
from django.urls import reverse

from goals.progress import progress_rate
from tests.workspace_world import build_world


@pytest.fixture
def world(partnership, mentor, mentee):
    w = build_world(partnership, mentor, mentee)
    progress_rate(checkin=w.checkin, goal=w.goal, by=mentee, progress=3)
    progress_rate(checkin=w.checkin, goal=w.goal, by=mentor, progress=1)
    return w


def test_every_partner_page_is_valid_html(client, world, mentor, mentee, html_checker):
    p = world.partnership.code
    pages = [
        reverse("partnerships:workspace", args=[p]),
        reverse("partnerships:checkin_new", args=[p]),
        reverse("partnerships:checkin_new", args=[p]) + f"?meeting={world.meeting.code}",
        reverse("partnerships:checkin", args=[world.checkin.code]),
        reverse("partnerships:checkin_history", args=[p]),
        reverse("partnerships:agreement_history", args=[p]),
        reverse("goals:detail", args=[world.goal.code]),
        reverse("goals:detail", args=[world.learning_goal.code]),
    ]
    for user in (mentee, mentor):
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert html_checker.errors(response) == [], (user, url)
        fragment = client.get(
            reverse("partnerships:checkin", args=[world.checkin.code]),
            headers={"HX-Request": "true"},
        ).content.decode()
        assert html_checker.fragment_errors(fragment) == []
