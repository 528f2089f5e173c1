"""Bad input on the public and account pages: logging in, resetting and changing a password,
joining by invitation, one-click unsubscribe, two-factor sign-in, deleting an account.

Random and malformed data is posted to each form read off its page, every page is opened
with junk in its query string, and the links in emails carry garbage and tampered tokens.
Never a server error; a refusal is a page that says what is wrong, and a form shown again
says what to fix."""

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import strategies as st

from mentorship.accounts import two_factor
from mentorship.accounts.email_change import email_change_token
from partnerships.models import Invitation, ReminderOptOut
from partnerships.services.invitations import Invitee, invitation_send, invitation_token
from reminders.links import unsubscribe_token
from tests.builders import PASSWORD, make_coordinator_of, make_programme, make_user
from tests.security.forms import forms_on
from tests.security.fuzz import (
    VALUE,
    WORLD_TEXT,
    assert_clear_answer,
    assert_form_again_says_why,
    fuzz,
    mangled,
    query,
    tampered,
)
from tests.security.test_url_walk import PUBLIC, walk

NEW_PASSWORD = "a-long-and-unusual-passphrase"


class AccountWorld:
    """A partner, a coordinator before and one after setting up an authenticator app, a
    partner who turned it on, and two invitations: one to a newcomer, one to someone who
    already has an account."""

    def __init__(self):
        programme = make_programme("Fuzz Cohort")
        self.coordinator = make_coordinator_of(programme, "Cleo Coordinator")
        self.enrolled = make_coordinator_of(programme, "Enzo Enrolled")
        self.app = TOTPDevice.objects.create(
            user=self.enrolled, name=two_factor.APP_DEVICE_NAME, confirmed=True
        )
        two_factor.recovery_codes_create(user=self.enrolled)
        self.partner = make_user("Pat Partner")
        self.careful = make_user("Tia Twofactor")
        self.careful_app = TOTPDevice.objects.create(
            user=self.careful, name=two_factor.APP_DEVICE_NAME, confirmed=True
        )
        two_factor.recovery_codes_create(user=self.careful)
        self.member = make_user("Mel Member")

        def invite(email, name):
            invitee = Invitee(email=email, name=name, role="mentee")
            return invitation_send(programme=programme, invitee=invitee, by=self.coordinator)

        self.newcomer_invitation = invite("nova@example.org", "Nova Newcomer")
        self.member_invitation = invite(self.member.email, "Mel Member")

    def reset_link(self) -> str:
        self.partner.refresh_from_db()  # a fuzzed post may have reset the password
        uid = urlsafe_base64_encode(force_bytes(self.partner.pk))
        token = default_token_generator.make_token(self.partner)
        return reverse("password_reset_confirm", args=[uid, token])

    def invitation_link(self, invitation) -> str:
        return reverse("invitations:accept", args=[invitation_token(invitation)])

    def email_change_link(self) -> str:
        self.partner.refresh_from_db()  # a fuzzed post may have changed the address
        token = email_change_token(user=self.partner, new_email="pat.elsewhere@example.org")
        return reverse("email_change_confirm", args=[token])

    def unsubscribe_link(self) -> str:
        token = unsubscribe_token(self.partner, "checkin_overdue")
        return reverse("reminders:unsubscribe", args=[token])

    def visit(self, client, page: str) -> str:
        """Become whoever uses this page (nobody, for the public ones) and return its URL."""
        client.logout()
        if page == "password_reset_confirm":
            # The link puts its token in the session and redirects to the form.
            return client.get(self.reset_link())["Location"]
        if page == "invitations:accept (newcomer)":
            return self.invitation_link(self.newcomer_invitation)
        if page == "invitations:accept (member)":
            client.force_login(self.member)
            return self.invitation_link(self.member_invitation)
        if page == "reminders:unsubscribe":
            return self.unsubscribe_link()
        if page == "email_change_confirm":
            client.force_login(self.partner)
            return self.email_change_link()
        if page in (
            "two_factor_setup",
            "two_factor_verify",
            "two_factor_recovery_codes",
            "two_factor_off",
        ):
            return self._two_factor(client, page)
        if page not in ("login", "admin:login", "password_reset", "password_reset_done",
                        "password_reset_complete", "healthz"):  # fmt: skip
            client.force_login(self.partner)
        return reverse(page)

    def _two_factor(self, client, page: str) -> str:
        if page == "two_factor_setup":
            client.force_login(self.coordinator)  # no app yet: the setup form
        elif page == "two_factor_off":
            # A partner may turn it off, from a verified session, on the two-factor page.
            client.force_login(self.careful)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = self.careful_app.persistent_id
            session.save()
            return reverse("two_factor_setup")
        else:
            client.force_login(self.enrolled)
        if page == "two_factor_recovery_codes":
            # A verified session: the two-factor page offers new recovery codes.
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = self.app.persistent_id
            session.save()
            return reverse("two_factor_setup")
        return reverse(page)


@pytest.fixture
def accounts_in_every_state(db, settings):
    settings.REQUIRE_2FA_FOR_STAFF = True
    return AccountWorld()


# Pages with a form to post, by URL name; in brackets, whose page it is when that differs.
FORM_PAGES = [
    "login",
    "admin:login",
    "password_reset",
    "password_reset_confirm",
    "password_change",
    "account_delete",
    "email_change",
    "email_change_confirm",
    "two_factor_setup",
    "two_factor_verify",
    "two_factor_recovery_codes",
    "two_factor_off",
    "invitations:accept (newcomer)",
    "invitations:accept (member)",
    "reminders:unsubscribe",
]
# Pages to open with junk in the query string (the form pages are opened too).
GET_PAGES = [
    "password_reset_done",
    "password_reset_complete",
    "password_change_done",
    "account_data",
    "healthz",
]
FUZZED_ELSEWHERE = {
    "profile",  # test_bad_input.py, with the partners' forms
    "calendar_feed_make",  # likewise
    "calendar_feed",  # guessed and mangled addresses: tests/workspace/test_meetings_pages.py
    # Sign-up's public pages and its emails' links: tests/workspace/test_signup_fuzz.py
    "signup:page",
    "signup:sent",
    "signup:confirm",
    "signup:welcome",
}
NOT_FUZZED = {"logout", "admin:logout", "calendar_feed_stop"}  # take no input


def url_name(page: str) -> str:
    return page.split(" (")[0]


def test_every_public_and_account_page_is_fuzzed():
    names = {
        name
        for route, name, _pattern in walk(get_resolver().url_patterns)
        if route.startswith("accounts/") or name in PUBLIC
    }
    fuzzed = {url_name(page) for page in FORM_PAGES + GET_PAGES}
    assert names - FUZZED_ELSEWHERE - NOT_FUZZED == fuzzed


@pytest.mark.parametrize("page", FORM_PAGES)
def test_random_and_malformed_posts_never_break_an_account_form(
    client, accounts_in_every_state, page
):
    forms = [
        form
        for form in forms_on(client, accounts_in_every_state.visit(client, page))
        if form.name not in NOT_FUZZED
    ]
    assert url_name(page) in {form.name for form in forms}, page

    @fuzz(examples=25)
    @given(data=st.data())
    def post_rubbish(data):
        accounts_in_every_state.visit(
            client, page
        )  # again: a post may have logged in, out, or used a link
        form = data.draw(st.sampled_from(forms))
        payload = data.draw(mangled(form.fields))
        htmx = data.draw(st.booleans())
        response = client.post(form.action, payload, headers={"HX-Request": "true"} if htmx else {})
        assert_clear_answer(response, (page, payload))
        assert_form_again_says_why(response, form, (page, payload))

    post_rubbish()


@pytest.mark.parametrize("page", FORM_PAGES + GET_PAGES)
def test_junk_in_the_query_string_never_breaks_an_account_page(
    client, accounts_in_every_state, page
):
    @fuzz(examples=8)
    @given(params=query(["next", "token", "page", "code"]))
    def open_with_junk(params):
        url = accounts_in_every_state.visit(client, page)
        response = client.get(url, params)
        assert_clear_answer(response, (url, params))

    open_with_junk()


# --- links from emails, with garbage and tampered tokens -------------------------------------

GARBAGE = st.one_of(
    st.text(min_size=1, max_size=80),
    st.sampled_from(["x", ":", "::", ".", "..", "%00", "\x00", "a" * 3000, "eyJ9:abc:def"]),
)


def bad_token(valid: str):
    return st.one_of(GARBAGE, tampered(valid))


def link(prefix: str, token: str) -> str:
    return f"{prefix}{quote(token, safe='')}/"


def refused_first(method: str, data: dict) -> bool:
    """A NUL in a query string is refused (400) before the view looks at the link."""
    return method == "get" and any("\x00" in key + value for key, value in data.items())


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_broken_invitation_link_says_so(client, accounts_in_every_state, method):
    invitation = accounts_in_every_state.newcomer_invitation

    @fuzz(examples=25)
    @given(token=bad_token(invitation_token(invitation)), data=st.dictionaries(st.text(), VALUE))
    def follow(token, data):
        response = getattr(client, method)(link("/invitations/", token), data)
        assert_clear_answer(response, token)
        assert response.status_code == (400 if refused_first(method, data) else 404), token
        if "/" not in token and response.status_code == 404:  # a slash: another (unknown) page
            assert "This invitation link is not valid" in response.text, token

    follow()
    assert get_user_model().objects.filter(email=invitation.email).count() == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_broken_unsubscribe_link_says_so(client, accounts_in_every_state, method):
    token = unsubscribe_token(accounts_in_every_state.partner, "checkin_overdue")

    @fuzz(examples=25)
    @given(token=bad_token(token), data=st.dictionaries(st.text(), VALUE))
    def follow(token, data):
        response = getattr(client, method)(link("/reminders/unsubscribe/", token), data)
        assert_clear_answer(response, token)
        assert response.status_code == (400 if refused_first(method, data) else 404), token
        if "/" not in token and response.status_code == 404:
            assert "This unsubscribe link is not valid" in response.text, token

    follow()
    assert not ReminderOptOut.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_broken_password_reset_link_says_so(client, accounts_in_every_state, method):
    valid = tuple(accounts_in_every_state.reset_link().strip("/").split("/")[-2:])
    uid, token = valid

    @fuzz(examples=25)
    @given(
        uid=st.one_of(st.just(uid), bad_token(uid)),
        token=st.one_of(st.just(token), bad_token(token)),
        data=st.dictionaries(st.text(), VALUE),
    )
    def follow(uid, token, data):
        if (uid, token) == valid:
            token += "x"
        url = f"/accounts/reset/{quote(uid, safe='')}/{quote(token, safe='')}/"
        response = getattr(client, method)(url, data)
        assert_clear_answer(response, url)
        if refused_first(method, data):
            assert response.status_code == 400, url
        elif "/" not in uid + token:
            if token == valid[1] and response.status_code == 302:
                # base64 skips characters outside its alphabet: ":MTM5" is still "MTM5", the
                # link still names the same person, and its token is still good.
                assert response["Location"].endswith("/set-password/"), url
            else:
                assert response.status_code == 200, url
                assert "This link has expired" in response.text, url

    follow()
    accounts_in_every_state.partner.refresh_from_db()
    assert accounts_in_every_state.partner.check_password(PASSWORD)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_broken_email_change_link_says_so(client, accounts_in_every_state, method):
    client.force_login(accounts_in_every_state.partner)
    valid = accounts_in_every_state.email_change_link().strip("/").split("/")[-1]

    @fuzz(examples=25)
    @given(token=bad_token(valid), data=st.dictionaries(st.text(), VALUE))
    def follow(token, data):
        response = getattr(client, method)(link("/accounts/email/confirm/", token), data)
        assert_clear_answer(response, token)
        assert response.status_code == (400 if refused_first(method, data) else 404), token
        if "/" not in token and response.status_code == 404:
            assert "This link is not valid" in response.text, token

    follow()
    accounts_in_every_state.partner.refresh_from_db()
    assert accounts_in_every_state.partner.email.startswith("pat.partner")


# --- oversized input --------------------------------------------------------------------------


def test_a_login_body_over_the_upload_limit_is_refused_clearly(
    client, accounts_in_every_state, settings
):
    too_big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(
        reverse("login"), {"username": accounts_in_every_state.partner.email, "password": too_big}
    )
    assert response.status_code == 400
    assert "too large" in response.text


def test_an_overlong_email_at_login_is_refused_like_a_wrong_one(client, accounts_in_every_state):
    response = client.post(reverse("login"), {"username": "x" * 300, "password": "whatever"})
    assert response.status_code == 200
    assert "That email and password don't match." in response.text


def test_an_oversized_name_on_joining_is_refused_with_the_limit(client, accounts_in_every_state):
    url = accounts_in_every_state.invitation_link(accounts_in_every_state.newcomer_invitation)
    response = client.post(
        url, {"name": "x" * 1_000_000, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters (it has 1000000)." in response.text
    assert not Invitation.objects.get(pk=accounts_in_every_state.newcomer_invitation.pk).is_accepted


def test_an_oversized_two_factor_code_is_refused_with_the_limit(client, accounts_in_every_state):
    client.force_login(accounts_in_every_state.enrolled)
    response = client.post(reverse("two_factor_verify"), {"code": "1" * 100_000})
    assert response.status_code == 422
    assert "Ensure this value has at most 32 characters (it has 100000)." in response.text


# --- Unicode ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", WORLD_TEXT)
def test_a_unicode_and_right_to_left_name_round_trips_through_joining(
    client, accounts_in_every_state, text
):
    url = accounts_in_every_state.invitation_link(accounts_in_every_state.newcomer_invitation)
    response = client.post(
        url, {"name": text, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    person = get_user_model().objects.get(email="nova@example.org")
    assert person.name == text
    assert text in client.get(reverse("profile")).text
