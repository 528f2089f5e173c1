"""The public sign-up page, the confirmation link and the page where a new person sets
their password: bad input keeps what was typed, every address gets the same answer, the
rate limits answer 429 with a page, a closed or full sign-up says so, question text is
escaped, the pages are valid HTML, and the emails go over real SMTP, tried again when the
server fails."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from partnerships.models import Application, Participant
from partnerships.services.signup import application_approve, join_token
from tests.builders import PASSWORD, join, make_coordinator_of, make_user
from tests.reminders.smtp import Inbox, SMTPServer
from tests.workspace.signup_world import fresh_limits, open_signup, questions, tasks_at_once
from workspace.views import signup as signup_views

pytestmark = pytest.mark.usefixtures("tasks_at_once", "fresh_limits")
__all__ = ["fresh_limits", "tasks_at_once"]


@pytest.fixture
def intake(db):
    return open_signup()


def page_url(intake, role: str | None = "mentee") -> str:
    url = reverse("signup:page", args=[intake.token])
    return f"{url}?role={role}" if role else url


def mentee_answers(intake, **overrides) -> dict:
    q = questions(intake)
    data = {
        "role": "mentee",
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        f"q{q['track'].pk}": "Backend",
        f"q{q['hope'].pk}": "Distributed systems, and how to review code kindly.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


PER_RESPONSE = re.compile(r'"X-CSRFToken": "[^"]*"|nonce="[^"]*"')


def link_in(message) -> str:
    [link] = re.findall(r"https?://[^/\s]+(/join/\S+/)", message.body)
    return link


def test_the_page_offers_a_role_then_asks_that_roles_questions(client, intake):
    first = client.get(page_url(intake, None))
    assert first.status_code == 200
    assert "Do you want to be a mentor or a mentee?" in first.text
    assert "Grow with a mentor." in first.text  # the programme's description
    mentee = client.get(page_url(intake, "mentee")).text
    assert "What do you hope to learn?" in mentee and "How many years" not in mentee
    mentor = client.get(page_url(intake, "mentor")).text
    assert "How many years" in mentor and "What do you hope to learn?" not in mentor


def test_a_missing_answer_keeps_everything_typed(client, intake):
    q = questions(intake)
    response = client.post(page_url(intake), mentee_answers(intake, **{f"q{q['track'].pk}": None}))
    assert response.status_code == 422
    assert "Please choose an answer" in response.text or "This field is required" in response.text
    assert 'value="Ada Lovelace"' in response.text and 'value="ada@example.org"' in response.text
    assert "how to review code kindly." in response.text
    assert not Application.objects.exists()


def test_an_option_not_offered_is_a_form_error_not_a_500(client, intake):
    q = questions(intake)
    response = client.post(
        page_url(intake), mentee_answers(intake, **{f"q{q['track'].pk}": "Nonsense"})
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.text


def test_sign_up_sends_a_confirmation_that_makes_it_count(
    client, intake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url(intake), mentee_answers(intake))
    assert response.status_code == 302
    assert response.url == reverse("signup:sent", args=[intake.token])
    assert "Check your inbox" in client.get(response.url).text
    [confirm] = mail.outbox
    link = link_in(confirm)
    assert Application.objects.get().status == "unconfirmed"
    # Opening the link (as a mail scanner would) confirms nothing; the button does.
    assert "Confirm my sign-up" in client.get(link).text
    assert Application.objects.get().status == "unconfirmed"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    assert Application.objects.get().status == "waiting"
    assert "your sign-up is confirmed" in client.get(link).text
    assert mail.outbox[-1].subject == "Your application to Spring Cohort is in"


def test_every_address_gets_the_same_answer(client, intake, django_capture_on_commit_callbacks):
    """A new address, one with an account, one already in the programme, and one that has
    applied: the same status, the same page; only the emails differ."""
    make_user("Acc Holder", email="account@example.org")
    join(intake.programme, make_user("Mo Member", email="member@example.org"), "mentee")
    seen = set()
    for email in (
        "new@example.org",
        "account@example.org",
        "member@example.org",
        "new@example.org",
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(page_url(intake), mentee_answers(intake, email=email))
        followed = client.get(response.url)
        page = PER_RESPONSE.sub("", followed.text)  # each response's own token and nonce
        seen.add((response.status_code, response.url, followed.status_code, page))
    assert len(seen) == 1
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        "Confirm your sign-up to Spring Cohort",
        "Confirm your sign-up to Spring Cohort",
        "You are already in Spring Cohort",
        "Confirm your sign-up to Spring Cohort",  # not confirmed yet: the link again
    ]
    assert "You already have an account with this address" in mail.outbox[1].body


def test_too_many_sign_ups_from_one_network_get_429(client, intake, monkeypatch):
    monkeypatch.setattr(signup_views, "PER_IP", (3, 3600))
    for n in range(3):
        response = client.post(page_url(intake), mentee_answers(intake, email=f"p{n}@example.org"))
        assert response.status_code == 302
    response = client.post(page_url(intake), mentee_answers(intake, email="p9@example.org"))
    assert response.status_code == 429
    assert "Too many sign-ups for now" in response.text
    assert Application.objects.count() == 3


def test_too_many_sign_ups_for_one_address_get_429(client, intake):
    limit = signup_views.PER_EMAIL[0]
    for _ in range(limit):
        assert client.post(page_url(intake), mentee_answers(intake)).status_code == 302
    response = client.post(page_url(intake), mentee_answers(intake, email="ADA@example.org"))
    assert response.status_code == 429
    other = client.post(page_url(intake), mentee_answers(intake, email="grace@example.org"))
    assert other.status_code == 302


def test_a_closed_sign_up_and_a_full_role_say_so(client, intake):
    intake.mentee_places = 0
    intake.save()
    full = client.get(page_url(intake, "mentee"))
    assert full.status_code == 200 and "No places left" in full.text
    roles = client.get(page_url(intake, None)).text
    assert "(every place is taken)" in roles
    assert client.post(page_url(intake), mentee_answers(intake)).status_code == 409
    intake.signup_open = False
    intake.save()
    closed = client.get(page_url(intake, None))
    assert closed.status_code == 200 and "Sign-up is closed" in closed.text
    assert client.get(reverse("signup:page", args=["not-a-real-link"])).status_code == 404


def test_question_text_is_shown_as_text(client, intake):
    q = questions(intake)["hope"]
    q.text = '<img src=x onerror="alert(1)"> What do you hope?'
    q.save()
    page = client.get(page_url(intake)).text
    assert "&lt;img src=x" in page and "<img src=x" not in page


def test_a_logged_in_person_applies_without_name_email_or_password(client, intake):
    ada = make_user("Ada Lovelace")
    client.force_login(ada)
    page = client.get(page_url(intake)).text
    assert 'name="email"' not in page and ada.email in page
    data = mentee_answers(intake, name=None, email=None)
    response = client.post(page_url(intake), data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.user, application.status) == (ada, "waiting")
    assert "Your application is <strong>waiting for a coordinator</strong>" in (
        client.get(page_url(intake)).text
    )


def test_the_approved_newcomer_sets_a_password_and_lands_on_their_profile(client, intake):
    coordinator = make_coordinator_of(intake.programme)
    application = Application.objects.create(
        programme=intake.programme, role="mentee", email="ada@example.org", name="Ada",
        status="waiting",
    )  # fmt: skip
    application = application_approve(application=application, by=coordinator)
    url = reverse("signup:welcome", args=[join_token(application)])
    mismatch = client.post(url, {"password1": "a-long-password-1", "password2": "another"})
    assert mismatch.status_code == 422 and "The two passwords are different." in mismatch.text
    response = client.post(url, {"password1": PASSWORD, "password2": PASSWORD})
    participant = Participant.objects.get(user__email="ada@example.org")
    assert response.url == reverse("people:edit", args=[participant.code])
    assert client.get(response.url).status_code == 200  # logged in
    assert client.get(url).status_code == 410  # the link is used


def test_a_bad_confirmation_link_is_a_clear_404(client, db):
    response = client.get(reverse("signup:confirm", args=["forged:token"]))
    assert response.status_code == 404 and "This link doesn" in response.text


def test_the_sign_up_pages_are_valid_html(client, intake, html_checker):
    urls = [
        page_url(intake, None),
        page_url(intake, "mentee"),
        page_url(intake, "mentor"),
        reverse("signup:sent", args=[intake.token]),
    ]
    for url in urls:
        response = client.get(url)
        assert html_checker.errors(response) == [], url
    invalid = client.post(page_url(intake), mentee_answers(intake, name=""))
    assert html_checker.errors(invalid) == []
    client.post(page_url(intake), mentee_answers(intake))
    application = Application.objects.get()
    from partnerships.services.signup import confirm_token

    confirm = client.get(reverse("signup:confirm", args=[confirm_token(application)]))
    assert html_checker.errors(confirm) == []
    application.status = "waiting"
    application.save()
    coordinator = make_coordinator_of(intake.programme)
    application = application_approve(application=application, by=coordinator)
    welcome = client.get(reverse("signup:welcome", args=[join_token(application)]))
    assert html_checker.errors(welcome) == []
    intake.signup_open = False
    intake.save()
    assert html_checker.errors(client.get(page_url(intake, None))) == []


class FailsFirst(Inbox):
    """A mail server that answers "try again later" to the first message."""

    def __init__(self):
        super().__init__()
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refused == 0:
            self.refused += 1
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


def test_the_emails_go_over_smtp_and_a_failed_send_is_tried_again(
    client, intake, settings, django_capture_on_commit_callbacks
):
    server = SMTPServer()
    server.inbox = FailsFirst()
    server.start()
    try:
        settings.MAILERS = server.mailer()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(page_url(intake), mentee_answers(intake))
        [message] = server.inbox.wait_for(1, timeout=10)
        assert server.inbox.refused == 1
        assert message["Subject"] == "Confirm your sign-up to Spring Cohort"
        assert message["To"] == "ada@example.org"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "Why you got this: someone (we hope you) signed up to Spring Cohort" in text
        assert "Confirm my sign-up</a>" in html
        [link] = re.findall(r"https?://[^/\s]+(/join/confirm/\S+/)", text)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(link)
        received = server.inbox.wait_for(2, timeout=10)[1]
        assert received["Subject"] == "Your application to Spring Cohort is in"
    finally:
        server.stop()
