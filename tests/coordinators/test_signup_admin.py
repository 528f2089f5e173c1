"""Sign-up in the admin: the settings and questions on the programme's page (with the link
to share; hostile question definitions refused), applications approved or declined with a
message by the programme's own coordinators, answers shown to them only, and the
dashboard's count of sign-ups waiting."""

import pytest
from django.core import mail
from django.urls import reverse

from partnerships.models import Application, ApplicationAnswer, Participant, SignupQuestion
from tests.coordinators.test_form_scope import page_form, with_new_row
from tests.workspace.signup_world import open_signup, questions, tasks_at_once

__all__ = ["tasks_at_once"]


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.REQUIRE_2FA_FOR_STAFF = False


@pytest.fixture
def intake(programme):
    return open_signup(programme)


@pytest.fixture
def application(intake):
    application = Application.objects.create(
        programme=intake.programme, role="mentee", email="ada@example.org",
        name="Ada Applicant", status="waiting",
    )  # fmt: skip
    ApplicationAnswer.objects.create(
        application=application, question=questions(intake)["hope"], text="Kind code review"
    )
    ApplicationAnswer.objects.create(
        application=application, question=questions(intake)["track"], choices=["Data"]
    )
    return application


def changelist() -> str:
    return reverse("admin:partnerships_application_changelist")


def act(client, action: str, application, **extra):
    return client.post(
        changelist(), {"action": action, "_selected_action": [application.pk], **extra}
    )


def test_the_programmes_page_shows_the_link_to_share(client, coordinator, intake):
    client.force_login(coordinator)
    page = client.get(reverse("admin:partnerships_programme_change", args=[intake.programme.pk]))
    assert f"/join/{intake.token}/" in page.text
    assert "Which track?" in page.text  # the questions, on the same page


@pytest.mark.usefixtures("tasks_at_once")
def test_the_coordinator_approves_and_the_applicant_joins(
    client, coordinator, application, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, "approve", application)
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.decided_by) == ("approved", coordinator)
    assert Participant.objects.get(user__email="ada@example.org").role == "mentee"
    assert mail.outbox[-1].subject == f"Welcome to {application.programme}"


@pytest.mark.usefixtures("tasks_at_once")
def test_decline_asks_for_a_message_then_sends_it(
    client, coordinator, application, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    form = act(client, "decline", application)
    assert form.status_code == 200
    assert "Message to the applicants" in form.text and "Ada Applicant" in form.text
    with django_capture_on_commit_callbacks(execute=True):
        act(client, "decline", application, apply="1", message="Our places went fast, sorry.")
    application.refresh_from_db()
    assert (application.status, application.decision_message) == (
        "declined",
        "Our places went fast, sorry.",
    )
    assert "Our places went fast, sorry." in mail.outbox[-1].body


def test_answers_show_to_the_programmes_coordinators_only(
    client, coordinator, other_coordinator, application
):
    url = reverse("admin:partnerships_application_change", args=[application.pk])
    client.force_login(coordinator)
    page = client.get(url)
    assert page.status_code == 200 and "Kind code review" in page.text and "Data" in page.text
    client.force_login(other_coordinator)
    elsewhere = client.get(url, follow=True)
    assert "Kind code review" not in elsewhere.text
    assert "Ada Applicant" not in client.get(changelist()).text


def test_another_programmes_coordinator_cannot_approve_or_decline(
    client, other_coordinator, application
):
    client.force_login(other_coordinator)
    for action, extra in (("approve", {}), ("decline", {"apply": "1", "message": "no"})):
        response = act(client, action, application, **extra)
        assert response.status_code in (200, 302)
        application.refresh_from_db()
        assert application.status == "waiting" and application.decision_message == ""
    assert not Participant.objects.filter(user__email="ada@example.org").exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ("\n".join(f"Option {n}" for n in range(21)), "A choice needs 2 to 20 options"),
        ("", "A choice needs 2 to 20 options"),
        ("Only one", "A choice needs 2 to 20 options"),
        ("Same\nsame", "Each option once"),
        ("Fine\n" + "x" * 101, "Keep each option to 100 characters"),
        ("x\n" * 5000, "Ensure this value has at most"),
    ],
)
def test_hostile_question_definitions_are_refused(client, coordinator, intake, options, problem):
    client.force_login(coordinator)
    url = reverse("admin:partnerships_programme_change", args=[intake.programme.pk])
    data = page_form(client.get(url), url)
    row = int(data["signup_questions-TOTAL_FORMS"])
    data = with_new_row(data, "signup_questions", row)
    for name in [k for k in data if k.startswith("signup_questions-") and "-" in k[17:]]:
        if name.endswith(("-required", "-is_criterion")):
            del data[name]  # the form parser ticks every box; these stay unticked
    data.update({
        f"signup_questions-{row}-text": "<b>Pick</b>", f"signup_questions-{row}-kind": "one",
        f"signup_questions-{row}-options": options,
    })  # fmt: skip
    before = SignupQuestion.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200
    assert problem in response.text
    assert SignupQuestion.objects.count() == before


def test_the_dashboard_counts_sign_ups_waiting(client, coordinator, application):
    client.force_login(coordinator)
    page = client.get(
        reverse("admin:partnerships_programme_dashboard", args=[application.programme.pk])
    )
    assert "sign-up waiting" in page.text
    link = (
        f"{changelist()}?programme__id__exact={application.programme.pk}&amp;status__exact=waiting"
    )
    assert link in page.text
    listed = client.get(link.replace("&amp;", "&"))
    assert listed.status_code == 200 and "Ada Applicant" in listed.text


def test_the_application_list_costs_the_same_queries_for_1_or_30(client, coordinator, intake):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(changelist()).status_code == 200
        return len(captured)

    def apply(n: int) -> None:
        Application.objects.create(
            programme=intake.programme, role="mentee", email=f"p{n}@example.org",
            name=f"Person {n}", status="waiting",
        )  # fmt: skip

    apply(0)
    one = queries()
    for n in range(1, 30):
        apply(n)
    assert queries() == one
