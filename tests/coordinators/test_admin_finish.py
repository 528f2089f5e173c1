"""The coordinator's admin, finished: the index links each of their programmes to its
dashboard, "View site" takes a coordinator who takes part in no programme to their
programmes (a participant to the site), every admin page carries the site's icon, the
action log's summary comes right after who acted, and "invited 1 person"."""

import re

import pytest
from django.urls import reverse

from coordinators.group import make_coordinator
from partnerships.models import CoordinatorAction
from partnerships.services.invitations import Invitee, invitations_import
from tests.builders import join, make_programme, make_user


def view_site(page: str) -> str:
    return re.search(r'<a href="([^"]*)">View site</a>', page).group(1)


def test_the_index_links_each_programme_to_its_dashboard(as_coordinator, programme, coordinator):
    second = make_programme("Autumn Cohort")
    make_coordinator(coordinator, second)
    page = as_coordinator.get(reverse("admin:index")).text
    for p in (programme, second):
        dashboard = reverse("admin:partnerships_programme_dashboard", args=[p.pk])
        assert f'<a href="{dashboard}">{p.name}</a>' in page
    assert 'id="your-programmes"' in page
    # With two programmes "View site" opens the list of them.
    assert view_site(page) == reverse("admin:index") + "#your-programmes"


def test_view_site_opens_the_one_programmes_dashboard_for_a_coordinator_who_takes_no_part(
    as_coordinator, programme
):
    page = as_coordinator.get(reverse("admin:partnerships_partnership_changelist")).text
    assert view_site(page) == reverse("admin:partnerships_programme_dashboard", args=[programme.pk])


def test_view_site_is_the_site_for_a_coordinator_who_also_takes_part(
    client, programme, coordinator, other_programme
):
    join(other_programme, coordinator, "mentor", capacity=1)
    client.force_login(coordinator)
    assert view_site(client.get(reverse("admin:index")).text) == "/"


def test_a_superuser_who_coordinates_nothing_views_the_site(client, db):
    admin = make_user("Ada Admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:index")).text
    assert view_site(page) == "/"
    assert 'id="your-programmes"' not in page


@pytest.mark.parametrize(
    "name", ["admin:index", "admin:partnerships_partnership_changelist", "admin:login"]
)
def test_admin_pages_carry_the_sites_icon(client, coordinator, name):
    if name != "admin:login":
        client.force_login(coordinator)
    page = client.get(reverse(name)).text
    assert re.search(r'<link rel="icon" href="[^"]*favicon[^"]*\.svg" type="image/svg\+xml">', page)


def test_the_action_log_says_invited_1_person_and_puts_the_summary_after_who(
    as_coordinator, programme, coordinator
):
    invitations_import(
        programme=programme,
        invitees=[Invitee(email="ana@example.org", name="Ana", role="mentee")],
        by=coordinator,
    )
    assert CoordinatorAction.objects.get(verb="invited_csv").summary == (
        "invited 1 person from a CSV file"
    )
    page = as_coordinator.get(reverse("admin:partnerships_coordinatoraction_changelist")).text
    headers = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', page)
    assert headers[:3] == ["when", "actor", "summary"]
    assert "column-programme" not in page  # one programme: no column to say which
    assert "invited 1 person from a CSV file" in page
    assert "css/coordinators-admin" in page
    # The filter says what was done in words, and filters by it.
    assert "invited from a CSV file</a>" in page and "invited_csv</a>" not in page
    url = reverse("admin:partnerships_coordinatoraction_changelist")
    assert "invited 1 person" in as_coordinator.get(url, {"verb": "invited_csv"}).text
    assert "invited 1 person" not in as_coordinator.get(url, {"verb": "exported"}).text
