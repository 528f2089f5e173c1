"""A person downloads everything of theirs, and deletes their account without taking their
partner's history with them."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from partnerships import services
from partnerships.models import Activity, Feedback, Partnership, Reflection
from partnerships.services.signup import application_submit
from tests.builders import PASSWORD, make_user, today_for
from tests.workspace.signup_world import fresh_limits, open_signup, questions, tasks_at_once
from tests.workspace_world import build_world
from workspace.account_deletion import account_delete

__all__ = ["fresh_limits", "tasks_at_once"]


@pytest.fixture
def partnership_with_history(partnership, mentor, mentee):
    partnership_with_history = build_world(partnership, mentor, mentee)
    services.reflection_write(
        checkin=partnership_with_history.checkin,
        by=mentee,
        text="I froze in the meeting.",
        visibility="private",
    )
    services.reflection_write(
        checkin=partnership_with_history.checkin,
        by=mentor,
        text="Milo spoke twice!",
        visibility="shared",
    )
    later = services.checkin_start(
        partnership=partnership,
        by=mentor,
        held_on=today_for(mentor),
        agenda="",
    )
    services.reflection_write(
        checkin=later, by=mentee, text="Practising helped.", visibility="shared"
    )
    services.feedback_give(
        checkin=partnership_with_history.checkin, by=mentee, rating=5, comment="Kind and clear"
    )
    services.feedback_give(
        checkin=partnership_with_history.checkin, by=mentor, rating=4, comment="Well prepared"
    )
    partnership_with_history.later = later
    return partnership_with_history


def download(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("account_data"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="mentorship-my-data-')
    return json.loads(response.content)


def test_the_download_holds_everything_of_the_mentees(
    client, partnership_with_history, mentee, mentor, programme
):
    data = download(client, mentee)
    assert data["profile"]["email"] == mentee.email
    assert data["profile"]["name"] == "Milo Mentee"
    assert [(p["programme"], p["role"]) for p in data["participations"]] == [
        (programme.name, "mentee")
    ]
    [partnership] = data["partnerships"]
    assert (partnership["my_role"], partnership["partner"], partnership["status"]) == (
        "mentee",
        "Mara Mentor",
        "active",
    )
    assert [a["channels"] for a in partnership["agreements"]] == ["Video call"]
    # Their own goals (the mentor's learning goal is the mentor's).
    assert sorted(g["title"] for g in data["goals"]) == ["Blog", "Speak up"]
    assert [r["goal_title"] for r in data["goal_revisions_written"]] == ["Speak up"]
    assert len(data["checkins"]) == 2
    assert sorted((r["text"], r["visibility"]) for r in data["reflections"]) == [
        ("I froze in the meeting.", "private"),
        ("Practising helped.", "shared"),
    ]
    assert [(f["partner"], f["comment"]) for f in data["feedback_given"]] == [
        ("Mara Mentor", "Kind and clear")
    ]
    assert [(f["partner"], f["rating"], f["comment"]) for f in data["feedback_received"]] == [
        ("Mara Mentor", 4, "Well prepared")
    ]
    assert [s["description"] for s in data["next_steps"]] == ["Draft notes"]
    # The partner's writing is theirs, not in this file.
    assert "Milo spoke twice!" not in json.dumps(data)


def test_the_mentor_gets_their_learning_goal_and_not_the_mentees_private_notes(
    client, partnership_with_history, mentor
):
    data = download(client, mentor)
    assert [g["title"] for g in data["goals"]] == ["Coach better"]
    assert [r["text"] for r in data["reflections"]] == ["Milo spoke twice!"]
    text = json.dumps(data)
    assert "I froze in the meeting." not in text


def test_unicode_survives_the_download(client, mentee, partnership):
    mentee.name = "Mílo Ménteé مرحبا"
    mentee.save()
    assert download(client, mentee)["profile"]["name"] == "Mílo Ménteé مرحبا"


# --- deleting an account ------------------------------------------------------------------


def test_deleting_asks_for_the_password_and_keeps_it_all_on_a_wrong_one(
    client, partnership_with_history, mentee
):
    client.force_login(mentee)
    page = client.get(reverse("account_delete")).content.decode()
    assert "your <strong>private</strong> reflections are deleted" in page
    response = client.post(reverse("account_delete"), {"password": "not-mine"})
    assert response.status_code == 422
    assert "That is not your password. Nothing was deleted." in response.content.decode()
    mentee.refresh_from_db()
    assert (mentee.name, mentee.is_active) == ("Milo Mentee", True)
    assert Reflection.objects.filter(author=mentee).count() == 2


def test_deleting_anonymises_the_person_and_keeps_the_shared_history(
    client, partnership_with_history, mentee, mentor
):
    email = mentee.email
    elsewhere = Client()
    elsewhere.force_login(mentee)
    client.force_login(mentee)
    response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert "Your account is deleted" in response.content.decode()

    mentee.refresh_from_db()
    assert mentee.name == "Former participant"
    assert mentee.email.startswith("former-") and mentee.email.endswith("@deleted.invalid")
    assert (mentee.is_active, mentee.has_usable_password(), mentee.email_reminders) == (
        False,
        False,
        False,
    )
    assert not get_user_model().objects.filter(email__iexact=email).exists()
    # Private notes are gone; what was shared stays, now by "Former participant".
    assert list(Reflection.objects.filter(author=mentee).values_list("text", "visibility")) == [
        ("Practising helped.", "shared")
    ]
    assert Reflection.objects.get(author=mentor).text == "Milo spoke twice!"
    assert Feedback.objects.filter(checkin=partnership_with_history.checkin).count() == 2
    # The partnership ended without fault, and the mentor still reads it.
    partnership = Partnership.objects.get(pk=partnership_with_history.partnership.pk)
    assert (partnership.status, partnership.end_reason, partnership.end_note) == (
        "ended_early",
        "left",
        "A partner closed their account.",
    )
    assert Activity.objects.filter(partnership=partnership, verb="ended_early").count() == 1
    mentor_client = Client()
    mentor_client.force_login(mentor)
    page = mentor_client.get(
        reverse("partnerships:workspace", args=[partnership.code])
    ).content.decode()
    assert "Former participant" in page and "Milo Mentee" not in page
    # Every session of theirs has ended, and the old password no longer works.
    assert client.get("/")["Location"] == "/accounts/login/?next=/"
    assert elsewhere.get("/")["Location"] == "/accounts/login/?next=/"
    response = Client().post(reverse("login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 200
    assert "That email and password don't match." in response.content.decode()


def test_account_delete_ends_every_open_partnership_and_drops_coordinator_rights(
    programme, coordinator, mentor, mentee
):
    from tests.builders import make_partnership, make_user

    open_one = make_partnership(programme, mentor, mentee)
    proposed = make_partnership(programme, mentor, make_user("Pia Proposed"), active=False)
    account_delete(user=mentor)
    statuses = set(
        Partnership.objects.filter(pk__in=[open_one.pk, proposed.pk]).values_list(
            "status", flat=True
        )
    )
    assert statuses == {"ended_early"}

    account_delete(user=coordinator)
    coordinator.refresh_from_db()
    assert (coordinator.is_staff, list(coordinator.groups.all())) == (False, [])
    assert not programme.coordinators.filter(pk=coordinator.pk).exists()


def test_account_delete_forgets_login_records_and_invitations(programme, mentee):
    from axes.models import AccessAttempt, AccessLog

    from partnerships.models import Invitation

    seen = {"ip_address": "198.51.100.7", "user_agent": "x", "http_accept": "x",
            "path_info": "/accounts/login/", "username": mentee.email}  # fmt: skip
    AccessAttempt.objects.create(get_data="", post_data="", failures_since_start=1, **seen)
    AccessLog.objects.create(**seen)
    invitation = Invitation.objects.create(
        programme=programme, email=mentee.email.upper(), name=mentee.name, role="mentee"
    )
    old_email = mentee.email
    account_delete(user=mentee)
    assert not AccessAttempt.objects.filter(username=old_email).exists()
    assert not AccessLog.objects.filter(username=old_email).exists()
    invitation.refresh_from_db()
    assert (invitation.name, invitation.email.endswith("@deleted.invalid")) == (
        "Former participant",
        True,
    )


@pytest.mark.usefixtures("tasks_at_once", "fresh_limits")
def test_the_download_holds_the_persons_applications_and_their_answers(client, db):
    intake = open_signup()
    q = questions(intake)
    ada = make_user("Ada Lovelace")
    application_submit(
        intake=intake,
        role="mentee",
        name=ada.name,
        email=ada.email,
        answers={q["track"].pk: "Data", q["hope"].pk: "Lead a team"},
        user=ada,
    )
    application_submit(
        intake=intake,
        role="mentee",
        name="Someone Else",
        email="someone.else@example.org",
        answers={q["track"].pk: "Frontend", q["hope"].pk: "Their own words"},
    )
    [application] = download(client, ada)["applications"]
    assert application["programme"] == "Spring Cohort"
    assert application["role"] == "mentee"
    assert application["answers"] == [
        {"question": "Which track?", "answer": "Data"},
        {"question": "What do you hope to learn?", "answer": "Lead a team"},
    ]
