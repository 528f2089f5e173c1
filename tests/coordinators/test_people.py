"""Coordinators read the people of their programmes and change nobody's credentials or
identity: no password set or unset, no email change, no access flags, no new accounts
(people join through invitations). Superusers keep the accounts' pages."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from coordinators.group import COORDINATORS_GROUP, ensure_coordinators_group
from tests.builders import PASSWORD, make_coordinator_of, make_user

User = get_user_model()


@pytest.fixture
def superuser(db):
    return make_user("Sue Super", is_staff=True, is_superuser=True)


def password_url(person) -> str:
    return reverse("admin:auth_user_password_change", args=[person.pk])


@pytest.mark.parametrize("whose", ["own mentee", "other programme's mentee", "nobody"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_no_coordinator_opens_a_password_page(
    as_coordinator, partnership, other_partnership, whose, method
):
    person = {
        "own mentee": partnership.mentee.user,
        "other programme's mentee": other_partnership.mentee.user,
        "nobody": User(pk=999_999),
    }[whose]
    data = {"password1": "Hijacked-123456", "password2": "Hijacked-123456",
            "usable_password": "true", "set-password": "1"}  # fmt: skip
    response = getattr(as_coordinator, method)(password_url(person), data)
    # Refused before the person is looked up: the same answer for everyone.
    assert response.status_code == 403
    if person.pk != 999_999:
        person.refresh_from_db()
        assert person.check_password(PASSWORD)


def test_no_coordinator_unsets_a_password(as_coordinator, partnership):
    mentee = partnership.mentee.user
    response = as_coordinator.post(
        password_url(mentee), {"usable_password": "false", "unset-password": "1"}
    )
    assert response.status_code == 403
    mentee.refresh_from_db()
    assert mentee.has_usable_password()


def test_a_coordinator_reads_a_person_but_changes_nothing(as_coordinator, partnership):
    mentee = partnership.mentee.user
    url = reverse("admin:mentorship_user_change", args=[mentee.pk])
    page = as_coordinator.get(url)
    assert page.status_code == 200
    assert page.context["title"] == "View user"  # read-only
    assert mentee.email in page.content.decode()
    assert password_url(mentee) not in page.content.decode()
    response = as_coordinator.post(
        url,
        {"email": "attacker@example.org", "name": "Taken", "time_zone": "UTC",
         "is_active": "", "is_staff": "on", "is_superuser": "on"},
    )  # fmt: skip
    assert response.status_code == 403
    mentee.refresh_from_db()
    assert (mentee.email, mentee.name, mentee.is_active, mentee.is_staff) == (
        partnership.mentee.user.email,
        "Milo Mentee",
        True,
        False,
    )


def test_no_coordinator_adds_or_deletes_a_person(as_coordinator, partnership):
    add = reverse("admin:mentorship_user_add")
    assert as_coordinator.get(add).status_code == 403
    response = as_coordinator.post(
        add,
        {"email": "new@example.org", "name": "New", "time_zone": "UTC",
         "usable_password": "true", "password1": "Hijacked-123456",
         "password2": "Hijacked-123456"},
    )  # fmt: skip
    assert response.status_code == 403
    assert not User.objects.filter(email="new@example.org").exists()
    mentee = partnership.mentee.user
    delete = reverse("admin:mentorship_user_delete", args=[mentee.pk])
    assert as_coordinator.post(delete, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=mentee.pk).exists()


def test_a_coordinator_given_the_permissions_still_changes_nobody(
    as_coordinator, coordinator, partnership
):
    coordinator.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_user", "change_user", "delete_user"])
    )
    mentee = partnership.mentee.user
    assert as_coordinator.get(password_url(mentee)).status_code == 403
    url = reverse("admin:mentorship_user_change", args=[mentee.pk])
    assert as_coordinator.post(url, {"email": "attacker@example.org"}).status_code == 403
    assert as_coordinator.get(reverse("admin:mentorship_user_add")).status_code == 403


def test_the_coordinators_group_reads_people_only(db):
    group = ensure_coordinators_group()
    assert group.name == COORDINATORS_GROUP
    assert sorted(group.permissions.filter(content_type__model="user").values_list(
        "codename", flat=True
    )) == ["view_user"]  # fmt: skip


def test_a_coordinator_lists_the_people_of_their_programmes_only(
    as_coordinator, coordinator, programme, partnership, other_partnership, outsider
):
    fellow = make_coordinator_of(programme, "Fay Fellow")
    response = as_coordinator.get(reverse("admin:mentorship_user_changelist"))
    assert set(response.context["cl"].queryset) == {
        coordinator,
        fellow,
        partnership.mentor.user,
        partnership.mentee.user,
    }  # not Olga (in no programme) nor the other programme's people


def test_a_superuser_still_sets_a_password(client, superuser, partnership):
    client.force_login(superuser)
    mentee = partnership.mentee.user
    assert client.get(password_url(mentee)).status_code == 200
    response = client.post(
        password_url(mentee),
        {"usable_password": "true", "password1": "Another-pass-8765",
         "password2": "Another-pass-8765", "set-password": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.check_password("Another-pass-8765")


def test_a_coordinator_does_not_open_the_second_factor_admin(as_coordinator):
    assert as_coordinator.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 403
