"""Suggested mentors for unmatched mentees, with the reasons for each suggestion.

The score is deterministic for the same data:
- 10 points for each interest the mentor and mentee share (case-insensitive);
- 2 points for each place the mentor has free, counting up to 3 places;
- 5 points if the two have never been partners before, in any programme.
Mentors with no free place are not suggested. Ties go to the mentor's name, then id.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from mentorship.email import email_send
from partnerships import services
from partnerships.models import CoordinatorAction, MatchRequest, Participant, Partnership
from partnerships.models.partnership import OPEN_STATUSES

SHARED_INTEREST_POINTS = 10
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


def _interests(participant: Participant) -> list[str]:
    return [interest.lower() for interest in participant.interest_list]


def score(mentee: Participant, mentor: Participant, *, places_left: int, paired_before: bool):
    """One mentor for one mentee: the score and its reasons."""
    theirs = set(_interests(mentor))
    shared = [interest for interest in dict.fromkeys(_interests(mentee)) if interest in theirs]
    suggestion = Suggestion(
        mentor=mentor,
        shared_interests=shared,
        places_left=places_left,
        paired_before=paired_before,
    )
    suggestion.score = (
        SHARED_INTEREST_POINTS * len(shared)
        + FREE_PLACE_POINTS * min(places_left, FREE_PLACES_COUNTED)
        + NEW_PAIR_POINTS * (not paired_before)
    )
    if shared:
        suggestion.reasons.append(f"Shared interests: {', '.join(shared)}")
    else:
        suggestion.reasons.append("No shared interests")
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


def suggestions_for(mentee: Participant, mentors, past_pairs, *, limit: int = 3):
    ranked = [
        score(
            mentee,
            mentor,
            places_left=mentor.places_left,
            paired_before=(mentor.user_id, mentee.user_id) in past_pairs,
        )
        for mentor in mentors
        if mentor.places_left > 0
    ]
    ranked.sort(key=lambda s: (-s.score, s.mentor.user.name, s.mentor.pk))
    return ranked[:limit]


def programme_suggestions(programme, *, limit: int = 3) -> list[tuple[Participant, list]]:
    """Every unmatched mentee with their top suggestions, in a fixed number of queries."""
    mentees = list(unmatched_mentees(programme))
    mentors = list(mentors_with_places(programme))
    past = past_pairs(mentors, mentees)
    return [(mentee, suggestions_for(mentee, mentors, past, limit=limit)) for mentee in mentees]


def suggestion_for_pair(mentee: Participant, mentor: Participant) -> Suggestion:
    [mentor] = [m for m in mentors_with_places(mentee.programme) if m.pk == mentor.pk]
    return score(
        mentee,
        mentor,
        places_left=mentor.places_left,
        paired_before=(mentor.user_id, mentee.user_id) in past_pairs([mentor], [mentee]),
    )


def announce_match(partnership: Partnership, reasons: list[str]) -> None:
    """Email both partners that they have been matched."""
    for participant, partner in (
        (partnership.mentor, partnership.mentee),
        (partnership.mentee, partnership.mentor),
    ):
        email_send(
            "match",
            to=participant.user.email,
            context={
                "partnership": partnership,
                "recipient": participant.user,
                "partner": partner.user,
                "role": participant.role,
                "partner_role": partner.role,
                "reasons": reasons,
            },
        )


def match_confirm(*, mentee: Participant, mentor: Participant, by) -> Partnership:
    """A coordinator confirms a suggestion: a proposed partnership, and an email to both."""
    reasons = suggestion_for_pair(mentee, mentor).reasons
    with transaction.atomic():
        partnership = services.partnership_create(
            programme=mentee.programme, mentor=mentor, mentee=mentee, by=by
        )
        _settle_requests(mentee, partnership)
        CoordinatorAction.record(
            actor=by,
            programme=mentee.programme,
            partnership=partnership,
            verb="matched",
            summary=f"matched {mentee.user} with {mentor.user}",
        )
    announce_match(partnership, reasons)
    return partnership


def _settle_requests(mentee: Participant, partnership: Partnership) -> None:
    """A mentee's pending request is answered by the match: accepted if it named this mentor."""
    pending = MatchRequest.objects.filter(mentee=mentee, status=MatchRequest.Status.PENDING)
    now = timezone.now()
    pending.filter(mentor=partnership.mentor).update(
        status=MatchRequest.Status.ACCEPTED, decided_at=now, partnership=partnership
    )
    pending.update(status=MatchRequest.Status.WITHDRAWN, decided_at=now)
