"""Password guesses on the account forms count like failed logins.

A session left open (or stolen) must not let anyone try passwords without limit through
the password-change or delete-account form: each wrong password counts towards the same
lock as a failed login (that email, from that IP), and at the limit even the right
password is refused, with the same explanation, until the cool-off ends."""

from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.accounts.test_lockout import ATTACKER, HOME, LOCKED, log_in
from tests.builders import PASSWORD

NEW = "a-new-and-longer-phrase"
ACCOUNT_LOCKED = "Too many wrong passwords for this account from your network."


def change_password(client, old, ip=ATTACKER):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": NEW, "new_password2": NEW},
        REMOTE_ADDR=ip,
    )


def delete_account(client, password, ip=ATTACKER):
    return client.post(reverse("account_delete"), {"password": password}, REMOTE_ADDR=ip)


FORMS = {"password change": change_password, "account deletion": delete_account}


@pytest.fixture(params=FORMS)
def try_password(request):
    return FORMS[request.param]


def still_the_same(person) -> bool:
    person.refresh_from_db()
    return person.is_active and person.check_password(PASSWORD)


def test_the_fifth_wrong_password_locks_and_then_even_the_right_one_is_refused(
    client, mentee, try_password
):
    client.force_login(mentee)
    for _ in range(4):
        assert try_password(client, "not-my-password").status_code == 422
    locked = try_password(client, "not-my-password")
    assert locked.status_code == 429
    assert ACCOUNT_LOCKED in locked.text
    assert "please wait 15 minutes and try again" in locked.text

    response = try_password(client, PASSWORD)
    assert response.status_code == 429
    assert ACCOUNT_LOCKED in response.text
    assert still_the_same(mentee)


def test_a_locked_form_does_not_even_check_the_password(client, mentee, try_password):
    client.force_login(mentee)
    for _ in range(5):
        try_password(client, "not-my-password")
    user_model = get_user_model()
    with mock.patch.object(user_model, "check_password", autospec=True) as check:
        assert try_password(client, PASSWORD).status_code == 429
    assert check.call_count == 0


def test_guesses_on_the_forms_lock_the_login_from_that_ip_too(client, mentee, try_password):
    client.force_login(mentee)
    for _ in range(5):
        try_password(client, "not-my-password")
    client.logout()
    response = log_in(client, mentee.email, PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert LOCKED in response.text


def test_failed_logins_and_form_guesses_add_up(client, mentee):
    for _ in range(2):
        assert log_in(client, mentee.email, "wrong", ATTACKER).status_code == 200
    client.force_login(mentee)
    assert change_password(client, "wrong").status_code == 422
    assert delete_account(client, "wrong").status_code == 422
    assert change_password(client, "wrong").status_code == 429
    assert still_the_same(mentee)


def test_the_person_can_still_use_the_forms_from_another_ip(client, mentee, try_password):
    client.force_login(mentee)
    for _ in range(5):
        try_password(client, "not-my-password")
    response = change_password(client, PASSWORD, ip=HOME)
    assert (response.status_code, response["Location"]) == (302, reverse("password_change_done"))


def test_the_right_password_clears_the_count_as_a_login_does(client, mentee):
    client.force_login(mentee)
    for _ in range(4):
        change_password(client, "wrong")
    assert change_password(client, PASSWORD).status_code == 302
    assert AccessAttempt.objects.count() == 0
    for _ in range(4):
        assert delete_account(client, "wrong").status_code == 422
    response = delete_account(client, NEW)
    assert response.status_code == 200
    assert "Your account is deleted" in response.text


def test_a_mistyped_old_password_does_not_leave_the_new_one_in_the_failure_record(client, mentee):
    client.force_login(mentee)
    change_password(client, "my-old-one-mistyped")
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == (mentee.email, ATTACKER)
    assert NEW not in attempt.post_data
    assert "my-old-one-mistyped" not in attempt.post_data
    assert "new_password1=********************" in attempt.post_data


def test_the_wrong_password_message_stays_beside_the_field(client, mentee):
    client.force_login(mentee)
    response = change_password(client, "wrong")
    assert response.status_code == 422
    assert "Your old password was entered incorrectly. Please enter it again." in response.text
    response = delete_account(client, "wrong")
    assert "That is not your password. Nothing was deleted." in response.text
