"""Each look of a coordinator at a partnership in the admin is recorded, for the partners to
see: its page, its row in a list, its row on the programme dashboard, an export holding it.
One statement a request, whatever the number of partnerships shown."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals import services as goal_services
from partnerships import services
from partnerships.models import CoordinatorAccess
from tests.builders import make_partnership, make_user, today_for
from tests.coordinators.conftest import page, populate

MONDAY = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


def looks(**filters) -> list[tuple]:
    return sorted(
        CoordinatorAccess.objects.filter(**filters).values_list(
            "partnership_id", "coordinator_id", "page", "times"
        )
    )


def inserts(captured) -> list[str]:
    return [q["sql"] for q in captured if q["sql"].startswith('INSERT INTO "partnerships_coord')]


def test_the_partnership_page_is_recorded_with_when_and_how_often(
    as_coordinator, coordinator, partnership
):
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    with time_machine.travel(MONDAY, tick=False):
        assert as_coordinator.get(url).status_code == 200
    with time_machine.travel(MONDAY + datetime.timedelta(days=2), tick=False):
        assert as_coordinator.get(url).status_code == 200
    look = CoordinatorAccess.objects.get()
    assert (look.partnership, look.coordinator, look.page, look.times) == (
        partnership,
        coordinator,
        "change",
        2,
    )
    assert (look.first_at, look.last_at) == (MONDAY, MONDAY + datetime.timedelta(days=2))


def test_the_partnership_list_records_the_rows_it_shows_in_one_statement(
    as_coordinator, coordinator, programme, partnership, other_partnership
):
    second = make_partnership(programme, make_user("Sid Mentor"), make_user("Sal Mentee"))
    with CaptureQueriesContext(connection) as captured:
        response = as_coordinator.get(reverse("admin:partnerships_partnership_changelist"))
    assert response.status_code == 200
    assert len(inserts(captured)) == 1
    # Only the coordinator's own rows were shown; the other programme's is not recorded.
    assert looks() == [
        (partnership.pk, coordinator.pk, "list", 1),
        (second.pk, coordinator.pk, "list", 1),
    ]


def test_a_list_records_only_the_page_shown(as_coordinator, coordinator, programme):
    partnerships = populate(programme, 55)
    as_coordinator.get(reverse("admin:partnerships_partnership_changelist"))
    shown = {pk for pk, *_ in looks()}
    # Newest first, 50 a page.
    assert shown == {p.pk for p in partnerships[-50:]}


def test_a_filtered_or_refused_list_records_what_it_showed(
    as_coordinator, coordinator, programme, partnership
):
    url = reverse("admin:partnerships_partnership_changelist")
    as_coordinator.get(url, {"status__exact": "paused"})
    assert looks() == []  # nothing was shown
    as_coordinator.get(url, {"agenda__gte": "M"})  # refused: ?e=1, nothing shown
    assert looks() == []


def test_the_dashboard_records_the_rows_on_its_page(as_coordinator, coordinator, programme):
    partnerships = populate(programme, 60)
    response = as_coordinator.get(page("dashboard", programme))
    shown = {h.partnership.pk for h in response.context["health_page"]}
    assert len(shown) == 50
    assert looks() == sorted((pk, coordinator.pk, "dashboard", 1) for pk in shown)
    assert set(p.pk for p in partnerships) > shown


@pytest.mark.parametrize("export", ["export_partnerships", "export_goals"])
def test_an_export_records_each_partnership_in_the_file(
    as_coordinator, coordinator, programme, partnership, mentee, other_partnership, export
):
    without_goals = make_partnership(programme, make_user("Ned Mentor"), make_user("Nia Mentee"))
    goal_services.goal_create(partnership=partnership, by=mentee, title="Speak up")
    response = as_coordinator.get(page(export, programme))
    b"".join(response.streaming_content)
    expected = {partnership.pk} | ({without_goals.pk} if export == "export_partnerships" else set())
    assert looks() == sorted((pk, coordinator.pk, "export", 1) for pk in expected)


def test_a_checkin_page_is_a_look_at_its_partnership(as_coordinator, coordinator, partnership):
    mentee = partnership.mentee.user
    checkin = services.checkin_start(partnership=partnership, by=mentee, held_on=today_for(mentee))
    as_coordinator.get(reverse("admin:partnerships_checkin_change", args=[checkin.pk]))
    as_coordinator.get(reverse("admin:partnerships_checkin_changelist"))
    assert looks() == [
        (partnership.pk, coordinator.pk, "change", 1),
        (partnership.pk, coordinator.pk, "list", 1),
    ]


def test_another_programmes_coordinator_records_nothing(client, other_coordinator, partnership):
    client.force_login(other_coordinator)
    response = client.get(reverse("admin:partnerships_partnership_change", args=[partnership.pk]))
    assert response.status_code == 302  # "doesn't exist"
    assert looks() == []


def test_the_partnership_list_reads_as_many_queries_for_one_row_as_for_many(
    as_coordinator, programme, partnership
):
    url = reverse("admin:partnerships_partnership_changelist")
    as_coordinator.get(url)  # the session's first page does its own bookkeeping

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert as_coordinator.get(url).status_code == 200
        return len(captured)

    one = count()
    populate(programme, 30)
    assert count() == one
