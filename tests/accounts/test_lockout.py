"""Brute force on login: five wrong passwords lock that email *from that IP* for 15 minutes."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from mentorship.accounts.client_ip import client_ip
from tests.builders import PASSWORD

ATTACKER = "203.0.113.9"
HOME = "198.51.100.7"
LOCKED = "Too many failed attempts to log in to this account from your network."


def log_in(client, email, password, ip, url=None):
    return client.post(
        url or reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def fail_five_times(client, email, ip=ATTACKER):
    for _ in range(4):
        response = log_in(client, email, "not-the-password", ip)
        assert response.status_code == 200  # "don't match", not yet locked
    assert log_in(client, email, "not-the-password", ip).status_code == 429  # the fifth locks


def test_five_wrong_passwords_lock_the_email_from_that_ip_with_a_clear_message(client, mentee):
    fail_five_times(client, mentee.email)
    response = log_in(client, mentee.email, PASSWORD, ATTACKER)  # even the right one
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert "please wait 15 minutes" in page
    assert f'value="{mentee.email}"' in page
    assert "_auth_user_id" not in client.session


def test_the_person_still_logs_in_from_another_ip(client, mentee):
    fail_five_times(client, mentee.email)
    response = log_in(client, mentee.email, PASSWORD, HOME)
    assert (response.status_code, response["Location"]) == (302, "/")


def test_other_people_on_the_attackers_ip_are_not_locked(client, mentee, mentor):
    fail_five_times(client, mentee.email)
    response = log_in(client, mentor.email, PASSWORD, ATTACKER)
    assert (response.status_code, response["Location"]) == (302, "/")


def test_changing_the_case_of_the_email_does_not_dodge_the_lock(client, mentee):
    email = mentee.email
    for variant in [email.upper(), email.title(), email.swapcase(), email.capitalize(), email]:
        log_in(client, variant, "wrong", ATTACKER)
    assert log_in(client, mentee.email, PASSWORD, ATTACKER).status_code == 429


def test_the_lock_lifts_after_the_cool_off(client, mentee):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        fail_five_times(client, mentee.email)
        traveller.shift(datetime.timedelta(minutes=14))
        assert log_in(client, mentee.email, PASSWORD, ATTACKER).status_code == 429
        traveller.shift(datetime.timedelta(minutes=16))
        response = log_in(client, mentee.email, PASSWORD, ATTACKER)
    assert (response.status_code, response["Location"]) == (302, "/")


def test_a_successful_login_resets_the_count(client, mentee):
    for _ in range(4):
        log_in(client, mentee.email, "wrong", ATTACKER)
    assert log_in(client, mentee.email, PASSWORD, ATTACKER).status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, mentee.email, "wrong", ATTACKER)
    assert log_in(client, mentee.email, PASSWORD, ATTACKER).status_code == 302


def test_the_admin_login_is_locked_too(client, coordinator):
    admin_login = reverse("admin:login")
    for _ in range(5):
        log_in(client, coordinator.email, "wrong", ATTACKER, url=admin_login)
    response = log_in(client, coordinator.email, PASSWORD, ATTACKER, url=admin_login)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_a_locked_out_person_is_not_authenticated_by_any_path(client, mentee, rf):
    fail_five_times(client, mentee.email)
    from django.contrib.auth import authenticate

    request = rf.post("/accounts/login/", REMOTE_ADDR=ATTACKER)
    assert authenticate(request, username=mentee.email, password=PASSWORD) is None
    assert get_user_model().objects.get(pk=mentee.pk).last_login is None


# --- which IP: proxy-aware, and not spoofable ---------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.2"),  # no proxy: the header is the client's invention
        (1, "1.2.3.4", "1.2.3.4"),  # one proxy appended the real client
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # a spoofed entry on the left is ignored
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.9", "1.2.3.4"),  # CDN, then load balancer
        (2, "1.2.3.4", "10.0.0.2"),  # shorter than the proxy chain: not believed
    ],
)
def test_the_client_ip_counts_trusted_proxies_from_the_right(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_behind_a_proxy_the_lock_follows_the_forwarded_client(client, settings, mentee):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": mentee.email, "password": "wrong"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=ATTACKER,
        )
    locked = client.post(
        reverse("login"),
        {"username": mentee.email, "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=f"{HOME}, {ATTACKER}",  # spoofing a new IP on the left
    )
    assert locked.status_code == 429
    home = client.post(
        reverse("login"),
        {"username": mentee.email, "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=HOME,
    )
    assert (home.status_code, home["Location"]) == (302, "/")


@pytest.mark.parametrize("page", ["login", "admin:login"])
def test_an_email_longer_than_any_address_is_a_wrong_login_not_an_error(client, db, page):
    # django-axes records the failure under the email, in a 255-character column.
    too_long = "x" * 300 + "@example.org"
    for _ in range(5):
        response = log_in(client, too_long, "not-the-password", ATTACKER, reverse(page))
    assert response.status_code == 429
    assert LOCKED in response.text
