"""Partners may turn on two-factor sign-in for themselves: the same authenticator app and
recovery codes coordinators have. Once on, every login of theirs asks for a code before
any page is served, and turning it off needs the password and a code."""

import datetime
import re
from html import unescape

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from mentorship.models import RecoveryCodeDevice
from tests.accounts.test_two_factor import RECOVERY_CODES, app_code
from tests.builders import PASSWORD

VERIFY = reverse("two_factor_verify")


def log_in(email, next_page="/") -> Client:
    browser = Client()
    response = browser.post(
        reverse("login"), {"username": email, "password": PASSWORD, "next": next_page}
    )
    assert (response.status_code, response["Location"]) == (302, next_page)
    return browser


def turn_on(browser, person, frozen_clock) -> list[str]:
    """Through the pages, as the person would: profile, set-up page, first code."""
    profile = browser.get(reverse("profile")).text
    assert '<a href="/accounts/two-factor/">Two-factor sign-in</a> (off)' in profile
    page = browser.get(reverse("two_factor_setup")).text
    assert "your password alone no longer opens your account" in page
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    response = browser.post(reverse("two_factor_setup"), {"code": app_code(device)})
    frozen_clock.shift(31)  # each app code works once; the next step brings a new one
    codes = RECOVERY_CODES.findall(response.text)
    assert len(codes) == 10
    assert '<a class="button primary" href="/">I have saved them — continue</a>' in response.text
    return codes


@pytest.fixture
def milos_recovery_codes(mentee, partnership, frozen_clock):
    """Milo, with two-factor sign-in on; his recovery codes."""
    return turn_on(log_in(mentee.email), mentee, frozen_clock)


def test_a_partner_turns_it_on_from_the_profile(mentee, partnership, frozen_clock):
    browser = log_in(mentee.email)
    turn_on(browser, mentee, frozen_clock)
    assert TOTPDevice.objects.filter(user=mentee, confirmed=True).count() == 1
    assert RecoveryCodeDevice.objects.filter(user=mentee).count() == 1
    # The session that set it up is verified: it goes on without another code.
    assert browser.get("/").status_code == 200
    assert "(on)" in browser.get(reverse("profile")).text
    page = browser.get(reverse("two_factor_setup")).text
    assert "logging in asks for a code from your authenticator app" in page
    assert "You have <strong>10</strong> unused recovery codes." in page


@pytest.mark.parametrize(
    "page",
    [
        "/",
        "workspace",
        reverse("profile"),
        reverse("account_data"),
        reverse("password_change"),
        reverse("two_factor_setup"),
    ],
)
def test_next_login_asks_for_the_code_before_any_page(
    mentee, partnership, milos_recovery_codes, page
):
    if page == "workspace":
        page = reverse("partnerships:workspace", args=[partnership.code])
    browser = log_in(mentee.email, next_page=page)
    response = browser.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{VERIFY}?next=")
    assert browser.get(response["Location"]).status_code == 200


def test_an_htmx_action_waits_for_the_code_too_and_changes_nothing(
    mentee, partnership, milos_recovery_codes
):
    browser = log_in(mentee.email)
    response = browser.post(
        reverse("goals:create", args=[partnership.code, "mentee"]),
        {"goal-mentee-title": "Sneaked in"},
        headers={"HX-Request": "true"},
    )
    assert (response.status_code, response["Location"]) == (302, VERIFY)
    assert not partnership.goals.filter(title="Sneaked in").exists()


def test_the_right_code_leads_to_the_page_asked_for(
    mentee, partnership, milos_recovery_codes, frozen_clock
):
    workspace = reverse("partnerships:workspace", args=[partnership.code])
    browser = log_in(mentee.email, next_page=workspace)
    code = app_code(TOTPDevice.objects.get(user=mentee))
    response = browser.post(VERIFY, {"code": code, "next": workspace})
    assert (response.status_code, response["Location"]) == (302, workspace)
    page = browser.get(workspace)
    assert page.status_code == 200
    assert "<title>Mara Mentor" in page.text


def test_a_wrong_code_is_refused_and_slows_the_next_try(
    mentee, partnership, milos_recovery_codes, frozen_clock
):
    browser = log_in(mentee.email)
    device = TOTPDevice.objects.get(user=mentee)
    right = app_code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = browser.post(VERIFY, {"code": wrong})
    assert response.status_code == 422
    assert "That code didn't work." in unescape(response.text)
    # Throttled: within a second of a wrong code, even the right one is refused.
    assert browser.post(VERIFY, {"code": right}).status_code == 422
    assert browser.get("/").status_code == 302
    frozen_clock.shift(2)
    assert browser.post(VERIFY, {"code": right})["Location"] == "/"
    assert browser.get("/").status_code == 200


def test_a_recovery_code_lets_a_partner_in_once(mentee, partnership, milos_recovery_codes):
    browser = log_in(mentee.email)
    response = browser.post(VERIFY, {"code": milos_recovery_codes[0]}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "You used a recovery code; 9 left." in response.text
    again = log_in(mentee.email)
    assert again.post(VERIFY, {"code": milos_recovery_codes[0]}).status_code == 422
    assert again.get("/").status_code == 302


def test_partners_without_it_are_never_asked_and_the_check_is_not_a_query_per_page(
    mentee, partnership, frozen_clock
):
    browser = log_in(mentee.email)
    assert browser.get("/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert browser.get("/").status_code == 200
    assert not [q for q in queries if "otp_totp_totpdevice" in q["sql"]]


def test_turning_it_on_elsewhere_reaches_an_open_session_within_a_minute(
    mentee, partnership, frozen_clock
):
    open_elsewhere = log_in(mentee.email)
    assert open_elsewhere.get("/").status_code == 200
    turn_on(log_in(mentee.email), mentee, frozen_clock)  # shifts the clock 31 s
    assert open_elsewhere.get("/").status_code == 200
    frozen_clock.shift(30)
    response = open_elsewhere.get("/")
    assert (response.status_code, response["Location"]) == (302, f"{VERIFY}?next=%2F")


# --- turning it off ---------------------------------------------------------------------


def verified(mentee) -> Client:
    browser = log_in(mentee.email)
    code = app_code(TOTPDevice.objects.get(user=mentee))
    assert browser.post(VERIFY, {"code": code}).status_code == 302
    return browser


def test_turning_it_off_needs_the_password_and_a_code(
    mentee, partnership, milos_recovery_codes, frozen_clock
):
    browser = verified(mentee)
    frozen_clock.shift(31)
    off = reverse("two_factor_off")

    response = browser.post(off, {"password": "not-my-password", "code": milos_recovery_codes[1]})
    assert response.status_code == 422
    assert "That is not your password. Two-factor sign-in is still on." in response.text
    assert AccessAttempt.objects.get().failures_since_start == 1  # counted like a login
    # The code was not even tried: a wrong password must not spend a recovery code.
    assert (
        browser.post(off, {"password": PASSWORD, "code": milos_recovery_codes[1]}).status_code
        == 302
    )
    assert not TOTPDevice.objects.filter(user=mentee).exists()
    assert not RecoveryCodeDevice.objects.filter(user=mentee).exists()


def test_a_wrong_code_keeps_it_on(mentee, partnership, milos_recovery_codes, frozen_clock):
    browser = verified(mentee)
    response = browser.post(reverse("two_factor_off"), {"password": PASSWORD, "code": "000000"})
    assert response.status_code == 422
    assert "That code didn't work." in unescape(response.text)
    assert TOTPDevice.objects.filter(user=mentee, confirmed=True).count() == 1


def test_once_off_the_next_login_goes_straight_in(
    mentee, partnership, milos_recovery_codes, frozen_clock
):
    browser = verified(mentee)
    frozen_clock.shift(31)
    code = app_code(TOTPDevice.objects.get(user=mentee))
    response = browser.post(
        reverse("two_factor_off"), {"password": PASSWORD, "code": code}, follow=True
    )
    assert response.redirect_chain == [(reverse("profile"), 302)]
    assert "Two-factor sign-in is off" in response.text
    assert "Two-factor sign-in</a> (off)" in response.text
    assert browser.get("/").status_code == 200
    assert log_in(mentee.email).get("/").status_code == 200


def test_a_session_still_waiting_for_a_code_goes_on_once_it_is_turned_off_elsewhere(
    mentee, partnership, milos_recovery_codes, frozen_clock
):
    waiting = log_in(mentee.email)
    assert waiting.get("/")["Location"] == f"{VERIFY}?next=%2F"
    browser = verified(mentee)
    frozen_clock.shift(31)
    code = app_code(TOTPDevice.objects.get(user=mentee))
    browser.post(reverse("two_factor_off"), {"password": PASSWORD, "code": code})
    response = waiting.get(f"{VERIFY}?next=%2F")
    assert (response.status_code, response["Location"]) == (302, "/")
    assert waiting.get("/").status_code == 200


def test_the_turn_off_form_is_on_the_status_page(
    mentee, partnership, milos_recovery_codes, frozen_clock
):
    page = verified(mentee).get(reverse("two_factor_setup")).text
    assert re.search(r'<form method="post" action="/accounts/two-factor/off/"', page)
    assert 'autocomplete="current-password"' in page
    assert "A code from your app, or a recovery code" in page


def test_the_code_page_needs_a_login(client, db):
    response = client.get(VERIFY)
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/accounts/two-factor/verify/",
    )


def test_hours_later_the_same_session_is_not_asked_again(
    mentee, partnership, milos_recovery_codes, frozen_clock
):
    browser = verified(mentee)
    frozen_clock.shift(datetime.timedelta(hours=11))
    assert browser.get("/").status_code == 200
