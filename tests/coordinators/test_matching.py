"""Matching: deterministic scores with reasons, confirmed by a coordinator or asked by a mentee."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from partnerships import services
from partnerships.matching import programme_suggestions
from partnerships.models import CoordinatorAction, MatchRequest, Notification, Partnership
from tests.builders import join, make_partnership, make_user
from tests.coordinators.conftest import page


@pytest.fixture
def people(programme, other_programme):
    """Four mentors and one unmatched mentee, Milo, who likes python and leadership."""
    alice = join(
        programme,
        make_user("Alice Adams"),
        "mentor",
        capacity=2,
        interests="Python, leadership, design",
    )
    bob = join(programme, make_user("Bob Brown"), "mentor", capacity=3, interests="python, data")
    cara = join(programme, make_user("Cara Cole"), "mentor", capacity=1, interests="leadership")
    dan = join(programme, make_user("Dan Dunn"), "mentor", capacity=1, interests="cooking")
    milo = join(programme, make_user("Milo Mentee"), "mentee", interests="python, Leadership")
    # Cara is full; Bob and Milo were partners once before, in another programme.
    make_partnership(programme, cara.user, make_user("Taken Mentee"))
    before = make_partnership(other_programme, bob.user, milo.user)
    services.partnership_end(partnership=before, by=bob.user)
    return {"alice": alice, "bob": bob, "cara": cara, "dan": dan, "milo": milo}


def emailed(person) -> list[str]:
    """What ``person`` is told by email (each notification's email is its subject line)."""
    return [
        f"{n.actor.name} {n.summary}"
        for n in Notification.objects.filter(
            recipient=person.user, reminder__isnull=False, kind__in=["match", "request"]
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    ]


def test_suggestions_are_ranked_by_score_with_reasons(programme, people):
    [(mentee, suggestions)] = programme_suggestions(programme)
    assert mentee == people["milo"]
    assert [(s.mentor.user.name, s.score, s.reasons) for s in suggestions] == [
        (
            "Alice Adams",
            29,
            ["Shared interests: python, leadership", "2 of 2 places free", "Never paired before"],
        ),
        ("Bob Brown", 16, ["Shared interests: python", "3 of 3 places free", "Partners before"]),
        ("Dan Dunn", 7, ["No shared interests", "1 of 1 place free", "Never paired before"]),
    ]


def test_the_same_data_gives_the_same_suggestions(programme, people):
    first = [
        (m.pk, [(s.mentor.pk, s.score) for s in ss]) for m, ss in programme_suggestions(programme)
    ]
    second = [
        (m.pk, [(s.mentor.pk, s.score) for s in ss]) for m, ss in programme_suggestions(programme)
    ]
    assert first == second


def test_ties_go_to_the_mentors_name(programme):
    zed = join(programme, make_user("Zed Zed"), "mentor", interests="x")
    abe = join(programme, make_user("Abe Abe"), "mentor", interests="x")
    join(programme, make_user("Mo Mentee"), "mentee", interests="x")
    [(_, suggestions)] = programme_suggestions(programme)
    assert [s.mentor for s in suggestions] == [abe, zed]


def test_the_matching_page_shows_suggestions_and_reasons(as_coordinator, programme, people):
    html = as_coordinator.get(page("matching", programme)).content.decode()
    assert "Milo Mentee" in html
    assert "Shared interests: python, leadership" in html
    assert "Cara Cole" not in html.split("Mentees' requests")[0]  # full: not suggested


def test_confirming_a_match_proposes_the_partnership_and_tells_both(
    as_coordinator, programme, people, coordinator
):
    alice, milo = people["alice"], people["milo"]
    response = as_coordinator.post(
        page("matching", programme), {"mentee": milo.pk, "mentor": alice.pk}
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get(mentee=milo, programme=programme)
    assert (partnership.mentor, partnership.status) == (alice, "proposed")
    name = coordinator.name
    assert emailed(milo) == [f"{name} proposed a match with Alice Adams: accept or decline it"]
    assert emailed(alice) == [f"{name} proposed a match with Milo Mentee: accept or decline it"]
    # Both read the other's profile and the reasons on the match's page.
    client = as_coordinator
    client.force_login(milo.user)
    match_page = client.get(reverse("partnerships:match", args=[partnership.code])).text
    assert "Shared interests: python, leadership" in match_page
    action = CoordinatorAction.objects.get()
    assert (action.actor, action.verb, action.partnership) == (coordinator, "matched", partnership)


def test_a_full_mentor_cannot_be_matched(as_coordinator, programme, people):
    response = as_coordinator.post(
        page("matching", programme),
        {"mentee": people["milo"].pk, "mentor": people["cara"].pk},
        follow=True,
    )
    assert "Cara Cole is at capacity" in response.content.decode()
    assert not Partnership.objects.filter(mentee=people["milo"]).exists()
    assert mail.outbox == []


def test_a_coordinator_of_another_programme_can_neither_see_nor_match(
    as_other_coordinator, programme, people
):
    url = page("matching", programme)
    assert as_other_coordinator.get(url).status_code == 404
    response = as_other_coordinator.post(
        url, {"mentee": people["milo"].pk, "mentor": people["alice"].pk}
    )
    assert response.status_code == 404
    assert not Partnership.objects.filter(mentee=people["milo"]).exists()
    assert mail.outbox == []


def test_a_coordinator_cannot_match_people_of_another_programme_through_their_own(
    client, other_coordinator, other_programme, people
):
    client.force_login(other_coordinator)
    response = client.post(
        page("matching", other_programme),
        {"mentee": people["milo"].pk, "mentor": people["alice"].pk},
    )
    assert response.status_code == 404
    assert not Partnership.objects.filter(mentee=people["milo"]).exists()


# --- the mentee asks, the mentor answers ----------------------------------------------------


def test_a_mentee_sees_their_top_suggestions(client, people, programme):
    client.force_login(people["milo"].user)
    response = client.get(reverse("matching:suggestions"))
    [section] = [s for s in response.context["sections"] if s["mentee"].programme == programme]
    assert [s.mentor.user.name for s in section["page"]] == [
        "Alice Adams",
        "Bob Brown",
        "Dan Dunn",
    ]
    assert "Shared interests: python, leadership" in response.content.decode()


def test_a_mentee_asks_and_the_mentor_accepts(client, people, as_coordinator, programme):
    milo, alice = people["milo"], people["alice"]
    client.force_login(milo.user)
    client.post(reverse("matching:suggestions"), {"mentee": milo.pk, "mentor": alice.pk})
    request = MatchRequest.objects.get()
    assert (request.mentee, request.mentor, request.status) == (milo, alice, "pending")
    assert emailed(alice) == ["Milo Mentee asked you to be their mentor"]

    client.force_login(alice.user)
    assert "Milo Mentee" in client.get(reverse("matching:requests")).content.decode()
    client.post(reverse("matching:answer", args=[request.code, "accept"]))
    request.refresh_from_db()
    assert request.status == "accepted"
    # The programme does not ask its coordinator to approve: the partnership starts at once.
    assert (request.partnership.mentor, request.partnership.status) == (alice, "active")
    assert emailed(milo) == ["Alice Adams accepted your request: your partnership has started"]


def test_a_mentor_declines_and_the_mentee_can_ask_again(client, people):
    milo, alice, bob = people["milo"], people["alice"], people["bob"]
    client.force_login(milo.user)
    client.post(reverse("matching:suggestions"), {"mentee": milo.pk, "mentor": alice.pk})
    request = MatchRequest.objects.get()
    client.force_login(alice.user)
    client.post(reverse("matching:answer", args=[request.code, "decline"]))
    request.refresh_from_db()
    assert request.status == "declined"
    assert not Partnership.objects.filter(mentee=milo).exists()
    assert emailed(milo) == ["Alice Adams can't take you on right now; choose another mentor"]
    client.force_login(milo.user)
    client.post(reverse("matching:suggestions"), {"mentee": milo.pk, "mentor": bob.pk})
    assert MatchRequest.objects.filter(status="pending").get().mentor == bob


def test_only_the_mentor_asked_can_answer(client, people):
    milo, alice, bob = people["milo"], people["alice"], people["bob"]
    client.force_login(milo.user)
    client.post(reverse("matching:suggestions"), {"mentee": milo.pk, "mentor": alice.pk})
    request = MatchRequest.objects.get()
    for someone in (bob.user, milo.user):
        client.force_login(someone)
        response = client.post(reverse("matching:answer", args=[request.code, "accept"]))
        assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_mentee_cannot_ask_for_someone_else(client, people, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("matching:suggestions"), {"mentee": people["milo"].pk, "mentor": people["alice"].pk}
    )
    assert response.status_code == 404
    assert not MatchRequest.objects.exists()


def test_the_coordinator_sees_the_requests(client, people, as_coordinator, programme, coordinator):
    client.force_login(people["milo"].user)
    client.post(
        reverse("matching:suggestions"), {"mentee": people["milo"].pk, "mentor": people["bob"].pk}
    )
    client.force_login(coordinator)
    html = client.get(page("matching", programme)).content.decode()
    requests_section = html.split("Mentees' requests")[1]
    assert "Milo Mentee" in requests_section and "Bob Brown" in requests_section
    assert "Waiting for the mentor" in requests_section


def test_a_coordinators_match_answers_a_pending_request(client, people, coordinator, programme):
    client.force_login(people["milo"].user)
    client.post(
        reverse("matching:suggestions"), {"mentee": people["milo"].pk, "mentor": people["bob"].pk}
    )
    client.force_login(coordinator)
    client.post(
        page("matching", programme), {"mentee": people["milo"].pk, "mentor": people["alice"].pk}
    )
    assert MatchRequest.objects.get().status == "withdrawn"


def test_malformed_ids_are_not_found(as_coordinator, programme, people):
    url = page("matching", programme)
    assert as_coordinator.post(url, {"mentee": "x", "mentor": "1"}).status_code == 404
    assert as_coordinator.get(url.replace(f"/{programme.pk}/", "/abc/")).status_code == 404
    invitations = page("invitations", programme)
    assert as_coordinator.post(invitations, {"resend": "not-a-uuid"}).status_code == 404


def test_the_matching_page_reads_a_fixed_number_of_queries(client, coordinator, programme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page("matching", programme)).status_code == 200
        return len(queries)

    join(programme, make_user("First Mentor"), "mentor", interests="a")
    join(programme, make_user("First Mentee"), "mentee", interests="a")
    few = count()
    for n in range(15):
        join(programme, make_user(f"Mentor {n}"), "mentor", interests="a, b")
        join(programme, make_user(f"Mentee {n}"), "mentee", interests="b")
    assert count() == few


# --- asking again: at most one email a day to the same mentor ---------------------------


def ask(client, milo, mentor):
    client.force_login(milo.user)  # a fresh session: the clock jumps past the idle timeout
    return client.post(reverse("matching:suggestions"), {"mentee": milo.pk, "mentor": mentor.pk})


def withdraw(client):
    pending = MatchRequest.objects.get(status="pending")
    return client.post(reverse("matching:withdraw", args=[pending.code]))


def asked(mentor) -> list[str]:
    return emailed(mentor)


# 10:00 in Tokyo, where Alice lives: her day ends at 15:00 UTC.
TOKYO_MORNING = datetime.datetime(2026, 12, 14, 1, 0, tzinfo=datetime.UTC)


@pytest.fixture
def alice_in_tokyo(people):
    alice = people["alice"]
    alice.user.time_zone = "Asia/Tokyo"
    alice.user.save(update_fields=["time_zone"])
    return alice


def test_asking_withdrawing_and_asking_again_emails_the_mentor_once_that_day(
    client, people, alice_in_tokyo
):
    milo, alice = people["milo"], alice_in_tokyo
    with time_machine.travel(TOKYO_MORNING, tick=False) as clock:
        for _ in range(3):
            ask(client, milo, alice)
            clock.shift(datetime.timedelta(minutes=5))
            withdraw(client)
        clock.shift(datetime.timedelta(hours=13, minutes=44))  # 23:59 in Tokyo
        response = ask(client, milo, alice)
    assert asked(alice) == ["Milo Mentee asked you to be their mentor"]
    assert MatchRequest.objects.filter(mentor=alice).count() == 4
    assert response.status_code == 302
    client.force_login(alice.user)
    assert "Milo Mentee" in client.get(reverse("matching:requests")).text  # still asked


def test_the_mentor_is_emailed_again_on_their_next_day(client, people, alice_in_tokyo):
    milo, alice = people["milo"], alice_in_tokyo
    with time_machine.travel(TOKYO_MORNING, tick=False) as clock:
        ask(client, milo, alice)
        withdraw(client)
        clock.shift(datetime.timedelta(hours=14))  # 00:00 the next day in Tokyo
        ask(client, milo, alice)
    assert asked(alice) == ["Milo Mentee asked you to be their mentor"] * 2


def test_asking_another_mentor_the_same_day_emails_them(client, people, alice_in_tokyo):
    milo, alice, bob = people["milo"], alice_in_tokyo, people["bob"]
    with time_machine.travel(TOKYO_MORNING, tick=False):
        ask(client, milo, alice)
        withdraw(client)
        ask(client, milo, bob)
    assert asked(alice) == asked(bob) == ["Milo Mentee asked you to be their mentor"]


def test_a_request_sent_twice_at_once_is_made_once_and_the_other_told_why(transactional_db, people):
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connection

    from partnerships.services.match_requests import match_request_create

    milo, alice = people["milo"], people["alice"]
    start, answers = threading.Barrier(2), []

    def submit():
        start.wait()
        try:
            match_request_create(mentee=milo, mentor=alice, by=milo.user)
            answers.append("made")
        except ValidationError as error:
            answers.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == ["You already have a request waiting; withdraw it first.", "made"]
    assert MatchRequest.objects.filter(mentee=milo, status="pending").count() == 1
    assert asked(alice) == ["Milo Mentee asked you to be their mentor"]
