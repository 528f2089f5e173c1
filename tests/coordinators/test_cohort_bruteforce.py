"""'Propose matches for everyone' finds the best total: on many small random cohorts its
total score equals the best of every possible assignment, tried one by one, with each
pair scored on its own (``suggestion_for_pair``, not the solver's matrix)."""

import random

import numpy as np
import pytest

from partnerships.matching import (
    assign,
    cohort_proposal,
    criteria_for,
    mentors_with_places,
    past_pairs,
    programme_suggestions,
    ranked_for,
    suggestion_for_pair,
)
from partnerships.models import Partnership
from tests.builders import join, make_partnership, make_programme, make_user

INTERESTS = ["python", "design", "data", "writing", "leadership"]
LANGUAGES = ["English", "Spanish", "French"]
FORMATS = ["", "video", "in_person", "any"]


def best_total(scores: list[list[int]], places: list[int]) -> int:
    """Every assignment of each mentee to a mentor with a place left, or to nobody."""
    left = list(places)

    def best_from(row: int) -> int:
        if row == len(scores):
            return 0
        best = best_from(row + 1)  # this mentee waits
        for column, place in enumerate(left):
            if place:
                left[column] -= 1
                best = max(best, scores[row][column] + best_from(row + 1))
                left[column] += 1
        return best

    return best_from(0)


@pytest.mark.parametrize("seed", range(300))
def test_the_assignment_equals_brute_force_on_a_random_matrix(seed):
    rng = random.Random(seed)
    mentees, mentors = rng.randint(1, 6), rng.randint(1, 4)
    scores = np.array(
        [[rng.randint(0, 40) for _ in range(mentors)] for _ in range(mentees)], dtype=np.int64
    )
    places = [rng.choice([0, 1, 1, 2]) for _ in range(mentors)]
    pairs = assign(scores, places)
    assert len({row for row, _ in pairs}) == len(pairs)  # each mentee at most once
    for column, place in enumerate(places):
        assert [c for _, c in pairs].count(column) <= place
    total = sum(int(scores[row, column]) for row, column in pairs)
    assert total == best_total(scores.tolist(), places)


def random_cohort(rng: random.Random, n: int):
    """4-6 mentees and 2-4 mentors with capacities 1-2, random interests, languages and
    ways of meeting; some mentors full (zero free places), some pairs partners before."""
    programme = make_programme(f"Cohort {n}")

    def profile():
        return {
            "interests": ", ".join(rng.sample(INTERESTS, rng.randint(0, 3))),
            "languages": ", ".join(rng.sample(LANGUAGES, rng.randint(0, 2))),
            "meeting_format": rng.choice(FORMATS),
        }

    mentors = [
        join(
            programme,
            make_user(f"Mentor {n}-{j}"),
            "mentor",
            capacity=rng.randint(1, 2),
            **profile(),
        )
        for j in range(rng.randint(2, 4))
    ]
    mentees = [
        join(programme, make_user(f"Mentee {n}-{i}"), "mentee", **profile())
        for i in range(rng.randint(4, 6))
    ]
    for mentor in mentors:
        if rng.random() < 0.3:  # full: every place taken by someone already matched
            for k in range(mentor.capacity):
                make_partnership(programme, mentor.user, make_user(f"Matched {n}-{mentor.pk}-{k}"))
    for mentee in mentees:
        if rng.random() < 0.2:  # partners before, in an earlier programme, since ended
            earlier = make_programme(f"Earlier {n}-{mentee.pk}")
            past = make_partnership(earlier, rng.choice(mentors).user, mentee.user)
            Partnership.objects.filter(pk=past.pk).update(status=Partnership.Status.COMPLETED)
    return programme, mentees, mentors


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(25))
def test_propose_matches_for_everyone_equals_brute_force_on_a_random_cohort(seed):
    rng = random.Random(1000 + seed)
    programme, mentees, mentors = random_cohort(rng, seed)
    scored = [[suggestion_for_pair(mentee, mentor) for mentor in mentors] for mentee in mentees]
    places = [s.places_left for s in scored[0]]
    proposal = cohort_proposal(programme)
    assert proposal.total_score == best_total([[s.score for s in row] for row in scored], places)
    # What the coordinator sees adds up to that total, and fits every mentor's places.
    chosen = [pair.suggestion for pair in proposal.pairs if pair.suggestion]
    assert sum(s.score for s in chosen) == proposal.total_score
    for mentor, place in zip(mentors, places, strict=True):
        assert [s.mentor.pk for s in chosen].count(mentor.pk) <= place
    assert proposal.matched == min(len(mentees), sum(places))


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(10))
def test_each_mentees_top_three_are_those_of_scoring_every_mentor_one_by_one(seed):
    programme, mentees, _ = random_cohort(random.Random(2000 + seed), seed)
    mentors = list(mentors_with_places(programme))
    past = past_pairs(mentors, mentees)
    criteria = criteria_for(programme)

    def shown(suggestions):
        return [(s.mentor.pk, s.score, s.reasons) for s in suggestions]

    assert [(m.pk, shown(top)) for m, top in programme_suggestions(programme)] == [
        (m.pk, shown(ranked_for(m, mentors, past, criteria=criteria)[:3])) for m in mentees
    ]
