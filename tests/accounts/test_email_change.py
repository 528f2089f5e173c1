"""A person changes their own email address, with a link sent to the new one.

Nobody else can: the email is the login and where password reset links go, so changing it
is taking the account. The link is signed, expires after 24 hours, works once, and stops
working if the address changed meanwhile; the old address is told."""

import datetime
import json
import re
import smtplib
from unittest import mock
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from mentorship.accounts.email_change import email_change_token
from tests.accounts.test_lockout import ATTACKER
from tests.builders import PASSWORD, make_user

NEW = "milo.new@example.org"
LINK = re.compile(re.escape(django_settings.SITE_URL) + r"(/accounts/email/confirm/[^/\s]+/)")


def ask(client, new_email=NEW, password=PASSWORD, **extra):
    return client.post(
        reverse("email_change"), {"new_email": new_email, "password": password}, **extra
    )


def unchanged(person) -> bool:
    """Still the address the person was made with."""
    was = person.email
    person.refresh_from_db()
    return person.email == was


def link_in(message) -> str:
    [path] = set(LINK.findall(message.body))
    assert path in message.alternatives[0].content  # the HTML part links the same
    return path


@pytest.fixture
def email_change_link(client, mentee):
    """Milo, logged in, asked to move to milo.new@example.org: the link in the email."""
    client.force_login(mentee)
    response = ask(client)
    assert (response.status_code, response["Location"]) == (302, reverse("profile"))
    [message] = mail.outbox
    return link_in(message)


def test_the_profile_leads_to_the_form(client, mentee):
    client.force_login(mentee)
    profile = client.get(reverse("profile")).text
    assert f'<a href="{reverse("email_change")}">Change email</a>' in profile
    page = client.get(reverse("email_change")).text
    assert f"You log in with <strong>{mentee.email}</strong>" in page
    assert 'autocomplete="current-password"' in page


def test_asking_emails_a_link_to_the_new_address_only(client, mentee):
    client.force_login(mentee)
    response = ask(client, new_email="  Milo.New@Example.org ", follow=True)
    assert (
        f"Check the inbox of {NEW}: if that address can be used for your account, a link to "
        f"confirm it is on its way (it works for 24 hours). Until you follow it, your email "
        f"address stays {mentee.email}."
    ) in response.text.replace("&#x27;", "'")
    [message] = mail.outbox
    assert message.to == [NEW]
    assert message.subject == "Confirm your new email address for Mentorship"
    assert f"from {mentee.email} to this one, {NEW}." in message.body
    assert "it works for 24 hours, once" in message.body
    assert unchanged(mentee)  # nothing changes before the link


def test_following_the_link_changes_the_email_and_tells_the_old_address(
    client, mentee, email_change_link
):
    page = client.get(email_change_link)
    assert page.status_code == 200
    assert f"to <strong>{NEW}</strong>?" in page.text
    old = mentee.email
    assert unchanged(mentee)  # opening the link changes nothing

    response = client.post(email_change_link, follow=True)
    assert response.redirect_chain == [(reverse("profile"), 302)]
    assert f"Your email address is now {NEW}." in response.text
    mentee.refresh_from_db()
    assert mentee.email == NEW
    notice = mail.outbox[-1]
    assert notice.to == [old]
    assert notice.subject == "Your Mentorship email address was changed"
    assert f"changed from {old} to {NEW} on " in notice.body
    assert "tell your programme coordinator straight away" in notice.body
    # And the new address is the login from now on.
    client.logout()
    response = client.post(reverse("login"), {"username": NEW, "password": PASSWORD})
    assert response["Location"] == "/"


def test_logged_out_the_link_waits_for_the_login(client, mentee, email_change_link):
    client.logout()
    response = client.get(email_change_link)
    assert response["Location"] == f"/accounts/login/?next={quote(email_change_link, safe='/')}"
    response = client.post(
        reverse("login"),
        {"username": mentee.email, "password": PASSWORD, "next": email_change_link},
    )
    assert response["Location"] == email_change_link
    assert client.post(email_change_link).status_code == 302
    mentee.refresh_from_db()
    assert mentee.email == NEW


def test_the_link_works_once(client, mentee, email_change_link):
    assert client.post(email_change_link).status_code == 302
    again = client.post(email_change_link)
    assert again.status_code == 410
    assert "This link has been used already" in again.text
    assert client.get(email_change_link).status_code == 410
    mentee.refresh_from_db()
    assert mentee.email == NEW
    assert len(mail.outbox) == 2  # the link, and one notice


def test_the_link_stops_working_once_the_email_changed_another_way(
    client, mentee, email_change_link
):
    client.post(
        reverse("email_change"), {"new_email": "milo.other@example.org", "password": PASSWORD}
    )
    second = link_in(mail.outbox[-1])
    assert client.post(second).status_code == 302
    response = client.post(email_change_link)
    assert response.status_code == 410
    mentee.refresh_from_db()
    assert mentee.email == "milo.other@example.org"


def test_the_link_expires_after_24_hours(client, mentee):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(mentee)
        ask(client)
        link = link_in(mail.outbox[0])
        clock.shift(datetime.timedelta(hours=23, minutes=59))
        client.force_login(mentee)  # a day later: logged in again (sessions idle out)
        assert client.get(link).status_code == 200
        clock.shift(datetime.timedelta(minutes=2))
        response = client.post(link)
    assert response.status_code == 410
    assert "This link has expired: links work for 24 hours." in response.text
    assert unchanged(mentee)


def test_someone_elses_link_does_not_change_my_email(client, mentee, mentor, email_change_link):
    client.force_login(mentor)
    response = client.post(email_change_link)
    assert response.status_code == 403
    assert "This link was sent for another account." in response.text
    assert unchanged(mentor) and unchanged(mentee)


@pytest.mark.parametrize(
    "token",
    ["x", "not:a:token", "eyJ1c2VyIjoxfQ:1vAbCd:forged"],
)
def test_a_made_up_or_tampered_link_says_so(client, mentee, token):
    client.force_login(mentee)
    response = client.post(reverse("email_change_confirm", args=[token]))
    assert response.status_code == 404
    assert "This link is not valid. Check that you copied all of it." in response.text


def test_a_link_for_a_changed_address_cannot_be_forged_from_a_real_one(client, mentee):
    """The token is signed: changing its new address breaks the signature."""
    token = email_change_token(user=mentee, new_email=NEW)
    # The payload decoded, its address changed and encoded again, under the old signature
    # (replacing base64 text inside the token would depend on where the address falls).
    payload, signature = token.split(":", 1)
    claims = json.loads(signing.b64_decode(payload.encode()))
    evil = json.dumps({**claims, "to": "eve@evil.example"}, separators=(",", ":"))
    forged = f"{signing.b64_encode(evil.encode()).decode()}:{signature}"
    assert forged != token
    client.force_login(mentee)
    assert client.post(reverse("email_change_confirm", args=[forged])).status_code == 404
    assert unchanged(mentee)


# --- an address another account has ------------------------------------------------------


def test_a_taken_address_gets_the_same_answer_and_no_email(client, mentee, mentor):
    client.force_login(mentee)
    taken = ask(client, new_email=mentor.email.upper(), follow=True)
    free = ask(client, new_email=NEW, follow=True)
    said = [
        re.search(r"Check the inbox of [^:]+: (.*?)</", r.text.replace("&#x27;", "'")).group(1)
        for r in (taken, free)
    ]
    assert said[0] == said[1]
    assert [m.to for m in mail.outbox] == [[NEW]]  # the taken address got nothing


def test_an_address_taken_after_the_link_was_sent_is_refused_then(
    client, mentee, email_change_link
):
    make_user("Nia Newcomer", email=NEW)
    response = client.post(email_change_link)
    assert response.status_code == 409
    assert "Another account now uses this address" in response.text
    assert unchanged(mentee)
    assert len(mail.outbox) == 1  # no notice: nothing changed


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new_email", "error"),
    [
        ("", "This field is required."),
        ("not-an-address", "Enter a valid email address."),
        ("milo@exa\rmple.org", "Enter a valid email address."),
        ("MINE IN CAPITALS", "That is already your email address."),
        ("x" * 250 + "@example.org", "Ensure this value has at most 254 characters"),
    ],
)
def test_a_bad_address_is_refused_beside_the_field(client, mentee, new_email, error):
    if new_email == "MINE IN CAPITALS":
        new_email = mentee.email.upper()
    client.force_login(mentee)
    response = ask(client, new_email=new_email)
    assert response.status_code == 422
    assert error in response.text.replace("&#x27;", "'")
    assert mail.outbox == []


def test_the_wrong_password_sends_nothing(client, mentee):
    client.force_login(mentee)
    response = ask(client, password="not-my-password")
    assert response.status_code == 422
    assert "That is not your password. Your email address was not changed." in response.text
    assert mail.outbox == []


def test_password_guesses_here_count_like_failed_logins(client, mentee):
    client.force_login(mentee)
    for _ in range(4):
        assert ask(client, password="wrong", REMOTE_ADDR=ATTACKER).status_code == 422
    assert ask(client, password="wrong", REMOTE_ADDR=ATTACKER).status_code == 429
    locked = ask(client, password=PASSWORD, REMOTE_ADDR=ATTACKER)
    assert locked.status_code == 429
    assert "Too many wrong passwords for this account from your network." in locked.text
    assert mail.outbox == []


def test_a_mail_server_that_is_away_is_a_clear_message(client, mentee):
    client.force_login(mentee)
    with mock.patch(
        "mentorship.accounts.email_change.email_send",
        side_effect=smtplib.SMTPServerDisconnected("gone"),
    ):
        response = ask(client)
    assert response.status_code == 503
    assert "We could not send the email just now. Nothing changed; please try again." in (
        response.text
    )


def test_a_password_reset_link_sent_to_the_old_address_stops_working(
    client, mentee, email_change_link
):
    token = default_token_generator.make_token(mentee)
    client.post(email_change_link)
    mentee.refresh_from_db()
    assert not default_token_generator.check_token(mentee, token)
