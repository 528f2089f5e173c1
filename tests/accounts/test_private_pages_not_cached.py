"""Nothing served to a logged-in person is stored by a cache, over HTTP, page by page.

Each response to a logged-in person says ``Cache-Control: private, no-store``: a proxy
must not keep it for the next person, nor a shared computer's disk keep a private note
after logging out. The rule is one middleware, so the list below checks it reaches every
kind of response: full pages, downloads, htmx fragments, redirects, errors and the
pages other middleware answers for (second factor, lockout). Anonymous pages stay as they
were."""

import uuid

import pytest
from django.urls import reverse

from tests.builders import PASSWORD
from tests.workspace_world import build_world

HTMX = {"HX-Request": "true"}


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def assert_not_stored(response):
    assert {"private", "no-store"} <= directives(response), response.get("Cache-Control")
    assert "public" not in directives(response)


@pytest.fixture
def partnership_with_everything(partnership, mentor, mentee):
    return build_world(partnership, mentor, mentee)


PARTNER_PAGES = {
    "dashboard": lambda w: reverse("home"),
    "workspace": lambda w: reverse("partnerships:workspace", args=[w.partnership.code]),
    "check-in history": lambda w: reverse(
        "partnerships:checkin_history", args=[w.partnership.code]
    ),
    "check-in": lambda w: reverse("partnerships:checkin", args=[w.checkin.code]),
    "new check-in": lambda w: reverse("partnerships:checkin_new", args=[w.partnership.code]),
    "goal": lambda w: reverse("goals:detail", args=[w.goal.code]),
    "agreement history": lambda w: reverse(
        "partnerships:agreement_history", args=[w.partnership.code]
    ),
    "profile": lambda w: reverse("profile"),
    "my data download": lambda w: reverse("account_data"),
    "password change": lambda w: reverse("password_change"),
    "delete account": lambda w: reverse("account_delete"),
    "reminder preferences": lambda w: reverse("reminders:preferences"),
    "someone else's partnership (404)": lambda w: reverse(
        "partnerships:workspace", args=[uuid.uuid4()]
    ),
}


@pytest.mark.parametrize("page", PARTNER_PAGES)
def test_a_partners_pages_are_private_and_not_stored(
    client, partnership_with_everything, mentee, page
):
    client.force_login(mentee)
    response = client.get(PARTNER_PAGES[page](partnership_with_everything))
    assert response.status_code == (404 if "404" in page else 200)
    assert_not_stored(response)


def test_an_htmx_fragment_is_not_stored(client, partnership_with_everything, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse("goals:create", args=[partnership_with_everything.partnership.code, "mentee"]),
        {"goal-mentee-title": "Mentor someone else"},
        headers=HTMX,
    )
    assert response.text.startswith('<section id="goals"')
    assert_not_stored(response)


def test_an_htmx_fragment_with_errors_is_not_stored(client, partnership_with_everything, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse("goals:edit", args=[partnership_with_everything.goal.code]),
        {"title": ""},
        headers=HTMX,
    )
    assert response.text.startswith('<div id="goal" class="goal-page">')
    assert "This field is required." in response.text
    assert_not_stored(response)


def test_a_redirect_after_an_action_is_not_stored(client, partnership_with_everything, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse("goals:create", args=[partnership_with_everything.partnership.code, "mentee"]),
        {"goal-mentee-title": "Mentor someone else"},
    )
    assert response.status_code == 302
    assert_not_stored(response)


def test_the_page_after_logging_in_and_the_login_redirect_are_not_stored(client, mentee):
    response = client.post(reverse("login"), {"username": mentee.email, "password": PASSWORD})
    assert response.status_code == 302
    assert_not_stored(response)


@pytest.mark.parametrize(
    "page", ["admin:index", "admin:partnerships_partnership_changelist", "two_factor_setup"]
)
def test_a_coordinators_admin_and_two_factor_pages_are_not_stored(
    client, settings, coordinator, partnership, page
):
    settings.REQUIRE_2FA_FOR_STAFF = False
    client.force_login(coordinator)
    response = client.get(reverse(page))
    assert response.status_code == 200
    assert_not_stored(response)


def test_the_second_factor_redirect_is_not_stored(client, settings, coordinator):
    settings.REQUIRE_2FA_FOR_STAFF = True
    client.force_login(coordinator)
    response = client.get(reverse("admin:index"))
    assert response["Location"] == "/accounts/two-factor/?next=%2Fadmin%2F"
    assert_not_stored(response)


def test_the_lockout_page_on_an_account_form_is_not_stored(client, mentee):
    client.force_login(mentee)
    for _ in range(5):
        response = client.post(reverse("account_delete"), {"password": "wrong"})
    assert response.status_code == 429
    assert_not_stored(response)


def test_anonymous_public_pages_stay_as_they_were(client, db):
    # No Cache-Control was set on the password reset page before; the rule is for logged-in
    # people only. The login page keeps Django's own never_cache.
    assert "Cache-Control" not in client.get(reverse("password_reset"))
    assert directives(client.get(reverse("login"))) == {
        "max-age=0",
        "no-cache",
        "no-store",
        "must-revalidate",
        "private",
    }
