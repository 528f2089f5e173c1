"""What the dashboard shows about finding one's way in: requests a mentor has to answer,
proposed matches waiting for this person's yes or no, and the programmes where they are a
mentee still looking for a mentor. Three queries, however many of each."""

from functools import cached_property

from django.db.models import Exists, OuterRef

from partnerships.models import MatchAnswer, MatchRequest, Participant, Partnership
from partnerships.models.partnership import OPEN_STATUSES, Status


class PeopleWaiting:
    def __init__(self, user):
        self.user = user

    @cached_property
    def requests_to_answer(self) -> list[MatchRequest]:
        return list(
            MatchRequest.objects.filter(mentor__user=self.user, status=MatchRequest.Status.PENDING)
            .select_related("mentee__user", "mentee__programme")
            .order_by("created_at")
        )

    @cached_property
    def matches_to_answer(self) -> list[Partnership]:
        """Proposed partnerships this person is in and has not answered."""
        mine = Participant.objects.filter(user=self.user).values("pk")
        answered = MatchAnswer.objects.filter(partnership=OuterRef("pk"), user=self.user)
        matches = list(
            Partnership.objects.filter(status=Status.PROPOSED)
            .filter(
                Exists(mine.filter(pk=OuterRef("mentor")))
                | Exists(mine.filter(pk=OuterRef("mentee")))
            )
            .exclude(Exists(answered))
            .with_people()
            .order_by("created_at")
        )
        for partnership in matches:
            partnership.partner = partnership.partner_of(self.user)
        return matches

    @cached_property
    def seeking(self) -> list[Participant]:
        """Mentee participations without an open partnership: where to find a mentor."""
        return list(
            Participant.objects.mentees()
            .filter(user=self.user)
            .exclude(mentee_partnerships__status__in=OPEN_STATUSES)
            .select_related("programme")
        )

    @property
    def count(self) -> int:
        return len(self.requests_to_answer) + len(self.matches_to_answer)
