"""The lists of requests and of matches waiting for an answer cost the same number of
queries however long they grow: the mentor's requests page, and the coordinator's
Matching page with its proposed matches (each with its answers and its reminder)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.matching import match_confirm
from partnerships.models import MatchRequest, Reminder
from tests.builders import join, make_user


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def alice(programme):
    return join(programme, make_user("Alice Adams"), "mentor", capacity=20)


def asks(programme, mentor, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        mentee = join(programme, make_user(f"Mentee {n}"), "mentee")
        MatchRequest.objects.create(mentee=mentee, mentor=mentor, note=f"Note {n}")


def test_the_mentors_requests_cost_the_same_with_one_or_twenty(client, programme, alice):
    asks(programme, alice, 1)
    client.force_login(alice.user)
    url = reverse("matching:requests")
    queries_of(client, url)  # the first request after logging in also saves the session
    one = queries_of(client, url)
    asks(programme, alice, 19, start=1)
    assert queries_of(client, url) == one
    assert client.get(url).text.count("Note ") == 20


def test_the_matches_waiting_cost_the_same_with_one_or_ten(client, programme, coordinator, alice):
    def propose(count: int, start: int = 0) -> None:
        for n in range(start, start + count):
            mentee = join(programme, make_user(f"Waiting {n}"), "mentee")
            partnership = match_confirm(mentee=mentee, mentor=alice, by=coordinator)
            Reminder.objects.create(  # its reminder two days on, sent
                recipient=alice.user,
                kind="match_waiting",
                programme=programme,
                partnership=partnership,
                subject_key=f"match:{partnership.pk}",
                period="waiting",
                due_on=partnership.created_at.date(),
                send_after=partnership.created_at,
                status="sent",
                sent_at=partnership.created_at,
            )

    propose(1)
    client.force_login(coordinator)
    url = reverse("admin:partnerships_programme_matching", args=[programme.pk])
    queries_of(client, url)
    one = queries_of(client, url)
    propose(9, start=1)
    assert queries_of(client, url) == one
    assert client.get(url).text.count("· reminded ") == 10
