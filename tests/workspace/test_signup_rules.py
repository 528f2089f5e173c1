"""Sign-up's rules, through the services: an application counts once its address is
confirmed; places per role close sign-up; approval makes the person a participant (their
account, or a new one without a password) and puts their matching answers on their
profile, where the matching score counts them; a decline carries the coordinator's words;
only the programme's coordinators decide."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from partnerships.matching import criteria_for, score
from partnerships.models import Application, Notification, Participant, ProfileAnswer, Reminder
from partnerships.services.signup import (
    SignupClosed,
    application_approve,
    application_confirm,
    application_decline,
    application_from_join_token,
    application_submit,
    join_token,
    open_roles,
)
from tests.builders import join, make_coordinator_of, make_user
from tests.workspace.signup_world import fresh_limits, open_signup, questions, tasks_at_once

pytestmark = pytest.mark.usefixtures("tasks_at_once", "fresh_limits")
__all__ = ["fresh_limits", "tasks_at_once"]


def submit(intake, email="ada@example.org", role="mentee", track="Backend", **extra):
    q = questions(intake)
    answers = {q["track"].pk: track, q["hope"].pk: "Distributed systems"}
    if role == "mentor":
        answers = {q["track"].pk: track, q["years"].pk: "12"}
    return application_submit(
        intake=intake,
        role=role,
        name=extra.pop("name", "Ada Lovelace"),
        email=email,
        answers=answers,
        **extra,
    ).application


@pytest.fixture
def intake(db):
    return open_signup()


def test_an_application_counts_only_once_its_address_is_confirmed(
    intake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(intake)
    assert application.status == "unconfirmed"
    assert [m.subject for m in mail.outbox] == ["Confirm your sign-up to Spring Cohort"]
    with django_capture_on_commit_callbacks(execute=True):
        application = application_confirm(application=application)
    assert application.status == "waiting" and application.confirmed_at is not None
    assert mail.outbox[-1].subject == "Your application to Spring Cohort is in"
    answers = {a.question.text: a.display for a in application.answers.all()}
    assert answers == {
        "Which track?": "Backend",
        "What do you hope to learn?": "Distributed systems",
    }


def test_a_required_answer_missing_or_an_option_not_offered_is_refused(intake):
    q = questions(intake)
    with pytest.raises(ValidationError) as missing:
        application_submit(
            intake=intake, role="mentee", name="Ada", email="ada@example.org", answers={}
        )
    assert missing.value.message_dict == {q["track"].pk: ["Please choose an answer."]}
    with pytest.raises(ValidationError):
        submit(intake, track="<script>alert(1)</script>")
    assert not Application.objects.exists()


def test_places_per_role_close_that_role_when_taken(intake, django_capture_on_commit_callbacks):
    intake.mentee_places = 1
    intake.save()
    first = submit(intake, email="first@example.org")
    second = submit(intake, email="second@example.org")  # unconfirmed ones take no place
    application_confirm(application=first)
    assert open_roles(intake) == ["mentor"]
    with pytest.raises(SignupClosed) as closed:
        submit(intake, email="third@example.org")
    assert closed.value.kind == "full"
    with pytest.raises(SignupClosed):  # confirming after the last place went: refused
        application_confirm(application=second)
    second.refresh_from_db()
    assert second.status == "unconfirmed"
    submit(intake, email="mentor@example.org", role="mentor")  # mentors still may


def test_closed_sign_up_and_a_role_not_offered_are_refused(intake):
    intake.roles = "mentee"
    intake.save()
    with pytest.raises(SignupClosed) as role:
        submit(intake, role="mentor")
    assert role.value.kind == "role"
    intake.signup_open = False
    intake.save()
    with pytest.raises(SignupClosed) as closed:
        submit(intake)
    assert closed.value.kind == "closed"


def test_approval_makes_a_new_person_a_participant_who_sets_a_password(
    intake, django_capture_on_commit_callbacks
):
    coordinator = make_coordinator_of(intake.programme)
    application = application_confirm(application=submit(intake))
    with django_capture_on_commit_callbacks(execute=True):
        application = application_approve(application=application, by=coordinator)
    person = application.user
    assert person.email == "ada@example.org" and not person.has_usable_password()
    participant = Participant.objects.get(programme=intake.programme, user=person)
    assert participant.role == "mentee" and application.participant == participant
    # The matching answer is on the profile; the free text stays on the application.
    [answer] = ProfileAnswer.objects.filter(participant=participant)
    assert (answer.question.text, answer.choices) == ("Which track?", ["Backend"])
    approved = mail.outbox[-1]
    assert approved.subject == "Welcome to Spring Cohort"
    assert "/join/welcome/" in approved.body and "Set my password and join" in approved.body
    # The join link works until the password is set.
    token = join_token(application)
    assert application_from_join_token(token) == application
    person.set_password("a-new-long-password-1")
    person.save()
    with pytest.raises(Exception, match="used"):
        application_from_join_token(token)


def test_approval_of_an_existing_account_joins_it_without_a_new_password(
    intake, django_capture_on_commit_callbacks
):
    coordinator = make_coordinator_of(intake.programme)
    ada = make_user("Ada Lovelace", email="ada@example.org")
    application = application_confirm(application=submit(intake, email="ADA@example.org"))
    assert application.user == ada  # the address is proven: the account is hers
    with django_capture_on_commit_callbacks(execute=True):
        application_approve(application=application, by=coordinator)
    assert Participant.objects.get(programme=intake.programme, user=ada).role == "mentee"
    ada.refresh_from_db()
    assert ada.has_usable_password()
    assert "/join/welcome/" not in mail.outbox[-1].body
    # She also sees the decision in the app (the email above already told her: no second).
    [seen] = Notification.objects.filter(recipient=ada)
    assert (seen.kind, seen.actor, seen.summary) == (
        "application",
        coordinator,
        "approved your application to join as a mentee",
    )
    assert not Reminder.objects.filter(recipient=ada).exists()


def test_a_logged_in_account_applies_without_confirming(intake):
    ada = make_user("Ada Lovelace")
    application = submit(intake, email="someone-else@example.org", user=ada)
    assert (application.email, application.status) == (ada.email, "waiting")


def test_auto_approval_by_the_programmes_setting(intake, django_capture_on_commit_callbacks):
    intake.auto_approve = True
    intake.save()
    with django_capture_on_commit_callbacks(execute=True):
        application = application_confirm(application=submit(intake))
    assert application.status == "approved" and application.decided_by is None
    assert mail.outbox[-1].subject == "Welcome to Spring Cohort"


def test_a_decline_sends_the_coordinators_message(intake, django_capture_on_commit_callbacks):
    coordinator = make_coordinator_of(intake.programme)
    application = application_confirm(application=submit(intake))
    with django_capture_on_commit_callbacks(execute=True):
        application_decline(
            application=application, by=coordinator, message="We're full; try in spring <3"
        )
    declined = mail.outbox[-1]
    assert "We're full; try in spring <3" in declined.body  # the text part, as written
    assert "try in spring &lt;3" in declined.alternatives[0].content  # the HTML, escaped
    assert not Participant.objects.filter(programme=intake.programme).exists()


def test_another_programmes_coordinator_cannot_decide(intake, other_coordinator):
    application = application_confirm(application=submit(intake))
    with pytest.raises(PermissionDenied):
        application_approve(application=application, by=other_coordinator)
    with pytest.raises(PermissionDenied):
        application_decline(application=application, by=other_coordinator, message="no")
    application.refresh_from_db()
    assert application.status == "waiting" and not Participant.objects.exists()


def test_only_a_waiting_application_is_decided(intake):
    coordinator = make_coordinator_of(intake.programme)
    application = submit(intake)
    with pytest.raises(ValidationError):
        application_approve(application=application, by=coordinator)


def test_the_same_address_again_changes_nothing_and_is_told_by_email(
    intake, django_capture_on_commit_callbacks
):
    application = application_confirm(application=submit(intake))
    with django_capture_on_commit_callbacks(execute=True):
        again = submit(intake, email="Ada@Example.org", role="mentor", name="Someone Else")
    assert again.pk == application.pk
    application.refresh_from_db()
    assert (application.role, application.name) == ("mentee", "Ada Lovelace")
    assert mail.outbox[-1].subject == "You have already signed up to Spring Cohort"
    assert Application.objects.count() == 1


def test_an_address_already_in_the_programme_is_told_by_email(
    intake, django_capture_on_commit_callbacks
):
    member = make_user("Mo Member", email="mo@example.org")
    join(intake.programme, member, "mentee")
    with django_capture_on_commit_callbacks(execute=True):
        submit(intake, email="mo@example.org")
    assert not Application.objects.exists()
    assert mail.outbox[-1].subject == "You are already in Spring Cohort"


def test_same_answers_to_a_matching_question_count_in_the_score_and_reasons(
    intake, django_capture_on_commit_callbacks
):
    coordinator = make_coordinator_of(intake.programme)
    for email, role, track in [
        ("mentee@example.org", "mentee", "Data"),
        ("alike@example.org", "mentor", "Data"),
        ("other@example.org", "mentor", "Frontend"),
    ]:
        application = application_confirm(
            application=submit(intake, email=email, role=role, track=track)
        )
        application_approve(application=application, by=coordinator)
    people = {p.user.email: p for p in Participant.objects.filter(programme=intake.programme)}
    criteria = criteria_for(intake.programme)
    mentee = people["mentee@example.org"]
    alike = score(
        mentee, people["alike@example.org"], places_left=1, paired_before=False, criteria=criteria
    )
    other = score(
        mentee, people["other@example.org"], places_left=1, paired_before=False, criteria=criteria
    )
    assert alike.score - other.score == 5
    assert "Same answer to “Which track?”: Data" in alike.reasons
    assert not any("Which track" in reason for reason in other.reasons)


def test_closing_the_account_removes_the_address_name_and_answers_of_sign_ups(intake):
    from workspace.account_deletion import account_delete

    ada = make_user("Ada Lovelace", email="ada@example.org")
    application = application_confirm(application=submit(intake))
    account_delete(user=ada)
    application.refresh_from_db()
    assert application.email.endswith("@deleted.invalid") and "Ada" not in application.name
    assert not application.answers.exists()
