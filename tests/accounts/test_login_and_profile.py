"""Logging in by email, the profile, and password reset and change."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.builders import PASSWORD


def test_anyone_not_logged_in_is_sent_to_log_in(client, db):
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/")


def test_a_person_logs_in_by_email_in_any_case_and_lands_on_the_dashboard(
    client, mentee, partnership
):
    response = client.post(
        reverse("login"), {"username": mentee.email.upper(), "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain == [("/", 302)]
    page = response.content.decode()
    assert "Hello, Milo" in page
    assert "Mara Mentor" in page


def test_a_wrong_password_is_explained_and_the_email_kept(client, mentee):
    response = client.post(reverse("login"), {"username": mentee.email, "password": "nope"})
    page = response.content.decode()
    assert "That email and password don't match." in page
    assert f'value="{mentee.email}"' in page


def test_a_login_with_an_empty_field_says_which(client, db):
    # Browsers stop this (the inputs are required); scripts and old browsers do not.
    response = client.post(reverse("login"), {"username": "", "password": "x"})
    assert response.status_code == 200
    assert '<ul class="errorlist"' in response.text
    assert "This field is required." in response.text


def test_the_profile_takes_a_time_zone_by_its_city(client, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse("profile"), {"name": "Milo M.", "time_zone": "Tokyo", "email_reminders": ""}
    )
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert (mentee.name, mentee.time_zone, mentee.email_reminders) == (
        "Milo M.",
        "Asia/Tokyo",
        False,
    )


def test_an_unknown_time_zone_is_refused_and_what_was_typed_kept(client, mentee):
    client.force_login(mentee)
    response = client.post(reverse("profile"), {"name": "Milo", "time_zone": "Atlantis"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "“Atlantis” is not a time zone we know." in page
    assert 'value="Atlantis"' in page
    assert '<option value="Europe/London">Europe/London</option>' in page
    mentee.refresh_from_db()
    assert mentee.time_zone == "America/New_York"


def test_password_reset_by_email_then_log_in_with_the_new_password(client, mentee):
    client.post(reverse("password_reset"), {"email": mentee.email})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Choose a new password for Mentorship"
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url,
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert response["Location"] == reverse("password_reset_complete")
    response = client.post(
        reverse("login"), {"username": mentee.email, "password": "a-brand-new-passphrase"}
    )
    assert (response.status_code, response["Location"]) == (302, "/")


def test_password_change_needs_the_old_password(client, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "another-long-phrase",
            "new_password2": "another-long-phrase",
        },
    )
    assert "Your old password was entered incorrectly." in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-phrase",
            "new_password2": "another-long-phrase",
        },
    )
    assert response["Location"] == reverse("password_change_done")


@pytest.fixture
def coordinator_with_authenticator(coordinator):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=coordinator, name="Authenticator app", confirmed=True)
    return coordinator


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("mentee", "profile"),
        ("mentee", "account_delete"),
        ("coordinator", "two_factor_setup"),
        ("coordinator_with_authenticator", "two_factor_verify"),
    ],
)
def test_a_form_posted_empty_says_what_is_missing(client, request, who, page):
    # `request.POST or None` left an empty post unbound: the form again, with no error.
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse(page), {})
    assert response.status_code == 422
    assert "This field is required." in response.text


def test_joining_by_invitation_posted_empty_says_what_is_missing(client, programme, coordinator):
    from partnerships.services.invitations import Invitee, invitation_send, invitation_token

    invitation = invitation_send(
        programme=programme,
        invitee=Invitee(email="nia@example.org", name="Nia", role="mentee"),
        by=coordinator,
    )
    response = client.post(reverse("invitations:accept", args=[invitation_token(invitation)]), {})
    assert response.status_code == 200
    assert "This field is required." in response.text
