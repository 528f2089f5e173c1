"""A mentee cannot spam mentors: one request waits at a time, the same mentor is not asked
twice, a mentor who declined is not asked again for a month, and at most five asks go
out in 24 hours. Each refusal is an error on that mentor's card that keeps the note."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from partnerships.models import MatchRequest, Notification, Participant
from partnerships.services.match_requests import match_request_decline, match_request_withdraw
from tests.builders import join, make_partnership, make_user

NOTE = "I'd love help with Python & <design>"
TYPED = "I&#x27;d love help with Python &amp; &lt;design&gt;"
START = datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC)


@pytest.fixture
def people(programme):
    return {
        "milo": join(programme, make_user("Milo Mentee"), "mentee", interests="python"),
        "alice": join(programme, make_user("Alice Adams"), "mentor", capacity=2),
        "bob": join(programme, make_user("Bob Brown"), "mentor", capacity=2),
        "cleo": join(programme, make_user("Cleo Clark"), "mentor", capacity=2),
    }


@pytest.fixture
def as_milo(client, people):
    client.force_login(people["milo"].user)
    return client


def ask(client, people, mentor: str, note: str = NOTE):
    client.force_login(people["milo"].user)  # a session of the (travelled) moment
    return client.post(
        reverse("matching:suggestions"),
        {"mentee": people["milo"].pk, "mentor": people[mentor].pk, "note": note},
    )


def card_of(page: str, people, mentor: str) -> str:
    """The mentor's card in the directory, from its heading to the next card."""
    link = reverse("people:profile", args=[people[mentor].code])
    begin = page.index(f'<h3><a href="{link}">')
    ends = [page.find(end, begin) for end in ('<li class="card mentor-card">', "</ol>")]
    return page[begin : min(end for end in ends if end > 0)]


def requests_of(people) -> list[tuple[str, str]]:
    return [
        (r.mentor.user.name, r.status)
        for r in MatchRequest.objects.filter(mentee=people["milo"]).order_by("created_at", "pk")
    ]


def test_asking_the_same_mentor_twice_is_refused_on_their_card_with_the_note_kept(
    as_milo, people, html_checker
):
    assert ask(as_milo, people, "alice", "first").status_code == 302
    again = ask(as_milo, people, "alice")
    assert again.status_code == 422
    card = card_of(again.text, people, "alice")
    assert "You have already asked Alice Adams; your request is waiting for an answer." in card
    assert (
        f'aria-invalid="true" aria-describedby="ask-error-{people["alice"].code}">{TYPED}' in card
    )
    assert '<details class="ask" open>' in card
    assert html_checker.errors(again) == []
    assert requests_of(people) == [("Alice Adams", "pending")]
    # Alice was told once.
    assert Notification.objects.filter(recipient=people["alice"].user).count() == 1


def test_asking_another_mentor_while_one_request_waits_keeps_the_note(as_milo, people):
    ask(as_milo, people, "alice", "first")
    refused = ask(as_milo, people, "bob")
    assert refused.status_code == 422
    card = card_of(refused.text, people, "bob")
    assert "You already have a request waiting; withdraw it first." in card
    assert TYPED in card
    assert "ask-error" not in card_of(refused.text, people, "cleo")
    assert requests_of(people) == [("Alice Adams", "pending")]


def test_at_most_five_asks_in_24_hours_then_a_429_saying_when(as_milo, people):
    milo = people["milo"].user
    for n, mentor in enumerate(("alice", "bob", "cleo", "bob", "cleo")):
        with time_machine.travel(START + datetime.timedelta(hours=n), tick=False):
            assert ask(as_milo, people, mentor).status_code == 302
            match_request_withdraw(
                request=MatchRequest.objects.get(mentee=people["milo"], status="pending"), by=milo
            )
    with time_machine.travel(START + datetime.timedelta(hours=23), tick=False):
        refused = ask(as_milo, people, "alice")
    assert refused.status_code == 429
    card = card_of(refused.text, people, "alice")
    assert (
        "You have asked 5 times in the last 24 hours, the most there is; "
        "you can ask again from 2 December at 10:00 (UTC)." in card
    )
    assert TYPED in card
    assert len(requests_of(people)) == 5
    with time_machine.travel(START + datetime.timedelta(hours=24), tick=False):
        assert ask(as_milo, people, "alice").status_code == 302
    assert requests_of(people)[-1] == ("Alice Adams", "pending")


def test_a_mentor_who_declined_is_not_asked_again_for_a_month(as_milo, people):
    with time_machine.travel(START, tick=False):
        ask(as_milo, people, "alice", "first")
        match_request_decline(
            request=MatchRequest.objects.get(mentee=people["milo"]), by=people["alice"].user
        )
    with time_machine.travel(START + datetime.timedelta(days=29), tick=False):
        refused = ask(as_milo, people, "alice")
        assert refused.status_code == 422
        assert (
            "Your request to Alice Adams was declined on 1 December; ask another mentor"
            in card_of(refused.text, people, "alice")
        )
        assert ask(as_milo, people, "bob").status_code == 302  # another mentor is fine
        match_request_withdraw(
            request=MatchRequest.objects.get(mentee=people["milo"], status="pending"),
            by=people["milo"].user,
        )
    with time_machine.travel(START + datetime.timedelta(days=31), tick=False):
        assert ask(as_milo, people, "alice").status_code == 302
    assert requests_of(people) == [
        ("Alice Adams", "declined"),
        ("Bob Brown", "withdrawn"),
        ("Alice Adams", "pending"),
    ]


def test_a_refusal_for_a_mentor_not_in_the_directory_shows_above_the_cards(as_milo, people):
    programme = people["milo"].programme
    fay = make_user("Fay Full")
    make_partnership(programme, fay, make_user("Other Mentee"))  # her one place is taken
    people["fay"] = Participant.objects.get(programme=programme, user=fay)
    Participant.objects.filter(pk=people["fay"].pk).update(capacity=1)
    refused = ask(as_milo, people, "fay")
    assert refused.status_code == 422
    page = refused.text
    alert = page.index('<div class="errorlist nonfield" role="alert"><p>Fay Full has no free place')
    assert alert < page.index('<ol class="mentor-cards">')
    assert requests_of(people) == []
