"""Malformed requests that Django's admin itself turned into server errors, each answered
clearly instead. Found by tests/security/test_bad_input_admin.py; one exact case each here."""

import pytest


@pytest.fixture
def as_coordinator(client, coordinator):
    client.force_login(coordinator)
    return client


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
