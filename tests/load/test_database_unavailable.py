"""A database that is away is a 503 with a clear page, wherever the request meets it."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client


@pytest.fixture
def client_with_error_pages(db):
    # Like a real server: errors become responses instead of being raised into the test.
    return Client(raise_request_exception=False)


def test_a_view_that_cannot_reach_the_database_answers_503_with_a_clear_page(
    client_with_error_pages, mentee
):
    client_with_error_pages.force_login(mentee)
    with mock.patch(
        "workspace.views.home.Dashboard", side_effect=OperationalError("connection refused")
    ):
        response = client_with_error_pages.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    # A logged-in person's answer is private as well (PrivateResponsesMiddleware).
    assert response["Cache-Control"] == "no-store, private"
    page = response.content.decode()
    assert "Mentorship is briefly unavailable" in page
    assert "connection refused" not in page  # no error text reaches the outside


def test_losing_the_database_while_loading_the_session_is_a_503(client_with_error_pages, mentee):
    """Sessions and the user load in middleware, before any view runs."""
    client_with_error_pages.force_login(mentee)
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=InterfaceError("connection already closed"),
    ):
        response = client_with_error_pages.get("/")
    assert response.status_code == 503
    assert "briefly unavailable" in response.content.decode()


def test_any_other_error_is_still_a_500(client_with_error_pages, mentee):
    client_with_error_pages.force_login(mentee)
    with mock.patch("workspace.views.home.Dashboard", side_effect=ValueError("a bug")):
        response = client_with_error_pages.get("/")
    assert response.status_code == 500
    assert "briefly unavailable" not in response.content.decode()


def test_healthz_reports_the_database_unavailable(client_with_error_pages):
    with mock.patch("mentorship.views.database_error", return_value="connection refused"):
        response = client_with_error_pages.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable", "redis": "ok"}
