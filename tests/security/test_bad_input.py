"""Bad input, on purpose: random and malformed data posted to every form a partner can
submit, as a plain form post and as htmx. Never a server error; a refusal is a 4xx (or
the form again) that says what is wrong; Unicode and right-to-left text come back intact.

Hypothesis draws a modest number of examples per form so the suite stays fast."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from goals.models import Goal
from tests.security.forms import build_partner_world, every_form
from tests.security.fuzz import WORLD_TEXT, assert_clear_answer, fuzz, mangled

# Every form the partners' pages offer; a new one must be added here to be fuzzed.
FORMS = [
    "profile",
    "reminders:preferences",
    "matching:suggestions",
    "partnerships:agreement_propose",
    "partnerships:agreement_sign",
    "partnerships:checkin_new",
    "partnerships:checkin_contribute",
    "partnerships:feedback_give",
    "partnerships:closing",
    "partnerships:pause",
    "partnerships:end",
    "goals:create",
    "goals:edit",
    "goals:propose_change",
    "goals:adopt",
    "goals:decline",
    "goals:proposal_adopt",
    "goals:proposal_decline",
    "goals:step_create",
    "goals:step_done",
    "partnerships:meeting_propose",
    "partnerships:agenda_add",
    "calendar_feed_make",
]
NOT_FUZZED = {"logout"}


@pytest.fixture
def partnerships_with_every_form(db):
    return build_partner_world()


def test_every_form_on_the_partners_pages_is_fuzzed(client, partnerships_with_every_form):
    names = {
        f.name
        for p in (partnerships_with_every_form.mentee, partnerships_with_every_form.mentor)
        for f in every_form(client, partnerships_with_every_form, p)
    }
    assert names - NOT_FUZZED == set(FORMS)


@pytest.mark.parametrize("name", FORMS)
def test_random_and_malformed_posts_never_break_a_form(client, partnerships_with_every_form, name):
    forms = [
        (person, form)
        for person in (partnerships_with_every_form.mentee, partnerships_with_every_form.mentor)
        for form in every_form(client, partnerships_with_every_form, person)
        if form.name == name
    ]
    assert forms, name

    @fuzz(examples=12)
    @given(data=st.data())
    def post_rubbish(data):
        person, form = data.draw(st.sampled_from(forms))
        payload = data.draw(mangled(form.fields))
        htmx = data.draw(st.booleans())
        client.force_login(person)
        response = client.post(form.action, payload, headers={"HX-Request": "true"} if htmx else {})
        assert_clear_answer(response, (form.action, payload))

    post_rubbish()


def test_an_oversized_title_is_refused_with_a_message(client, partnerships_with_every_form):
    client.force_login(partnerships_with_every_form.mentee)
    url = reverse("goals:create", args=[partnerships_with_every_form.partnership.code, "mentee"])
    response = client.post(url, {"goal-mentee-title": "x" * 1_000_000})
    assert response.status_code == 422
    assert "Ensure this value has at most 200 characters" in response.content.decode()
    assert not Goal.objects.filter(title__startswith="xxx").exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_request_body_over_the_upload_limit_is_refused_clearly(
    client, partnerships_with_every_form, settings, htmx
):
    client.force_login(partnerships_with_every_form.mentee)
    url = reverse("goals:create", args=[partnerships_with_every_form.partnership.code, "mentee"])
    too_big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(
        url, {"goal-mentee-title": too_big}, headers={"HX-Request": "true"} if htmx else {}
    )
    assert response.status_code == 400
    assert "too large" in response.content.decode()  # templates/400.html says why


@pytest.mark.parametrize("text", WORLD_TEXT)
def test_unicode_and_right_to_left_text_round_trips(client, partnerships_with_every_form, text):
    client.force_login(partnerships_with_every_form.mentee)
    response = client.post(
        reverse("profile"), {"name": text, "time_zone": "UTC", "email_reminders": "on"}
    )
    assert response.status_code == 302
    partnerships_with_every_form.mentee.refresh_from_db()
    assert partnerships_with_every_form.mentee.name == text
    assert text in client.get(reverse("profile")).content.decode()

    url = reverse("goals:create", args=[partnerships_with_every_form.partnership.code, "mentee"])
    client.post(url, {"goal-mentee-title": text, "goal-mentee-description": text})
    goal = Goal.objects.get(title=text)
    assert goal.description == text
    page = client.get(reverse("goals:detail", args=[goal.code])).content.decode()
    assert page.count(text) >= 2
