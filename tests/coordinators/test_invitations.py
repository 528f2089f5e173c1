"""Getting people in: one invitation, a CSV of many (all or nothing), and the signed link."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from partnerships.models import CoordinatorAction, Invitation, Participant
from partnerships.services.invitations import Invitee, invitation_send, invitation_token
from tests.builders import PASSWORD, join
from tests.coordinators.conftest import page

GOOD_CSV = (
    "email,name,role,interests,capacity\n"
    'ada@example.org,Ada Lovelace,mentor,"python, leadership",2\n'
    'sam@example.org,Sam Lee,mentee,"python, career change",\n'
)
NEW_PASSWORD = "a-long-and-unusual-passphrase"


def upload(client, programme, content: bytes | str, name="people.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = content.encode() if isinstance(content, str) else content
    return client.post(
        page("invitations", programme),
        {"upload": "1", "file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def link_in(message) -> str:
    [line] = [line for line in message.body.splitlines() if "/invitations/" in line]
    return line.strip().removeprefix("http://127.0.0.1:8000")


# --- one at a time ---------------------------------------------------------------------


def test_inviting_one_person_sends_a_link(as_coordinator, programme, coordinator):
    response = as_coordinator.post(
        page("invitations", programme),
        {"email": "Ada@Example.org", "name": "Ada", "role": "mentor", "capacity": "2"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.capacity) == (
        "ada@example.org",
        "mentor",
        2,
    )
    [message] = mail.outbox
    assert message.to == ["ada@example.org"]
    assert message.subject == "You're invited to Spring Cohort as a mentor"
    assert "Cora Coordinator has invited you" in message.body
    assert link_in(message).startswith("/invitations/")
    assert CoordinatorAction.objects.get().summary == "invited ada@example.org as mentor"


def test_inviting_again_sends_a_new_link_and_the_old_one_stops_working(
    client, as_coordinator, programme
):
    as_coordinator.post(
        page("invitations", programme),
        {"email": "a@example.org", "name": "A", "role": "mentee", "capacity": "1"},
    )
    invitation = Invitation.objects.get()
    as_coordinator.post(page("invitations", programme), {"resend": str(invitation.code)})
    invitation.refresh_from_db()
    assert invitation.sent_count == 2
    first, second = (link_in(m) for m in mail.outbox)
    client.logout()
    assert client.get(first).status_code == 410
    assert "A newer invitation was sent" in client.get(first).content.decode()
    assert client.get(second).status_code == 200


def test_someone_already_in_the_programme_is_not_invited(as_coordinator, programme, mentor):
    join(programme, mentor, "mentor")
    response = as_coordinator.post(
        page("invitations", programme),
        {"email": mentor.email, "name": "Mara", "role": "mentor", "capacity": "1"},
    )
    assert response.status_code == 200
    assert f"{mentor.email} is already in this programme." in response.content.decode()
    assert not Invitation.objects.exists()


# --- CSV ----------------------------------------------------------------------------------


def test_a_good_csv_invites_everyone(as_coordinator, programme):
    response = upload(as_coordinator, programme, GOOD_CSV)
    assert response.status_code == 302
    assert list(
        Invitation.objects.order_by("email").values_list("email", "role", "interests", "capacity")
    ) == [
        ("ada@example.org", "mentor", "python, leadership", 2),
        ("sam@example.org", "mentee", "python, career change", 1),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "sam@example.org"]
    assert CoordinatorAction.objects.get().summary == "invited 2 people from a CSV file"


def test_a_csv_from_excel_with_a_byte_order_mark_and_mentor_capacity_header(
    as_coordinator, programme
):
    content = "\ufeffEmail,Name,Role,Mentor capacity\r\nx@example.org,X,Mentor,3\r\n"
    assert upload(as_coordinator, programme, content.encode("utf-8")).status_code == 302
    assert Invitation.objects.get().capacity == 3


def errors_for(client, programme, content):
    response = upload(client, programme, content)
    assert response.status_code == 200
    assert "Nothing was imported." in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    return [str(error) for error in response.context["csv_errors"]]


def test_a_csv_in_the_wrong_encoding_is_refused(as_coordinator, programme):
    content = "email,name,role\nzoe@example.org,Zoë Ünal,mentee\n".encode("latin-1")
    assert errors_for(as_coordinator, programme, content) == [
        "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” "
        "and upload it again."
    ]


def test_a_csv_with_a_missing_column_is_refused(as_coordinator, programme):
    content = "email,name\nzoe@example.org,Zoe\n"
    assert errors_for(as_coordinator, programme, content) == ["Line 1: Missing column: role."]


def test_a_csv_with_a_duplicate_email_is_refused(as_coordinator, programme):
    content = "email,name,role\nzoe@example.org,Zoe,mentee\nZOE@example.org,Zoe again,mentee\n"
    assert errors_for(as_coordinator, programme, content) == [
        "Line 3: zoe@example.org is also on line 2."
    ]


def test_a_csv_with_an_unknown_role_is_refused(as_coordinator, programme):
    content = "email,name,role\nzoe@example.org,Zoe,coach\n"
    assert errors_for(as_coordinator, programme, content) == [
        "Line 2: Unknown role “coach”: use mentor or mentee."
    ]


def test_a_csv_with_an_invalid_email_is_refused(as_coordinator, programme):
    content = "email,name,role\nnot-an-email,Zoe,mentee\n"
    assert errors_for(as_coordinator, programme, content) == [
        "Line 2: “not-an-email” is not a valid email address."
    ]


def test_every_bad_row_is_reported_and_the_good_rows_wait(as_coordinator, programme):
    content = (
        "email,name,role,capacity\n"
        "good@example.org,Good,mentor,2\n"
        "bad,Bad,mentee,\n"
        "odd@example.org,,mentor,lots\n"
        "good@example.org,Good twice,mentor,1\n"
    )
    assert errors_for(as_coordinator, programme, content) == [
        "Line 3: “bad” is not a valid email address.",
        "Line 4: Capacity “lots” is not a whole number.",
        "Line 4: The name is empty.",
        "Line 5: good@example.org is also on line 2.",
    ]


def test_a_csv_with_a_cell_too_long_to_read_is_refused(as_coordinator, programme):
    content = "email,name,role\nzoe@example.org," + "x" * 200_000 + ",mentee\n"
    assert errors_for(as_coordinator, programme, content) == [
        "Line 2: A cell is longer than 131,072 characters, far more than a name, an email or "
        "interests: is this the right file?"
    ]


def test_a_csv_over_two_megabytes_is_refused_without_reading_it_all(
    as_coordinator, programme, monkeypatch
):
    from coordinators.admin import invitations as view

    given = []
    read_invitees = view.read_invitees
    monkeypatch.setattr(
        view, "read_invitees", lambda p, data: given.append(len(data)) or read_invitees(p, data)
    )
    content = b"email,name,role\n" + b"x@example.org,X,mentee\n" * 200_000  # 4.6 MB
    assert errors_for(as_coordinator, programme, content) == [
        "The file is larger than 2 MB; split it into smaller files."
    ]
    assert given == [2 * 1024 * 1024 + 1]


LONG_EMAIL = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".org"  # valid, but 308 characters


def test_a_csv_with_values_the_invitation_cannot_hold_is_refused(as_coordinator, programme):
    content = (
        "email,name,role,interests,capacity\n"
        f"{LONG_EMAIL},Long Email,mentee,,\n"
        f"name@example.org,{'n' * 151},mentee,,\n"
        f"interests@example.org,Ines,mentee,{'i' * 501},\n"
        "nul@example.org,Nu\x00l,mentee,py\x00thon,\n"
        "busy@example.org,Bea Busy,mentor,,21\n"
    )
    assert errors_for(as_coordinator, programme, content) == [
        "Line 2: The email address is longer than 254 characters.",
        "Line 3: The name is longer than 150 characters.",
        "Line 4: The list of interests is longer than 500 characters.",
        "Line 5: The name contains a NUL character.",
        "Line 5: The list of interests contains a NUL character.",
        "Line 6: A mentor's capacity is from 1 to 20.",
    ]


def test_an_email_too_long_to_store_is_refused_when_inviting_one_person(as_coordinator, programme):
    response = as_coordinator.post(
        page("invitations", programme),
        {"email": LONG_EMAIL, "name": "Lou", "role": "mentee", "capacity": "1"},
    )
    assert response.status_code == 200
    assert "The email address is longer than 254 characters." in response.text
    assert not Invitation.objects.exists()


# --- links ----------------------------------------------------------------------------------


@pytest.fixture
def invitation(programme, coordinator):
    invitation = invitation_send(
        programme=programme,
        invitee=Invitee(email="newbie@example.org", name="Nia Newbie", role="mentee"),
        by=coordinator,
    )
    mail.outbox.clear()
    return invitation


def accept_url(invitation) -> str:
    return reverse("invitations:accept", args=[invitation_token(invitation)])


def test_a_valid_link_lets_a_new_person_set_a_password_and_join(client, invitation, programme):
    url = accept_url(invitation)
    page_ = client.get(url)
    assert page_.status_code == 200
    assert "Join Spring Cohort" in page_.content.decode()
    response = client.post(
        url, {"name": "Nia N.", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="newbie@example.org")
    assert user.name == "Nia N."
    assert user.check_password(NEW_PASSWORD)
    participant = Participant.objects.get(user=user)
    assert (participant.programme, participant.role) == (programme, "mentee")
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert client.get("/").context["user"] == user  # logged in


def test_a_weak_or_mismatched_password_is_refused(client, invitation):
    response = client.post(
        accept_url(invitation), {"name": "Nia", "password1": "short", "password2": "short"}
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    response = client.post(
        accept_url(invitation),
        {"name": "Nia", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )
    assert "The two passwords are different." in response.content.decode()
    assert not get_user_model().objects.filter(email="newbie@example.org").exists()


def test_an_expired_link_is_refused(client, invitation):
    url = accept_url(invitation)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=15)
    with time_machine.travel(later):
        response = client.get(url)
        assert response.status_code == 410
        assert "This invitation link has expired." in response.content.decode()
        client.post(url, {"name": "N", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert not get_user_model().objects.filter(email="newbie@example.org").exists()


def test_a_tampered_link_is_refused(client, invitation):
    token = invitation_token(invitation)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    url = reverse("invitations:accept", args=[tampered])
    response = client.get(url)
    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()
    client.post(url, {"name": "N", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert not get_user_model().objects.filter(email="newbie@example.org").exists()


def test_a_used_link_is_refused(client, invitation):
    url = accept_url(invitation)
    client.post(url, {"name": "Nia", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()
    response = client.get(url)
    assert response.status_code == 410
    assert "This invitation has already been used." in response.content.decode()
    assert Participant.objects.filter(user__email="newbie@example.org").count() == 1


def test_someone_with_an_account_logs_in_and_joins(client, programme, coordinator, outsider):
    invitation = invitation_send(
        programme=programme,
        invitee=Invitee(email=outsider.email, name="Olga", role="mentor", capacity=2),
        by=coordinator,
    )
    url = accept_url(invitation)
    assert client.get(url).status_code == 403  # not logged in: log in first
    client.force_login(outsider)
    assert client.post(url).status_code == 302
    participant = Participant.objects.get(user=outsider)
    assert (participant.role, participant.capacity) == ("mentor", 2)
    assert outsider.check_password(PASSWORD)  # their password is untouched


# --- scoping ------------------------------------------------------------------------------


def test_a_coordinator_of_another_programme_can_neither_see_nor_invite(
    as_other_coordinator, programme
):
    url = page("invitations", programme)
    assert as_other_coordinator.get(url).status_code == 404
    response = as_other_coordinator.post(
        url, {"email": "x@example.org", "name": "X", "role": "mentee", "capacity": "1"}
    )
    assert response.status_code == 404
    assert upload(as_other_coordinator, programme, GOOD_CSV).status_code == 404
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_the_invitation_list_shows_only_the_coordinators_programmes(
    as_other_coordinator, invitation
):
    response = as_other_coordinator.get(reverse("admin:partnerships_invitation_changelist"))
    assert response.status_code == 200
    assert "newbie@example.org" not in response.content.decode()
