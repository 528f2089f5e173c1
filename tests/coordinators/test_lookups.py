"""Admin lists accept only the lookups they declare: their filters, date hierarchy, search,
the sorting of the columns they show, and Django's paging and popup parameters. Anything
else lands on the list's own ``?e=1`` page, for coordinators and superusers alike.

Every list of every registered admin is walked: each link the page offers must work, and a
lookup on each of its model's fields that no filter declares must be refused."""

import html
import re

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory
from django.urls import reverse

from coordinators.admin.input import declared_lookups
from partnerships.models import CheckIn
from tests.builders import make_user
from tests.security.test_matrix import Victim, log_in

LOOKUPS = ("exact", "iexact", "gte", "lt", "startswith", "contains", "regex", "in", "isnull")


@pytest.fixture
def victim_programme(db, settings):
    settings.REQUIRE_2FA_FOR_STAFF = False  # straight in: two-factor has tests of its own
    return Victim()


@pytest.fixture(params=["coordinator", "superuser"])
def staff_member(request, client, victim_programme):
    user = (
        victim_programme.coordinator
        if request.param == "coordinator"
        else make_user("Sue Super", is_staff=True, is_superuser=True)
    )
    log_in(client, user)
    return user


def changelists(client):
    """(model admin, url) of every list this person may open."""
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        if client.get(url).status_code == 200:
            yield model_admin, url


def links_of(page: str, url: str) -> set[str]:
    """The page's own links back to its list with a query string: filters, sorting, dates,
    pages, facets."""
    hrefs = {html.unescape(h) for h in re.findall(r'href="([^"#]*)"', page)}
    return {h for h in hrefs if h.startswith("?") or h.startswith(f"{url}?")}


def refused(response, url) -> bool:
    return (response.status_code, response.get("Location")) == (302, f"{url}?e=1")


def test_every_link_a_list_offers_is_accepted(client, victim_programme, staff_member):
    walked = 0
    for _model_admin, url in changelists(client):
        page = client.get(url, {"_facets": "1"}).content.decode()
        for link in links_of(page, url):
            target = link if link.startswith("/") else f"{url}{link}"
            response = client.get(target)
            assert response.status_code == 200, target
            walked += 1
    assert walked > 50


def test_a_lookup_no_filter_declares_is_refused_on_every_list(victim_programme, staff_member):
    asks = []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(_request(staff_member)):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        declared = declared_lookups(model_admin, None)
        for field in model._meta.concrete_fields:
            for lookup in LOOKUPS:
                if (name := f"{field.name}__{lookup}") not in declared:
                    asks.append((model_admin.changelist_view, f"{url}?{name}=1"))
    wrong = [
        url
        for url, (status, location, _) in answers(staff_member, asks).items()
        if (status, location) != (302, url.split("?")[0] + "?e=1")
    ]
    assert wrong == []
    assert len(asks) > 700


def answers(staff_member, asks) -> dict:
    """Each list asked each query, straight through its admin's view (the view the site
    serves, without the middleware around it: at 30 requests a second through the test
    client, thousands would take minutes): status, redirect and bytes by URL."""
    seen = {}
    for view, url in asks:
        request = RequestFactory().get(url)
        request.user = staff_member
        request._messages = CookieStorage(request)
        response = view(request)
        if hasattr(response, "render"):
            response.render()
        seen[url] = (response.status_code, response.get("Location"), response.content)
    return seen


def _request(staff_member):
    request = RequestFactory().get("/")
    request.user = staff_member
    return request


@pytest.mark.parametrize(
    "query",
    [
        "id__exact=1&agenda__gte=M",  # the reproduced leak, a count of 0 or 1 per guess
        "agenda=x",
        "partnership__checkins__agenda__startswith=A",
        "held_on__gte=2026-01-01",  # a date hierarchy declares its year, month and day only
        "partnership__programme__id__exact=1&partnership__programme__name=x",
        "o=99",  # a column the list does not have
        "o=abc",
        "o=0.1.junk",
        "held_on__year=2026&held_on__week=3",
    ],
)
def test_a_made_up_lookup_lands_on_the_lists_error_page_with_a_message(
    client, victim_programme, staff_member, query
):
    url = reverse("admin:partnerships_checkin_changelist")
    response = client.get(f"{url}?{query}")
    assert refused(response, url), query
    page = client.get(response["Location"]).content.decode()
    assert "The list cannot be filtered or sorted that way; it is shown here without it." in page


def test_only_the_columns_a_list_sorts_by_are_sorted_by(client, victim_programme, staff_member):
    url = reverse("admin:partnerships_checkin_changelist")
    model_admin = admin.site.get_model_admin(CheckIn)
    columns = client.get(url).context["cl"].list_display
    assert columns[:2] == ["partnership", "held_on"]  # no actions: no checkbox column
    assert refused(client.get(url, {"o": str(len(columns))}), url)
    assert client.get(url, {"o": f"{len(columns) - 1}.-1"}).status_code == 200
    model_admin.sortable_by = ("held_on",)
    try:
        assert refused(client.get(url, {"o": "0"}), url)  # "partnership": shown, not sortable
        assert client.get(url, {"o": "1"}).status_code == 200
    finally:
        del model_admin.sortable_by


def test_more_beside_the_error_flag_lands_on_the_bare_error_page(
    client, victim_programme, staff_member
):
    url = reverse("admin:partnerships_checkin_changelist")
    response = client.get(url, {"e": "1", "agenda__gte": "M"})
    assert refused(response, url)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Database error" not in page.content.decode()


def test_the_list_accepts_its_declared_filters_search_sort_and_pages(
    client, victim_programme, staff_member
):
    url = reverse("admin:partnerships_checkin_changelist")
    programme = victim_programme.programme.pk
    for query in (
        {"partnership__programme__id__exact": programme},
        {"q": "Val"},
        {"o": "-2.1"},
        {"p": "1"},
        {"held_on__year": "2026"},
        {"all": ""},
        {"_facets": "1"},
    ):
        response = client.get(url, query)
        assert response.status_code == 200, query
        assert isinstance(response.context["cl"], ChangeList)


def test_lookup_allowed_says_no_to_what_no_filter_reads(db):
    checkins = admin.site.get_model_admin(CheckIn)
    assert checkins.lookup_allowed("partnership__programme__id__exact", "1", None)
    assert checkins.lookup_allowed("held_on__year", "2026", None)
    assert not checkins.lookup_allowed("held_on__gte", "2026-01-01", None)
    assert not checkins.lookup_allowed("agenda__gte", "M", None)
    assert not checkins.lookup_allowed("id__exact", "1", None)


def test_every_list_link_on_the_programmes_pages_is_accepted(
    client, victim_programme, staff_member
):
    """The dashboard, matching and invitations pages link to filtered lists."""
    walked = set()
    for name in ("dashboard", "matching", "invitations"):
        url = reverse(f"admin:partnerships_programme_{name}", args=[victim_programme.programme.pk])
        page = client.get(url).content.decode()
        for link in {html.unescape(h) for h in re.findall(r'href="(/admin/[^"#]*\?[^"#]*)"', page)}:
            response = client.get(link)
            assert response.status_code == 200, link
            walked.add(link.split("?")[0])
    assert {
        "/admin/partnerships/partnership/",
        "/admin/partnerships/coordinatoraction/",
        "/admin/partnerships/matchrequest/",
        "/admin/partnerships/invitation/",
    } <= walked
