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
    "reminders:unsubscribe",  # RFC 8058 one-click: must work without a session
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
