"""Passwords per OWASP ASVS 5.0 (L2), and sessions that end."""

import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.builders import PASSWORD


def test_a_password_needs_twelve_characters():
    with pytest.raises(ValidationError) as refused:
        validate_password("kx7#qpL2wz!")  # 11
    assert refused.value.messages == [
        "This password is too short. It must contain at least 12 characters."
    ]
    validate_password("kx7#qpL2wz!m")  # 12


def test_common_passwords_are_refused():
    with pytest.raises(ValidationError) as refused:
        validate_password("password1234")
    assert "This password is too common." in refused.value.messages


@pytest.mark.real_password_hashing(
    reason="what is checked is what production's hasher keeps of a long passphrase"
)
def test_a_128_character_passphrase_works_whole_with_the_real_hasher(client, mentee):
    long = "correct horse battery staple, " * 4 + "and then some"
    long = long[:128]
    assert len(long) == 128
    client.force_login(mentee)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": long, "new_password2": long},
    )
    assert response["Location"] == reverse("password_change_done")
    mentee.refresh_from_db()
    assert mentee.password.startswith("pbkdf2_sha256$")
    assert mentee.check_password(long)
    # No truncation: the first 72 characters (bcrypt's limit) or one less are not enough.
    assert not mentee.check_password(long[:72])
    assert not mentee.check_password(long[:-1])


def test_passwords_never_expire():
    """ASVS 6.2.10: no forced rotation. Nothing in the settings ages a password."""
    names = [name for name in dir(django_settings) if "PASSWORD" in name and "AGE" in name]
    assert names == []
    assert django_settings.PASSWORD_RESET_TIMEOUT == 60 * 60 * 24 * 3  # reset links expire


def test_changing_the_password_logs_out_the_other_sessions(mentee):
    here, elsewhere = Client(), Client()
    for browser in (here, elsewhere):
        response = browser.post(reverse("login"), {"username": mentee.email, "password": PASSWORD})
        assert response.status_code == 302
    assert elsewhere.get("/").status_code == 200

    response = here.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-and-longer-phrase",
            "new_password2": "a-new-and-longer-phrase",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    assert here.get("/").status_code == 200  # the session that changed it stays in
    response = elsewhere.get("/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/")


def test_sessions_last_at_most_fourteen_days():
    assert django_settings.SESSION_COOKIE_AGE == 14 * 24 * 60 * 60
    assert django_settings.SESSION_COOKIE_HTTPONLY is True


def test_a_session_left_idle_for_twelve_hours_ends(client, mentee):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(mentee)
        traveller.shift(datetime.timedelta(hours=11))
        assert client.get("/").status_code == 200
        traveller.shift(datetime.timedelta(hours=11))  # 22 h after login, 11 h idle
        assert client.get("/").status_code == 200
        traveller.shift(datetime.timedelta(hours=12, minutes=1))
        response = client.get("/partnerships/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=%2Fpartnerships%2F",
    )
    assert "_auth_user_id" not in client.session
