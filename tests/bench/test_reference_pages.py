"""The benchmark's two reference pages: mounted only for `make bench`, and even then they
show a partner nothing an outsider could read."""

import importlib
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import clear_url_caches, reverse

import mentorship.urls

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Per response: the CSRF token (in forms and in htmx's headers) and the CSP nonce.
PER_RESPONSE = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": "|nonce=")[^"]+"')


def remount(settings, enabled: bool) -> None:
    settings.MEASURING = enabled
    importlib.reload(mentorship.urls)
    clear_url_caches()


@pytest.fixture
def bench_pages_mounted(settings):
    remount(settings, True)
    cache.clear()  # pages kept by an earlier run may carry the same primary keys
    yield
    remount(settings, False)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_reference_pages_are_not_part_of_the_product(partnership, mentee):
    client = logged_in(mentee)
    assert client.get("/bench/baseline").status_code == 404
    assert client.get(f"/bench/page-cache/{partnership.code}").status_code == 404


@pytest.mark.django_db
def test_the_page_cache_serves_the_workspace_with_each_visitors_own_csrf_token(
    bench_pages_mounted, partnership, mentee
):
    url = reverse("bench_page_cache", args=[partnership.code])
    first = logged_in(mentee).get(url)
    # Another session of the same person: the cached page, with this session's token.
    other_session = Client(enforce_csrf_checks=True)
    other_session.force_login(mentee)
    again = other_session.get(url)

    real = logged_in(mentee).get(reverse("partnerships:workspace", args=[partnership.code]))
    assert first.status_code == again.status_code == 200
    assert "mentors you" in again.content.decode()
    html = again.content.decode()
    assert PER_RESPONSE.sub("", html) == PER_RESPONSE.sub("", real.content.decode())
    nonce = re.search(r"'nonce-([^']+)'", again.headers["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in html
    token = CSRF_INPUT.search(html).group(1)
    paused = other_session.post(
        reverse("partnerships:pause", args=[partnership.code]),
        {"pause-reason": "busy", "csrfmiddlewaretoken": token},
    )
    assert paused.status_code == 302, paused.content.decode()[:3000]


@pytest.mark.django_db
def test_the_page_cache_is_404_outside_the_partnership(bench_pages_mounted, partnership, outsider):
    url = reverse("bench_page_cache", args=[partnership.code])
    assert logged_in(outsider).get(url).status_code == 404
