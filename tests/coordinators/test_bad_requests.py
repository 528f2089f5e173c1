"""Malformed requests that Django's admin itself turned into server errors, each answered
clearly instead. Found by tests/security/test_bad_input_admin.py; one exact case each here."""

import pytest
from django.urls import reverse

from tests.security.forms import FormParser


def forms_on_page(response, url):
    parser = FormParser(url)
    parser.feed(response.content.decode())
    return parser.forms


@pytest.mark.parametrize(
    "url",
    [
        "/admin/partnerships/partnership/?status=%00",
        "/admin/partnerships/activity/?verb=a%00b",
        "/admin/mentorship/user/?name=%00",
        "/admin/autocomplete/?app_label=partnerships&model_name=partnership"
        "&field_name=mentor&term=%00",
    ],
)
def test_a_nul_character_in_a_filter_or_search_is_refused_with_a_message(as_coordinator, url):
    response = as_coordinator.get(url)
    assert response.status_code == 400
    assert "not in a form we can read" in response.text


@pytest.mark.parametrize(
    ("changelist", "action"),
    [
        ("/admin/partnerships/participant/", "delete_selected"),
        ("/admin/partnerships/partnership/", "pause"),
        ("/admin/partnerships/reminder/", "resend_failed"),
        ("/admin/partnerships/invitation/", "send_again"),
    ],
)
@pytest.mark.parametrize("selected", ["abc", "", "1.5", "\x00"])
def test_an_action_on_something_that_is_not_an_id_changes_nothing_and_says_so(
    as_coordinator, partnership, changelist, action, selected
):
    data = {"action": action, "_selected_action": [selected], "index": "0"}
    response = as_coordinator.post(changelist, data, follow=True)
    assert response.redirect_chain == [(changelist, 302)]
    assert "The selection was not understood. No items have been changed." in response.text
    partnership.refresh_from_db()
    assert partnership.status == "active"


@pytest.mark.parametrize("page", ["change", "delete"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_empty_to_field_is_the_same_as_none(as_coordinator, partnership, page, method):
    url = reverse(f"admin:partnerships_participant_{page}", args=[partnership.mentee.pk])
    response = getattr(as_coordinator, method)(f"{url}?_to_field=")
    assert response.status_code == 200
    assert partnership.mentee.user.name in response.text


@pytest.mark.parametrize("junk", ["abc", " ", "1.5", "99999999999999999999"])
def test_a_person_picker_posted_something_that_is_not_an_id_says_so(
    as_coordinator, programme, junk
):
    # The mentor and mentee fields search as you type (autocomplete); a tampered post.
    url = reverse("admin:partnerships_partnership_add")
    data = {"programme": programme.pk, "mentor": junk, "mentee": junk}
    response = as_coordinator.post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice." in response.text


def test_a_person_picker_in_an_inline_posted_something_that_is_not_an_id_says_so(
    as_coordinator, partnership
):
    url = reverse("admin:partnerships_programme_change", args=[partnership.programme.pk])
    page = as_coordinator.get(url)
    [form] = [f for f in forms_on_page(page, url) if "participants-0-user" in f.fields]
    kept = {name: value for name, value in form.fields.items() if not name.endswith("-DELETE")}
    # A new row: an existing row's person is fixed (and its posted value ignored).
    row = int(kept["participants-TOTAL_FORMS"])
    new_row = {
        "participants-TOTAL_FORMS": row + 1,
        f"participants-{row}-user": "abc",
        f"participants-{row}-role": "mentee",
        f"participants-{row}-capacity": "1",
    }
    response = as_coordinator.post(url, {**kept, **new_row})
    assert response.status_code == 200
    assert "Select a valid choice." in response.text


@pytest.mark.parametrize("year", ["2147483648", "99999999999999999999"])
def test_a_date_hierarchy_year_too_big_for_a_date_is_a_bad_filter(as_coordinator, year):
    response = as_coordinator.get(f"/admin/partnerships/checkin/?held_on__year={year}")
    assert (response.status_code, response["Location"]) == (302, "/admin/partnerships/checkin/?e=1")
