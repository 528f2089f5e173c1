"""Every URL, walked: anonymous visitors are sent to log in, unless a URL is on the short,
explicit list of public pages. A new view that forgets its decorator fails here."""

import uuid

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Public by design, each for a reason.
PUBLIC = {
    "login",  # the way in
    "logout",  # harmless when logged out
    "admin:login",
    "admin:logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",  # load balancers
    "invitations:accept",  # the link in an invitation email
    "signup:page",  # a programme's sign-up, at the link its coordinators share
    "signup:sent",  # "check your inbox", the same for every address
    "signup:confirm",  # the link in the email confirming a sign-up
    "signup:welcome",  # the link in the approval email: a new person sets their password
    "reminders:unsubscribe",  # RFC 8058 one-click: must work without a session
    "calendar_feed",  # calendar apps subscribe without a session: its long random key is the way in
}
# The admin guards itself, sending people to its own login page.
ADMIN_LOGIN = "/admin/login/"
SAMPLE = {"uuid": uuid.UUID(int=1), "int": 1, "slug": "sample", "str": "sample", "path": "x/y"}


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace + (entry.name or ""), entry


def sample_kwargs(pattern: URLPattern) -> dict:
    converters = getattr(pattern.pattern, "converters", {})
    names = {
        "UUIDConverter": "uuid",
        "IntConverter": "int",
        "SlugConverter": "slug",
        "StringConverter": "str",
        "PathConverter": "path",
    }
    return {key: SAMPLE[names.get(type(c).__name__, "str")] for key, c in converters.items()}


def every_url():
    for route, name, pattern in walk(get_resolver().url_patterns):
        if route.startswith(settings.STATIC_URL):
            continue
        try:
            url = reverse(name, kwargs=sample_kwargs(pattern)) if name else None
        except Exception:
            url = None
        if url is None:
            continue
        yield pytest.param(name, url, id=name)


URLS = list(every_url())


@pytest.mark.parametrize(("name", "url"), URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_log_in(client, db, name, url, method):
    if name in PUBLIC:
        pytest.skip("public by design")
    response = getattr(client, method)(url)
    if name.startswith("admin:"):
        assert response.status_code == 302 and response.url.startswith(ADMIN_LOGIN), url
    else:
        login = reverse(settings.LOGIN_URL)
        assert response.status_code == 302, f"{method.upper()} {url} → {response.status_code}"
        assert response.url.startswith(login), f"{method.upper()} {url} → {response.url}"


def test_the_walk_covers_the_product():
    names = {name for name, _url in (p.values for p in URLS)}
    assert {"home", "admin:index"} <= names
    assert len(URLS) > 20


# --- The admin, walked for people and objects outside a coordinator's scope ---------------------


def admin_id_routes():
    """(route, name) of every admin URL that takes an id: each admin's own pages (change,
    history, delete, password, the programme's pages) and the site's (view on site)."""
    for route, name, pattern in walk(get_resolver().url_patterns):
        converters = getattr(pattern.pattern, "converters", None)
        if name.startswith("admin:") and converters and name != "admin:app_list":
            yield route, name


@pytest.fixture
def coordinator_and_outsiders(db, settings):
    from tests.builders import make_coordinator_of, make_partnership, make_programme, make_user

    settings.REQUIRE_2FA_FOR_STAFF = False  # straight in: two-factor has tests of its own
    mine = make_programme("Mine")
    coordinator = make_coordinator_of(mine, "Cora Coordinator")
    make_partnership(mine, make_user("Mo Mentor"), make_user("Mia Mentee"))
    elsewhere = make_programme("Elsewhere")
    theirs = make_partnership(elsewhere, make_user("Ela Mentor"), make_user("Eli Mentee"))
    people = {
        "in no programme": make_user("Olga Outsider"),
        "in another programme": theirs.mentee.user,
        "coordinating another programme": make_coordinator_of(elsewhere, "Otto Coordinator"),
        "a superuser": make_user("Sue Super", is_staff=True, is_superuser=True),
    }
    return coordinator, people, theirs


@pytest.mark.parametrize(
    "whom",
    ["in no programme", "in another programme", "coordinating another programme", "a superuser"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_no_admin_url_about_a_person_outside_answers_a_coordinator(
    client, coordinator_and_outsiders, whom, method
):
    from django.contrib.auth import get_user_model

    from tests.security.test_matrix import snapshot

    coordinator, people, _theirs = coordinator_and_outsiders
    person = people[whom]
    client.force_login(coordinator)
    before, tried = snapshot(), 0
    data = {"email": "taken@example.org", "name": "Taken", "password1": "Hijacked-12345",
            "password2": "Hijacked-12345", "usable_password": "true", "post": "yes"}  # fmt: skip
    for route, _name in admin_id_routes():
        if not route.startswith("admin/mentorship/user/"):
            continue
        url = "/" + route.replace("<id>", str(person.pk)).replace(
            "<path:object_id>", str(person.pk)
        )
        response = client.post(url, data) if method == "post" else client.get(url)
        tried += 1
        assert response.status_code in (302, 403, 404), f"{url} → {response.status_code}"
        assert person.email not in response.content.decode(), url
        if response.status_code == 302:
            assert response.url in ("/admin/", f"{url}change/"), url
    after = snapshot()
    after["mentorship.User"] = before["mentorship.User"] = [
        {**row, "last_login": None} for row in get_user_model().objects.values()
    ]
    assert after == before
    assert tried == 5  # the old-style URL, change, history, delete, password


def test_the_autocomplete_offers_only_what_the_form_accepts(client, coordinator_and_outsiders):
    coordinator, people, _theirs = coordinator_and_outsiders
    client.force_login(coordinator)

    def search(model_name, field_name, term=""):
        return client.get(
            reverse("admin:autocomplete"),
            {"app_label": "partnerships", "model_name": model_name,
             "field_name": field_name, "term": term},
        )  # fmt: skip

    people_offered = {row["text"] for row in search("participant", "user").json()["results"]}
    # People already in one of their programmes; not themselves (staff, no participant),
    # nor anyone outside.
    assert people_offered == {"Mo Mentor", "Mia Mentee"}
    for whom in people.values():
        assert search("participant", "user", whom.name).json()["results"] == []
    mentors = {row["text"] for row in search("partnership", "mentor").json()["results"]}
    assert mentors == {"Mo Mentor (mentor, Mine)", "Mia Mentee (mentee, Mine)"}
    # A relation no admin declares as a picker is refused, whatever it points at.
    assert search("partnership", "programme").status_code == 403
    assert search("checkin", "started_by").status_code == 403
