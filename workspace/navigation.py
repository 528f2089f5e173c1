"""What the navigation shows a logged-in person on every page, in one query: unread
notifications, requests waiting for them as a mentor, and whether they are a mentee
still looking for a mentor somewhere."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from partnerships.models import MatchRequest, Notification, Participant
from partnerships.models.partnership import OPEN_STATUSES


@dataclass(frozen=True)
class Navigation:
    unread: int
    requests: int
    is_mentor: bool
    seeking_mentor: bool


def _count(queryset, *, per: str) -> Coalesce:
    """How many rows of ``queryset`` (filtered on the outer person through ``per``)."""
    counted = queryset.order_by().values(per).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def navigation_for(user) -> Navigation:
    person = OuterRef("pk")
    open_partnership = Participant.objects.filter(
        pk=OuterRef("pk"), mentee_partnerships__status__in=OPEN_STATUSES
    )
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            unread=_count(Notification.objects.unread().filter(recipient=person), per="recipient"),
            requests=_count(
                MatchRequest.objects.filter(
                    mentor__user=person, status=MatchRequest.Status.PENDING
                ),
                per="mentor__user",
            ),
            is_mentor=Exists(Participant.objects.mentors().filter(user=person)),
            seeking_mentor=Exists(
                Participant.objects.mentees().filter(user=person).exclude(Exists(open_partnership))
            ),
        )
        .values("unread", "requests", "is_mentor", "seeking_mentor")
        .first()
    )
    return Navigation(**row) if row else Navigation(0, 0, False, False)
