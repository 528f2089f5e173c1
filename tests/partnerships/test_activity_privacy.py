"""The activity feed, which the partner reads, says nothing of a private reflection."""

import pytest
from django.urls import reverse

from partnerships import services
from partnerships.models import Activity
from tests.builders import today_for
from tests.reading import feed, text_of


@pytest.fixture
def checkin(partnership, mentee):
    return services.checkin_start(
        partnership=partnership, by=mentee, held_on=today_for(mentee), agenda="Speaking up"
    )


def test_a_private_reflection_is_not_in_the_feed(partnership, checkin, mentee):
    services.reflection_write(checkin=checkin, by=mentee, text="I was scared", visibility="private")
    assert [verb for verb, _ in feed(partnership)].count("reflection_written") == 0
    assert [verb for verb, _ in feed(partnership)][-1] == "checkin_logged"


def test_a_shared_reflection_is_in_the_feed(partnership, checkin, mentor):
    services.reflection_write(checkin=checkin, by=mentor, text="Great session", visibility="shared")
    held = checkin.held_on
    assert feed(partnership)[-1] == (
        "reflection_written",
        f"reflected on the check-in of {held:%-d %b %Y}",
    )


def test_sharing_a_private_reflection_later_is_announced_once(partnership, checkin, mentee):
    services.reflection_write(checkin=checkin, by=mentee, text="Draft", visibility="private")
    services.reflection_write(checkin=checkin, by=mentee, text="Final", visibility="shared")
    services.reflection_write(checkin=checkin, by=mentee, text="Final!", visibility="shared")
    held = checkin.held_on
    assert [entry for entry in feed(partnership) if entry[0].startswith("reflection")] == [
        ("reflection_shared", f"shared their reflection on the check-in of {held:%-d %b %Y}")
    ]


def test_the_partner_reads_nothing_of_a_private_part_on_the_dashboard(
    client, partnership, checkin, mentor, mentee
):
    """Through the check-in form, as a partner adds their part in the workspace."""
    client.force_login(mentor)
    response = client.post(
        reverse("partnerships:checkin_contribute", args=[checkin.code]),
        {
            f"c-{checkin.code}-text": "I talked too much",
            f"c-{checkin.code}-visibility": "private",
        },
    )
    assert response.status_code == 302
    assert checkin.reflections.get().text == "I talked too much"
    client.force_login(mentee)
    home = text_of(client.get(reverse("home")).content.decode())
    assert "Recent activity" in home
    assert "reflected" not in home
    assert not Activity.objects.filter(verb__startswith="reflection").exists()


def test_a_private_closing_reflection_is_not_in_the_feed(partnership, mentor, mentee):
    services.partnership_complete(partnership=partnership, by=mentor)
    services.closing_reflection_write(
        partnership=partnership, by=mentee, text="Mine alone", visibility="private"
    )
    assert feed(partnership)[-1] == ("completed", "completed the partnership")
    services.closing_reflection_write(
        partnership=partnership, by=mentor, text="Thank you", visibility="shared"
    )
    assert feed(partnership)[-1] == ("closing_reflection", "wrote a closing reflection")
