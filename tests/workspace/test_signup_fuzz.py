"""Bad input on the public sign-up pages, in the manner of tests/security: random and
malformed posts to each form read off its page, junk in the query string, and tampered
tokens in the emails' links. Never a server error; a form shown again says what to fix."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from partnerships.models import Application
from partnerships.services.signup import application_approve, confirm_token, join_token
from tests.builders import make_coordinator_of
from tests.security.forms import forms_on
from tests.security.fuzz import (
    assert_clear_answer,
    assert_form_again_says_why,
    fuzz,
    mangled,
    query,
    tampered,
)
from tests.workspace.signup_world import fresh_limits, open_signup

pytestmark = pytest.mark.usefixtures("fresh_limits")
__all__ = ["fresh_limits"]

PAGES = ["signup:page", "signup:page (mentor)", "signup:confirm", "signup:welcome", "signup:sent"]


class SignupWorld:
    def __init__(self):
        self.intake = open_signup()
        coordinator = make_coordinator_of(self.intake.programme)
        self.unconfirmed = Application.objects.create(
            programme=self.intake.programme, role="mentee", email="una@example.org", name="Una"
        )
        approved = Application.objects.create(
            programme=self.intake.programme, role="mentor", email="ari@example.org",
            name="Ari", status="waiting",
        )  # fmt: skip
        self.approved = application_approve(application=approved, by=coordinator)

    def url(self, page: str) -> str:
        token = self.intake.token
        return {
            "signup:page": reverse("signup:page", args=[token]) + "?role=mentee",
            "signup:page (mentor)": reverse("signup:page", args=[token]) + "?role=mentor",
            "signup:sent": reverse("signup:sent", args=[token]),
            "signup:confirm": reverse("signup:confirm", args=[confirm_token(self.unconfirmed)]),
            "signup:welcome": reverse("signup:welcome", args=[join_token(self.approved)]),
        }[page]


@pytest.fixture
def world(db):
    return SignupWorld()


@pytest.mark.parametrize("page", [p for p in PAGES if p != "signup:sent"])
def test_random_and_malformed_posts_never_break_a_sign_up_form(client, world, page, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    forms = forms_on(client, world.url(page))
    assert forms, page

    @fuzz(examples=25)
    @given(data=st.data())
    def post_rubbish(data):
        form = data.draw(st.sampled_from(forms))
        payload = data.draw(mangled(form.fields))
        response = client.post(world.url(page), payload)
        assert_clear_answer(response, (page, payload))
        assert_form_again_says_why(response, form, (page, payload))

    post_rubbish()


@pytest.mark.parametrize("page", PAGES)
def test_junk_in_the_query_string_never_breaks_a_sign_up_page(client, world, page):
    @fuzz(examples=8)
    @given(params=query(["role", "next", "token", "page"]))
    def open_with_junk(params):
        response = client.get(world.url(page), params)
        assert_clear_answer(response, (page, params))

    open_with_junk()


@pytest.mark.parametrize("name", ["signup:page", "signup:confirm", "signup:welcome"])
def test_a_tampered_link_is_a_clear_refusal(client, world, name):
    real = {
        "signup:page": world.intake.token,
        "signup:confirm": confirm_token(world.unconfirmed),
        "signup:welcome": join_token(world.approved),
    }[name]

    @fuzz(examples=15)
    @given(token=tampered(real))
    def open_tampered(token):
        if "/" in token or not token:
            return
        response = client.get(reverse(name, args=[token]))
        assert_clear_answer(response, (name, token))
        assert response.status_code in (200, 404, 410), (name, token, response.status_code)

    open_tampered()
