"""Two-factor sign-in for coordinators and superusers, with real TOTP codes."""

import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.builders import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ADMIN = "/admin/"
RECOVERY_CODES = re.compile(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code></li>")


@pytest.fixture(autouse=True)
def staff_need_two_factor(settings):
    settings.REQUIRE_2FA_FOR_STAFF = True


def app_code(device: TOTPDevice) -> str:
    """What the person's authenticator app shows right now."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def log_in_to_admin(email) -> Client:
    browser = Client()
    response = browser.post(
        reverse("admin:login"), {"username": email, "password": PASSWORD, "next": ADMIN}
    )
    assert (response.status_code, response["Location"]) == (302, ADMIN)
    return browser


def enrol(browser, user, frozen_clock) -> list[str]:
    browser.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    response = browser.post(reverse("two_factor_setup"), {"code": app_code(device), "next": ADMIN})
    frozen_clock.shift(31)  # each app code works once; the next step brings a new one
    return RECOVERY_CODES.findall(response.content.decode())


def test_a_coordinator_without_a_device_is_sent_to_set_one_up(coordinator):
    browser = log_in_to_admin(coordinator.email)
    response = browser.get(ADMIN)
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/two-factor/?next=%2Fadmin%2F",
    )
    page = browser.get(response["Location"]).content.decode()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert "otpauth://totp/Mentorship%3A" in page
    assert f"secret={device.config_url.split('secret=')[1].split('&')[0]}" in page
    assert "<svg" in page and 'role="img"' in page  # the QR code, inline


def test_enrolment_with_a_wrong_code_is_refused_and_with_the_right_one_shows_codes_once(
    coordinator, frozen_clock
):
    browser = log_in_to_admin(coordinator.email)
    browser.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=coordinator)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"
    response = browser.post(reverse("two_factor_setup"), {"code": wrong})
    assert response.status_code == 422
    assert "That code didn't match." in unescape(response.content.decode())
    assert browser.get(ADMIN).status_code == 302

    frozen_clock.shift(2)  # a wrong code slows the next try by a second
    response = browser.post(reverse("two_factor_setup"), {"code": app_code(device), "next": ADMIN})
    codes = RECOVERY_CODES.findall(response.content.decode())
    assert len(codes) == 10
    assert "They are shown only now" in response.content.decode()
    assert_stored_only_as_hashes(coordinator, codes)
    assert browser.get(ADMIN).status_code == 200  # this session is verified
    # The codes are not shown again: the page now says how many are left.
    page = browser.get(reverse("two_factor_setup")).content.decode()
    assert "You have <strong>10</strong> unused recovery codes." in page
    assert codes[0] not in page


def assert_stored_only_as_hashes(user, codes):
    """Each code is a lookup in the clear and a salted hash of the rest; the database
    holds no code, nor the secret part of one."""
    from mentorship.models import RecoveryCode

    rows = RecoveryCode.objects.filter(device__user=user)
    assert sorted(r.lookup for r in rows) == sorted(c[:4] for c in codes)
    stored = " ".join(f"{r.lookup} {r.secret_hash}" for r in rows)
    for code in codes:
        secret = code.replace("-", "")[4:]
        assert secret not in stored and code not in stored


def test_next_time_the_admin_asks_for_a_code_and_a_wrong_one_is_refused(coordinator, frozen_clock):
    enrol(log_in_to_admin(coordinator.email), coordinator, frozen_clock)
    browser = log_in_to_admin(coordinator.email)
    response = browser.get(ADMIN)
    assert response["Location"] == "/accounts/two-factor/verify/?next=%2Fadmin%2F"

    response = browser.post(reverse("two_factor_verify"), {"code": "000000", "next": ADMIN})
    assert response.status_code == 422
    assert "That code didn't work." in unescape(response.content.decode())
    assert browser.get(ADMIN).status_code == 302

    frozen_clock.shift(2)
    device = TOTPDevice.objects.get(user=coordinator)
    response = browser.post(reverse("two_factor_verify"), {"code": app_code(device), "next": ADMIN})
    assert (response.status_code, response["Location"]) == (302, ADMIN)
    page = browser.get(ADMIN).content.decode()
    assert "Run your programmes" in page


def test_an_app_code_works_only_once(coordinator, frozen_clock):
    enrol(log_in_to_admin(coordinator.email), coordinator, frozen_clock)
    code = app_code(TOTPDevice.objects.get(user=coordinator))
    first, second = log_in_to_admin(coordinator.email), log_in_to_admin(coordinator.email)
    assert first.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    assert second.post(reverse("two_factor_verify"), {"code": code}).status_code == 422


def test_a_recovery_code_lets_you_in_once(coordinator, frozen_clock):
    codes = enrol(log_in_to_admin(coordinator.email), coordinator, frozen_clock)
    browser = log_in_to_admin(coordinator.email)
    response = browser.post(
        reverse("two_factor_verify"), {"code": codes[3].upper(), "next": ADMIN}, follow=True
    )
    assert response.redirect_chain == [(ADMIN, 302)]
    assert "You used a recovery code; 9 left." in response.content.decode()

    again = log_in_to_admin(coordinator.email)
    response = again.post(reverse("two_factor_verify"), {"code": codes[3]})
    assert response.status_code == 422
    assert again.get(ADMIN).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(coordinator, frozen_clock):
    old = enrol(browser := log_in_to_admin(coordinator.email), coordinator, frozen_clock)
    response = browser.post(reverse("two_factor_recovery_codes"))
    new = RECOVERY_CODES.findall(response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    other = log_in_to_admin(coordinator.email)
    assert other.post(reverse("two_factor_verify"), {"code": old[0]}).status_code == 422
    frozen_clock.shift(2)  # a wrong code slows the next try by a second
    assert other.post(reverse("two_factor_verify"), {"code": new[0]}).status_code == 302


def test_a_stolen_password_cannot_replace_the_device(coordinator, frozen_clock):
    enrol(log_in_to_admin(coordinator.email), coordinator, frozen_clock)
    thief = log_in_to_admin(coordinator.email)
    response = thief.get(reverse("two_factor_setup"))
    # Every page waits for the code now, this one too (before, only the admin did).
    assert response["Location"] == "/accounts/two-factor/verify/?next=%2Faccounts%2Ftwo-factor%2F"
    assert thief.post(reverse("two_factor_recovery_codes")).status_code == 302
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1


def test_superusers_need_it_too(db, frozen_clock):
    from django.contrib.auth import get_user_model

    boss = get_user_model().objects.create_superuser("boss@example.org", PASSWORD, name="Boss")
    browser = log_in_to_admin(boss.email)
    assert browser.get(ADMIN)["Location"] == "/accounts/two-factor/?next=%2Fadmin%2F"


def test_a_coordinator_cannot_turn_it_off_while_the_admin_requires_it(coordinator, frozen_clock):
    codes = enrol(browser := log_in_to_admin(coordinator.email), coordinator, frozen_clock)
    page = browser.get(reverse("two_factor_setup")).text
    assert "so it stays on." in page
    assert reverse("two_factor_off") not in page
    response = browser.post(reverse("two_factor_off"), {"password": PASSWORD, "code": codes[0]})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=True).count() == 1


def test_an_outside_next_is_not_followed(coordinator, frozen_clock):
    enrol(log_in_to_admin(coordinator.email), coordinator, frozen_clock)
    browser = log_in_to_admin(coordinator.email)
    device = TOTPDevice.objects.get(user=coordinator)
    response = browser.post(
        reverse("two_factor_verify"), {"code": app_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == ADMIN


def test_with_the_setting_off_the_demo_coordinator_goes_straight_in(settings, db):
    settings.REQUIRE_2FA_FOR_STAFF = False
    call_command("seed_demo", verbosity=0)
    browser = Client()
    response = browser.post(
        reverse("admin:login"),
        {"username": "coordinator@example.org", "password": "mentorship-demo", "next": ADMIN},
    )
    assert response["Location"] == ADMIN
    assert "Run your programmes" in browser.get(ADMIN).content.decode()


def required_by_default(**env) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("DEBUG", "REQUIRE_2FA_FOR_STAFF")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import mentorship.settings as s; print(s.REQUIRE_2FA_FOR_STAFF)"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "False"),  # make run: DEBUG defaults to on, the demo needs no phone
        ({"DEBUG": "false", "SECRET_KEY": "k" * 50}, "True"),
        ({"DEBUG": "false", "SECRET_KEY": "k" * 50, "REQUIRE_2FA_FOR_STAFF": "false"}, "False"),
        ({"REQUIRE_2FA_FOR_STAFF": "true"}, "True"),
    ],
)
def test_the_setting_is_on_by_default_in_production_only(env, expected):
    result = required_by_default(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == expected


def test_a_typo_in_the_setting_is_an_error():
    result = required_by_default(REQUIRE_2FA_FOR_STAFF="ture")
    assert result.returncode != 0
    assert "REQUIRE_2FA_FOR_STAFF" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_codes_handed_out_before_hashing_keep_working_and_their_plain_copies_go(coordinator):
    """Migration 0002 moves django-otp's plain static codes into hashed rows."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from mentorship.accounts.two_factor import second_factor_verify

    executor = MigrationExecutor(connection)
    executor.migrate([("mentorship", "0001_initial")])
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE otp_static_staticdevice (id serial PRIMARY KEY, user_id bigint,"
            " name varchar(64), confirmed boolean)"
        )
        cursor.execute(
            "CREATE TABLE otp_static_statictoken (id serial PRIMARY KEY, device_id int,"
            " token varchar(16))"
        )
        cursor.execute(
            "INSERT INTO otp_static_staticdevice (user_id, name, confirmed) VALUES (%s, 'x', true)",
            [coordinator.pk],
        )
        cursor.execute(
            "INSERT INTO otp_static_statictoken (device_id, token)"
            " SELECT id, unnest(ARRAY['abcdefgh', 'ijklmnop']) FROM otp_static_staticdevice"
        )
    try:
        MigrationExecutor(connection).migrate([("mentorship", "0002_recovery_codes_hashed")])
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM otp_static_statictoken")
            assert cursor.fetchone() == (0,)
        assert second_factor_verify(user=coordinator, token="ABCD EFGH") is not None
        assert second_factor_verify(user=coordinator, token="abcdefgh") is None  # used up
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE otp_static_statictoken, otp_static_staticdevice")
