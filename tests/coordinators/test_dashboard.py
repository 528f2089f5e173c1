"""The programme dashboard: health at a glance, metadata only, scoped, constant queries."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnerships import services
from partnerships.models import Partnership
from tests.builders import make_partnership, make_user
from tests.coordinators.conftest import page, populate


def overdue(partnership, days_overdue: int):
    today = timezone.localdate()
    Partnership.objects.filter(pk=partnership.pk).update(
        started_on=today - datetime.timedelta(days=90),
        last_checkin_on=today - datetime.timedelta(days=14 + days_overdue),
        next_checkin_due_on=today - datetime.timedelta(days=days_overdue),
    )


def test_the_dashboard_shows_who_is_at_risk_and_why(as_coordinator, programme, partnership):
    overdue(partnership, 22)  # past one cadence (14) and the grace period (7)
    fine = make_partnership(programme, make_user("Fay Fine"), make_user("Finn Fine"))
    response = as_coordinator.get(page("dashboard", programme))
    assert response.status_code == 200
    health = response.context["health_page"]
    assert [h.partnership for h in health] == [partnership, fine]
    assert health[0].reasons == ["Check-in overdue by 22 days (cadence 14)"]
    html = response.content.decode()
    assert "Check-in overdue by 22 days (cadence 14)" in html
    assert "22 days overdue" in html
    assert "On track" in html
    assert '<svg class="coord-chart"' in html


def test_statuses_are_counted(as_coordinator, programme, partnership, coordinator):
    services.partnership_pause(partnership=partnership, by=coordinator)
    make_partnership(programme, make_user("P Mentor"), make_user("P Mentee"), active=False)
    overview = as_coordinator.get(page("dashboard", programme)).context["overview"]
    assert dict((value, count) for value, _label, count in overview.by_status) == {
        "proposed": 1,
        "active": 0,
        "paused": 1,
        "completed": 0,
        "ended_early": 0,
    }


def test_the_chart_counts_checkins_per_week(as_coordinator, programme, partnership, mentee):
    # Noon UTC, so "today" is the same day (and week) in UTC and in New York.
    noon = datetime.datetime.combine(timezone.localdate(), datetime.time(12), tzinfo=datetime.UTC)
    with time_machine.travel(noon):
        today = timezone.localdate()
        Partnership.objects.filter(pk=partnership.pk).update(
            started_on=today - datetime.timedelta(days=30)
        )
        partnership.refresh_from_db()
        for days_ago in (0, 0, 14):
            services.checkin_start(
                partnership=partnership,
                by=mentee,
                held_on=today - datetime.timedelta(days=days_ago),
            )
        chart = as_coordinator.get(page("dashboard", programme)).context["overview"].chart
    assert chart.total == 3
    assert chart.bars[-1].count == 2
    assert chart.peak == 2
    assert len(chart.bars) == len({bar.week for bar in chart.bars})


def test_the_dashboard_never_shows_private_content(as_coordinator, programme):
    populate(programme, 3)
    html = as_coordinator.get(page("dashboard", programme)).content.decode()
    assert "SECRET" not in html


def test_a_coordinator_of_another_programme_gets_a_404(as_other_coordinator, programme):
    assert as_other_coordinator.get(page("dashboard", programme)).status_code == 404


def test_a_participant_who_is_not_staff_is_sent_to_the_admin_login(client, mentor, programme):
    client.force_login(mentor)
    response = client.get(page("dashboard", programme))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_each_programme_links_to_its_dashboard(as_coordinator, programme):
    changelist = as_coordinator.get("/admin/partnerships/programme/").content.decode()
    assert f'href="{page("dashboard", programme)}"' in changelist
    change = as_coordinator.get(f"/admin/partnerships/programme/{programme.pk}/change/")
    assert f'href="{page("dashboard", programme)}"' in change.content.decode()


def test_the_dashboard_query_count_is_the_same_for_10_and_500_partnerships(
    client, coordinator, programme, other_programme
):
    from coordinators.group import make_coordinator

    make_coordinator(coordinator, other_programme)
    populate(programme, 10, prefix="small")
    populate(other_programme, 500, prefix="large")
    client.force_login(coordinator)

    def queries(of):
        counts = []
        for _ in range(2):  # the first view stores the health facts; the second reads them
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page("dashboard", of))
            assert response.status_code == 200
            counts.append(len(captured))
        return counts, response.context["health_page"].paginator.count

    small, small_rows = queries(programme)
    large, large_rows = queries(other_programme)
    assert (small_rows, large_rows) == (10, 500)
    assert small == large, (small, large)
    assert small[1] <= 17, small  # 16, and one for the sign-ups waiting (issue 15)


def test_every_link_on_the_dashboard_works(as_coordinator, programme, partnership):
    import html as html_lib
    import re

    content = as_coordinator.get(page("dashboard", programme)).content.decode()
    links = {html_lib.unescape(h) for h in re.findall(r'href="(/admin/[^"#]*)', content)}
    assert len(links) > 10
    for link in sorted(links):
        if link.endswith("/logout/"):
            continue
        response = as_coordinator.get(link)
        assert response.status_code == 200, link
        assert "?e=1" not in response.get("Location", ""), link


def test_a_big_programme_shows_its_health_table_a_page_at_a_time(as_coordinator, programme):
    populate(programme, 60)
    first = as_coordinator.get(page("dashboard", programme))
    second = as_coordinator.get(page("dashboard", programme), {"page": 2})
    assert len(first.context["health_page"]) == 50
    assert len(second.context["health_page"]) == 10
    assert "1\u201350 of 60" in first.content.decode()  # an en dash

    # Riskiest first across pages: nothing on page 2 is riskier than the end of page 1.
    def risk(h):
        return len(h.reasons), h.overdue_days, h.days_since_checkin or 0

    last_on_first = risk(first.context["health_page"][-1])
    assert all(risk(h) <= last_on_first for h in second.context["health_page"])
