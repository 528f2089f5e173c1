"""A join form sent twice at once (a double click, several web workers): both answers land
on the one account the first made, never a server error."""

import http.cookies
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from partnerships.models import Invitation
from partnerships.services.invitations import Invitee, invitation_send, invitation_token

PASSWORD = "a-long-and-unusual-passphrase"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _open(request):
    """(status, headers, body) of one request, redirects not followed, errors as answers."""
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def _cookies(headers) -> dict[str, str]:
    jar = http.cookies.SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


@pytest.fixture
def invitation(db, programme, coordinator):
    return invitation_send(
        programme=programme,
        invitee=Invitee(email="newbie@example.org", name="Nia Newbie", role="mentee"),
        by=coordinator,
    )


def post_twice_at_once(url: str, fields: dict) -> list[tuple[int, dict, str]]:
    """GET the form once, then POST it from two threads released together."""
    status, headers, body = _open(urllib.request.Request(url))
    assert status == 200
    csrf = _cookies(headers)["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
    start, answers = threading.Barrier(2), [None, None]

    def submit(index):
        request = urllib.request.Request(url, data=data, headers={"Cookie": f"csrftoken={csrf}"})
        start.wait()
        answers[index] = _open(request)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def logged_in_as(headers) -> str | None:
    key = _cookies(headers).get(settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(key)
    return session.get("_auth_user_id")


@pytest.mark.real_password_hashing(
    reason="the first submit holds the invitation's lock while it hashes the password, so "
    "the second one surely arrives while the first is still joining"
)
def test_a_join_form_sent_twice_at_once_signs_both_into_one_account(
    transactional_db, live_server, invitation
):
    url = live_server.url + reverse("invitations:accept", args=[invitation_token(invitation)])
    answers = post_twice_at_once(
        url, {"name": "Nia Newbie", "password1": PASSWORD, "password2": PASSWORD}
    )
    user = get_user_model().objects.get(email="newbie@example.org")
    assert [(status, headers["Location"]) for status, headers, _ in answers] == [
        (302, "/"),
        (302, "/"),
    ]
    assert [logged_in_as(headers) for _, headers, _ in answers] == [str(user.pk)] * 2
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert user.participations.count() == 1


# --- the second submit after the first has finished --------------------------------------


def join(client, invitation, password=PASSWORD):
    return client.post(
        reverse("invitations:accept", args=[invitation_token(invitation)]),
        {"name": "Nia Newbie", "password1": password, "password2": password},
    )


def test_the_same_form_sent_again_just_after_joining_signs_in_to_the_same_account(
    client, invitation
):
    url = reverse("invitations:accept", args=[invitation_token(invitation)])
    assert join(client, invitation).status_code == 302
    client.logout()  # the browser dropped the first answer, and its session cookie
    response = client.post(url, {"password1": PASSWORD, "password2": PASSWORD}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "Welcome! You have joined Spring Cohort." in response.text
    assert response.context["user"].email == "newbie@example.org"
    assert get_user_model().objects.filter(email="newbie@example.org").count() == 1


def test_another_password_on_a_used_link_signs_nobody_in_and_counts_as_a_failed_login(
    client, invitation
):
    from axes.models import AccessAttempt

    join(client, invitation)
    client.logout()
    response = join(client, invitation, password="not-the-one-they-chose")
    assert response.status_code == 410
    assert "This invitation has already been used. Log in with your email and password." in (
        response.text
    )
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_a_used_link_sent_again_much_later_only_says_it_was_used(client, invitation):
    import datetime

    import time_machine

    join(client, invitation)
    client.logout()
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)):
        response = join(client, invitation)
    assert response.status_code == 410
    assert "This invitation has already been used." in response.text
    assert "_auth_user_id" not in client.session


def test_a_logged_in_person_joining_twice_lands_in_the_programme_both_times(
    client, programme, coordinator, outsider
):
    invitation = invitation_send(
        programme=programme,
        invitee=Invitee(email=outsider.email, name="Olga Outsider", role="mentor"),
        by=coordinator,
    )
    client.force_login(outsider)
    url = reverse("invitations:accept", args=[invitation_token(invitation)])
    assert client.post(url).status_code == 302
    response = client.post(url, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "You have joined Spring Cohort." in response.text
    assert Invitation.objects.get().accepted_by == outsider
