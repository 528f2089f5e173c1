"""Archiving: an ended programme leaves the programme list (a filter shows it again), stays
readable in the admin, and its partners still read their workspace, read-only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import CoordinatorAction, Programme
from partnerships.services.programme_life import programmes_close_due
from tests.coordinators.conftest import page

DAY = datetime.timedelta(days=1)
CHANGELIST = "/admin/partnerships/programme/"


@pytest.fixture
def ended(programme, partnership):
    today = timezone.localdate()
    Programme.objects.filter(pk=programme.pk).update(
        starts_on=today - DAY * 200, ends_on=today - DAY * 20
    )
    programmes_close_due()
    programme.refresh_from_db()
    return programme


def archive(client, programme, action="archive", query=""):
    return client.post(
        CHANGELIST + query,
        {"action": action, "_selected_action": [programme.pk], "index": 0},
        follow=True,
    )


def listed(client, query="") -> list[str]:
    response = client.get(CHANGELIST + query)
    return [row.name for row in response.context["cl"].result_list]


def test_an_ended_programme_is_archived_and_leaves_the_list(as_coordinator, coordinator, ended):
    assert listed(as_coordinator) == ["Spring Cohort"]
    response = archive(as_coordinator, ended)
    assert "Archived: Spring Cohort." in response.content.decode()
    ended.refresh_from_db()
    assert ended.is_archived
    assert listed(as_coordinator) == []
    assert listed(as_coordinator, "?archived=yes") == ["Spring Cohort"]
    assert listed(as_coordinator, "?archived=all") == ["Spring Cohort"]
    assert listed(as_coordinator, "?archived=junk") == []  # the default, not an error
    assert CoordinatorAction.objects.filter(programme=ended, verb="archived").count() == 1
    # Still readable: its settings, dashboard and outcomes.
    for url in (
        reverse("admin:partnerships_programme_change", args=[ended.pk]),
        page("dashboard", ended),
        page("outcomes", ended),
    ):
        assert as_coordinator.get(url).status_code == 200, url
    change = as_coordinator.get(reverse("admin:partnerships_programme_change", args=[ended.pk]))
    assert "Archived on" in change.content.decode()
    # And back again, from the list of archived programmes.
    response = archive(as_coordinator, ended, "unarchive", "?archived=yes")
    assert "Brought back: Spring Cohort." in response.content.decode()
    assert listed(as_coordinator) == ["Spring Cohort"]


def test_a_running_programme_is_not_archived(as_coordinator, programme):
    response = archive(as_coordinator, programme)
    assert "Not archived, because it has not ended yet: Spring Cohort." in (
        response.content.decode()
    )
    programme.refresh_from_db()
    assert not programme.is_archived
    assert not CoordinatorAction.objects.filter(verb="archived").exists()


def test_another_coordinator_cannot_archive_it(as_other_coordinator, ended):
    archive(as_other_coordinator, ended)
    ended.refresh_from_db()
    assert not ended.is_archived


def test_the_partners_still_read_their_archived_workspace_read_only(
    client, as_coordinator, ended, partnership, mentee
):
    archive(as_coordinator, ended)
    client.force_login(mentee)
    workspace = reverse("partnerships:workspace", args=[partnership.code])
    response = client.get(workspace)
    assert response.status_code == 200
    assert "This workspace is now read-only" in response.content.decode()
    goal = client.post(
        reverse("goals:create", args=[partnership.code, "mentee"]), {"title": "One more goal"}
    )
    assert goal.status_code in (403, 404, 422)
    assert not partnership.goals.exists()


def test_an_archived_programme_leaves_the_index_of_dashboards(
    as_coordinator, coordinator, ended, other_programme
):
    other_programme.coordinators.add(coordinator)
    dashboard = page("dashboard", ended)
    assert dashboard in as_coordinator.get(reverse("admin:index")).content.decode()
    archive(as_coordinator, ended)
    index = as_coordinator.get(reverse("admin:index")).content.decode()
    assert dashboard not in index
    assert page("dashboard", other_programme) in index
