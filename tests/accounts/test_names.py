"""A name is one line of text: every form that takes one refuses control characters with a
clear error (names go into email headers, calendar files and CSV rows)."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.models import Invitation
from partnerships.services.invitations import Invitee, invitation_send, invitation_token
from tests.coordinators.conftest import page

REFUSED = "A name cannot contain line breaks, tabs or other control characters."
PASSWORD = "a-long-and-unusual-passphrase"

# A carriage return, a line feed, a tab, escape, DEL, a C1 control and a line separator.
BAD_NAMES = [
    "Eve\rEND:VEVENT",
    "Eve\nBcc: x@example.org",
    "Eve\tSmith",
    "Eve\x1b[2J",
    "Eve\x7f",
    "Eve\x85Smith",
    "Eve\u2028Smith",
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_the_user_model_refuses_a_name_with_a_control_character(db, name):
    person = get_user_model()(email="eve@example.org", name=name)
    person.set_unusable_password()
    with pytest.raises(ValidationError) as refused:
        person.full_clean()
    assert refused.value.message_dict == {"name": [REFUSED]}


def test_names_from_every_script_are_welcome(db):
    for name in ("Seán O'Neill-Żółć", "李小龍", "Zoë 👩‍🔬 Kaur", "محمد"):
        person = get_user_model()(email="ok@example.org", name=name)
        person.set_unusable_password()
        person.full_clean()


def test_the_profile_refuses_a_name_with_a_line_break_and_keeps_the_old_one(client, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse("profile"), {"name": "Milo\rMentee", "time_zone": "America/New_York"}
    )
    assert response.status_code == 422
    assert REFUSED in response.text
    mentee.refresh_from_db()
    assert mentee.name == "Milo Mentee"


@pytest.fixture
def invitation(programme, coordinator):
    invitation = invitation_send(
        programme=programme,
        invitee=Invitee(email="newbie@example.org", name="Nia Newbie", role="mentee"),
        by=coordinator,
    )
    mail.outbox.clear()
    return invitation


def test_the_join_form_refuses_a_name_with_a_control_character(client, invitation):
    response = client.post(
        reverse("invitations:accept", args=[invitation_token(invitation)]),
        {"name": "Nia\x1bNewbie", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert REFUSED in response.text
    assert not get_user_model().objects.filter(email="newbie@example.org").exists()


def test_inviting_one_person_refuses_a_name_with_a_line_break(client, coordinator, programme):
    client.force_login(coordinator)
    response = client.post(
        page("invitations", programme),
        {"email": "eve@example.org", "name": "Eve\rSmith", "role": "mentee", "capacity": "1"},
    )
    assert response.status_code == 200
    assert "The name contains a line break, tab or other control character." in response.text
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_csv_with_a_control_character_in_a_name_is_refused(client, coordinator, programme):
    client.force_login(coordinator)
    content = (
        "email,name,role\n"
        'eve@example.org,"Eve\rEND:VEVENT",mentee\n'
        "tab@example.org,Tab\tby,mentee\n"
        "ok@example.org,Olu Okafor,mentee\n"
    )
    response = client.post(
        page("invitations", programme),
        {"upload": "1", "file": SimpleUploadedFile("p.csv", content.encode(), "text/csv")},
    )
    assert response.status_code == 200
    assert [str(e) for e in response.context["csv_errors"]] == [
        "Line 2: The name contains a line break, tab or other control character.",
        # The quoted line break makes Eve's row two lines of the file: Tab's starts on line 4.
        "Line 4: The name contains a line break, tab or other control character.",
    ]
    assert not Invitation.objects.exists()


def test_the_migration_puts_names_saved_before_the_rule_on_one_line(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("mentorship", "0002_recovery_codes_hashed")])
    old = executor.loader.project_state([("mentorship", "0002_recovery_codes_hashed")]).apps
    User = old.get_model("mentorship", "User")
    User.objects.create(email="eve@example.org", name="Eve\rEND:VEVENT\u2028x", password="!")
    User.objects.create(email="ada@example.org", name="Ada Lovelace", password="!")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert dict(get_user_model().objects.values_list("email", "name")) == {
        "eve@example.org": "Eve END:VEVENT x",
        "ada@example.org": "Ada Lovelace",
    }
