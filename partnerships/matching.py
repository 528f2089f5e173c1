"""Suggested mentors for unmatched mentees, with the reasons for each suggestion, and the
best set of pairs for a whole cohort at once.

The score is deterministic for the same data:
- 10 points for each interest the mentor and mentee share (case-insensitive);
- 5 points for each matching question (a sign-up choice marked "counts in matching")
  where both chose a same option;
- 3 points if they share a language; 2 if they like to meet the same way (or either
  way suits one of them);
- 2 points for each place the mentor has free, counting up to 3 places;
- 5 points if the two have never been partners before, in any programme.
Mentors with no free place are not suggested. Ties go to the mentor's name, then id.

``cohort_proposal`` pairs every unmatched mentee at once, maximising the total score under
each mentor's free places: an assignment problem, solved exactly by SciPy's
``linear_sum_assignment`` on the score matrix with each mentor's column repeated once per
free place. Proposing one mentor per mentee on their own would give everyone the same
favourite.
"""

import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix

from partnerships.models import (
    CoordinatorAction,
    MatchRequest,
    Participant,
    Partnership,
    ProfileAnswer,
    SignupQuestion,
)
from partnerships.models.match_request import UNDECIDED
from partnerships.models.participant import MeetingFormat
from partnerships.models.partnership import OPEN_STATUSES
from partnerships.services.matches import match_propose

SHARED_INTEREST_POINTS = 10
CRITERION_POINTS = 5
SHARED_LANGUAGE_POINTS = 3
SAME_MEETING_POINTS = 2
FREE_PLACE_POINTS = 2
FREE_PLACES_COUNTED = 3
NEW_PAIR_POINTS = 5


@dataclass
class Suggestion:
    mentor: Participant
    shared_interests: list[str]
    places_left: int
    paired_before: bool
    score: int = 0
    reasons: list[str] = field(default_factory=list)


@dataclass
class Criteria:
    """A programme's matching questions and everyone's choices: {participant id:
    {question id: set of options}}. Empty for a programme without such questions."""

    questions: list[SignupQuestion] = field(default_factory=list)
    choices: dict[int, dict[int, set[str]]] = field(default_factory=dict)

    def of(self, participant: Participant) -> dict[int, set[str]]:
        return self.choices.get(participant.pk, {})


NO_CRITERIA = Criteria()


def criteria_for(programme) -> Criteria:
    """Two queries, however many people: the questions, then every answer to them."""
    questions = list(SignupQuestion.objects.filter(programme=programme, is_criterion=True))
    choices: dict[int, dict[int, set[str]]] = defaultdict(dict)
    if questions:
        for participant_id, question_id, chosen in ProfileAnswer.objects.filter(
            question__in=questions
        ).values_list("participant_id", "question_id", "choices"):
            choices[participant_id][question_id] = set(chosen or [])
    return Criteria(questions=questions, choices=dict(choices))


def _interests(participant: Participant) -> list[str]:
    return [interest.lower() for interest in participant.interest_list]


def _languages(participant: Participant) -> list[str]:
    return [language.lower() for language in participant.language_list]


def meet_alike(mentee: Participant, mentor: Participant) -> bool:
    """Both said how they like to meet, and the two fit (the same, or either is easy)."""
    a, b = mentee.meeting_format, mentor.meeting_format
    return bool(a and b) and (a == b or MeetingFormat.ANY in (a, b))


def score(
    mentee: Participant,
    mentor: Participant,
    *,
    places_left: int,
    paired_before: bool,
    criteria: Criteria = NO_CRITERIA,
) -> Suggestion:
    """One mentor for one mentee: the score and its reasons."""
    theirs = set(_interests(mentor))
    shared = [interest for interest in dict.fromkeys(_interests(mentee)) if interest in theirs]
    mentor_languages = set(_languages(mentor))
    languages = [lang for lang in dict.fromkeys(_languages(mentee)) if lang in mentor_languages]
    mine, others = criteria.of(mentee), criteria.of(mentor)
    agreed = [
        (question, sorted(mine[question.pk] & others[question.pk]))
        for question in criteria.questions
        if mine.get(question.pk, set()) & others.get(question.pk, set())
    ]
    alike = meet_alike(mentee, mentor)
    suggestion = Suggestion(
        mentor=mentor,
        shared_interests=shared,
        places_left=places_left,
        paired_before=paired_before,
    )
    suggestion.score = (
        SHARED_INTEREST_POINTS * len(shared)
        + CRITERION_POINTS * len(agreed)
        + SHARED_LANGUAGE_POINTS * bool(languages)
        + SAME_MEETING_POINTS * alike
        + FREE_PLACE_POINTS * min(places_left, FREE_PLACES_COUNTED)
        + NEW_PAIR_POINTS * (not paired_before)
    )
    if shared:
        suggestion.reasons.append(f"Shared interests: {', '.join(shared)}")
    else:
        suggestion.reasons.append("No shared interests")
    for question, options in agreed:
        suggestion.reasons.append(f"Same answer to “{question.text}”: {', '.join(options)}")
    if languages:
        suggestion.reasons.append(f"Both speak {', '.join(languages)}")
    if alike:
        way = (
            mentor.meeting_format
            if mentor.meeting_format != MeetingFormat.ANY
            else (mentee.meeting_format)
        )
        suggestion.reasons.append(f"Both like to meet: {MeetingFormat(way).label.lower()}")
    suggestion.reasons.append(
        f"{places_left} of {mentor.capacity} place{'s' * (mentor.capacity != 1)} free"
    )
    suggestion.reasons.append("Partners before" if paired_before else "Never paired before")
    return suggestion


def mentors_with_places(programme):
    """The programme's mentors, each with ``places_left`` (capacity minus open partnerships)."""
    mentors = (
        Participant.objects.mentors()
        .filter(programme=programme)
        .select_related("user")
        .annotate(
            open_count=Count(
                "mentor_partnerships",
                filter=Q(mentor_partnerships__status__in=OPEN_STATUSES),
            )
        )
        .order_by("user__name", "pk")
    )
    for mentor in mentors:
        mentor.places_left = max(mentor.capacity - mentor.open_count, 0)
        yield mentor


def unmatched_mentees(programme):
    """Mentees of the programme with no open partnership."""
    return (
        Participant.objects.mentees()
        .filter(programme=programme)
        .exclude(mentee_partnerships__status__in=OPEN_STATUSES)
        .select_related("user")
        .order_by("joined_at", "pk")
    )


def past_pairs(mentors, mentees) -> set[tuple[int, int]]:
    """(mentor user id, mentee user id) of every partnership ever, in any programme."""
    return set(
        Partnership.objects.filter(
            mentor__user_id__in=[m.user_id for m in mentors],
            mentee__user_id__in=[m.user_id for m in mentees],
        ).values_list("mentor__user_id", "mentee__user_id")
    )


def ranked_for(mentee: Participant, mentors, past_pairs, *, criteria: Criteria = NO_CRITERIA):
    """Every mentor with a free place for this mentee, best first."""
    ranked = [
        score(
            mentee,
            mentor,
            places_left=mentor.places_left,
            paired_before=(mentor.user_id, mentee.user_id) in past_pairs,
            criteria=criteria,
        )
        for mentor in mentors
        if mentor.places_left > 0
    ]
    ranked.sort(key=lambda s: (-s.score, s.mentor.user.name, s.mentor.pk))
    return ranked


def programme_suggestions(programme, *, limit: int = 3) -> list[tuple[Participant, list]]:
    """Every unmatched mentee with their top suggestions, in a fixed number of queries.

    Every pair is scored at once (``score_matrix``), and only each mentee's top few are
    scored again with their reasons: scoring every pair one by one took 46 s for 2,000
    mentees and 800 mentors (bench/cohort.py). The order is ``ranked_for``'s: score,
    then the mentor's name and id (the order ``mentors_with_places`` gives, kept by a
    stable sort)."""
    mentees = list(unmatched_mentees(programme))
    mentors = [mentor for mentor in mentors_with_places(programme) if mentor.places_left > 0]
    past = past_pairs(mentors, mentees)
    criteria = criteria_for(programme)
    scores = score_matrix(mentees, mentors, past, criteria)
    suggestions = []
    for row, mentee in enumerate(mentees):
        best = np.argsort(-scores[row], kind="stable")[:limit] if mentors else []
        top = []
        for column in best:
            mentor = mentors[int(column)]
            top.append(
                score(
                    mentee,
                    mentor,
                    places_left=mentor.places_left,
                    paired_before=(mentor.user_id, mentee.user_id) in past,
                    criteria=criteria,
                )
            )
        suggestions.append((mentee, top))
    return suggestions


def suggestion_for_pair(mentee: Participant, mentor: Participant) -> Suggestion:
    [mentor] = [m for m in mentors_with_places(mentee.programme) if m.pk == mentor.pk]
    return score(
        mentee,
        mentor,
        places_left=mentor.places_left,
        paired_before=(mentor.user_id, mentee.user_id) in past_pairs([mentor], [mentee]),
        criteria=criteria_for(mentee.programme),
    )


# --- a whole cohort at once -------------------------------------------------------------


def _incidence(people, values_of) -> csr_matrix:
    """people x values, 1 where a person has a value (each value once per person)."""
    index: dict[str, int] = {}
    rows, cols = [], []
    for row, person in enumerate(people):
        for value in set(values_of(person)):
            rows.append(row)
            cols.append(index.setdefault(value, len(index)))
    return csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)),
        shape=(len(people), max(len(index), 1)),
    )


def _shared(mentees, mentors, values_of) -> np.ndarray:
    """mentees x mentors: how many values each pair shares (one vocabulary for both)."""
    everyone = [*mentees, *mentors]
    matrix = _incidence(everyone, values_of)
    left, right = matrix[: len(mentees)], matrix[len(mentees) :]
    return (left @ right.T).toarray()


def score_matrix(mentees, mentors, past, criteria: Criteria = NO_CRITERIA) -> np.ndarray:
    """Every pair's score at once, exactly ``score(...).score`` for each (checked by the
    tests), as integers: mentees x mentors."""
    if not mentees or not mentors:
        return np.zeros((len(mentees), len(mentors)), dtype=np.int64)
    scores = SHARED_INTEREST_POINTS * _shared(mentees, mentors, _interests).astype(np.int64)
    scores += SHARED_LANGUAGE_POINTS * (_shared(mentees, mentors, _languages) > 0)
    for question in criteria.questions:

        def chose(person, question=question):
            return criteria.of(person).get(question.pk, ())

        scores += CRITERION_POINTS * (_shared(mentees, mentors, chose) > 0)
    for row, mentee in enumerate(mentees):
        if mentee.meeting_format:
            scores[row] += SAME_MEETING_POINTS * np.array(
                [meet_alike(mentee, mentor) for mentor in mentors], dtype=np.int64
            )
    places = np.array([min(m.places_left, FREE_PLACES_COUNTED) for m in mentors], dtype=np.int64)
    scores += FREE_PLACE_POINTS * places[np.newaxis, :]
    new_pair = np.ones(scores.shape, dtype=np.int64)
    column = {m.user_id: j for j, m in enumerate(mentors)}
    row_of = defaultdict(list)
    for i, mentee in enumerate(mentees):
        row_of[mentee.user_id].append(i)
    for mentor_user, mentee_user in past:
        if mentor_user in column:
            for i in row_of.get(mentee_user, ()):
                new_pair[i, column[mentor_user]] = 0
    scores += NEW_PAIR_POINTS * new_pair
    return scores


def assign(scores: np.ndarray, places: list[int]) -> list[tuple[int, int]]:
    """The (mentee row, mentor column) pairs of greatest total score, each mentor taking
    at most ``places[column]`` mentees, as many pairs as there are mentees or places."""
    slots = np.repeat(np.arange(len(places)), places)
    if scores.size == 0 or slots.size == 0:
        return []
    rows, picked = linear_sum_assignment(scores[:, slots], maximize=True)
    return sorted(zip(rows.tolist(), slots[picked].tolist(), strict=True))


@dataclass
class CohortPair:
    mentee: Participant
    suggestion: Suggestion | None  # None: no place was left for this mentee
    alternatives: list[Suggestion] = field(default_factory=list)


@dataclass
class CohortProposal:
    pairs: list[CohortPair]
    total_score: int
    solve_seconds: float

    @property
    def matched(self) -> int:
        return sum(pair.suggestion is not None for pair in self.pairs)


def cohort_solve(mentees, mentors, past, criteria: Criteria = NO_CRITERIA):
    """The solver alone (what the benchmark times): the chosen (row, column) pairs, the
    score matrix and the seconds it took."""
    started = time.perf_counter()
    with_places = [m for m in mentors if m.places_left > 0]
    scores = score_matrix(mentees, with_places, past, criteria)
    pairs = assign(scores, [m.places_left for m in with_places])
    return pairs, scores, with_places, time.perf_counter() - started


def cohort_proposal(programme, *, alternatives: int = 5) -> CohortProposal:
    """The best pairs for every unmatched mentee of the programme, each with its reasons
    and a few other mentors to choose instead, for the coordinator to edit and confirm."""
    mentees = list(unmatched_mentees(programme))
    mentors = list(mentors_with_places(programme))
    past = past_pairs(mentors, mentees)
    criteria = criteria_for(programme)
    pairs, scores, with_places, seconds = cohort_solve(mentees, mentors, past, criteria)
    chosen = dict(pairs)
    proposal = []
    for row, mentee in enumerate(mentees):
        column = chosen.get(row)

        def suggest(j, mentee=mentee):
            mentor = with_places[j]
            return score(
                mentee,
                mentor,
                places_left=mentor.places_left,
                paired_before=(mentor.user_id, mentee.user_id) in past,
                criteria=criteria,
            )

        best = np.argsort(-scores[row], kind="stable")[:alternatives] if len(with_places) else []
        others = [suggest(int(j)) for j in best if int(j) != column]
        proposal.append(
            CohortPair(
                mentee=mentee,
                suggestion=suggest(column) if column is not None else None,
                alternatives=others,
            )
        )
    total = int(sum(scores[row, column] for row, column in pairs))
    return CohortProposal(pairs=proposal, total_score=total, solve_seconds=seconds)


# --- confirming ---------------------------------------------------------------------------


def match_confirm(*, mentee: Participant, mentor: Participant, by) -> Partnership:
    """A coordinator confirms a suggestion: a proposed partnership that asks both people
    to accept it (partnerships.services.matches), and an entry in the coordinators' log."""
    with transaction.atomic():
        partnership = match_propose(mentee=mentee, mentor=mentor, by=by)
        _settle_requests(mentee, partnership)
        CoordinatorAction.record(
            actor=by,
            programme=mentee.programme,
            partnership=partnership,
            verb="matched",
            summary=f"proposed a match of {mentee.user} with {mentor.user}",
        )
    return partnership


def matches_confirm(*, pairs: list[tuple[Participant, Participant]], by) -> list[Partnership]:
    """A cohort's pairs, all proposed or none (one refusal rolls them all back)."""
    with transaction.atomic():
        return [match_confirm(mentee=mentee, mentor=mentor, by=by) for mentee, mentor in pairs]


def _settle_requests(mentee: Participant, partnership: Partnership) -> None:
    """A mentee's pending request is answered by the match: accepted if it named this mentor."""
    pending = MatchRequest.objects.filter(mentee=mentee, status__in=UNDECIDED)
    now = timezone.now()
    pending.filter(mentor=partnership.mentor).update(
        status=MatchRequest.Status.ACCEPTED, decided_at=now, partnership=partnership
    )
    pending.update(status=MatchRequest.Status.WITHDRAWN, decided_at=now)
