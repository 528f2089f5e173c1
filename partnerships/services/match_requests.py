"""A mentee asks one of their suggested mentors; the mentor accepts or declines."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorship.email import email_send
from partnerships import services
from partnerships.matching import suggestion_for_pair, unmatched_mentees
from partnerships.models import MatchRequest, Participant


def match_request_create(*, mentee: Participant, mentor: Participant, by) -> MatchRequest:
    if mentee.user_id != by.pk:
        raise PermissionDenied("Only the mentee can ask for a mentor.")
    if mentor.programme_id != mentee.programme_id or mentor.role != Participant.Role.MENTOR:
        raise ValidationError("Choose a mentor from your programme.")
    if not unmatched_mentees(mentee.programme).filter(pk=mentee.pk).exists():
        raise ValidationError("You already have a partnership in this programme.")
    suggestion = suggestion_for_pair(mentee, mentor)
    if suggestion.places_left < 1:
        raise ValidationError(f"{mentor.user} has no free place right now.")
    waiting = "You already have a request waiting; withdraw it first."
    if MatchRequest.objects.filter(mentee=mentee, status=MatchRequest.Status.PENDING).exists():
        raise ValidationError(waiting)
    try:
        with transaction.atomic():
            request = MatchRequest.objects.create(mentee=mentee, mentor=mentor)
    except IntegrityError as error:  # the same form sent twice at once: one pending each
        raise ValidationError(waiting) from error
    if not _asked_earlier_today(request):
        email_send(
            "match_request",
            to=mentor.user.email,
            context={"request": request, "reasons": suggestion.reasons[:1]},
        )
    return request


def _asked_earlier_today(request: MatchRequest) -> bool:
    """Whether this mentee already asked this mentor earlier on the mentor's own day: then
    they were emailed then, and asking, withdrawing and asking again does not email them
    once more (the request still waits on their requests page).

    Safe under concurrency without a lock: a mentee has one pending request at most (a
    unique constraint), so their requests are made one after another and each sees the
    earlier ones committed."""
    mentor = request.mentor.user
    day_began = datetime.datetime.combine(
        timezone.localdate(request.created_at, timezone=mentor.tzinfo),
        datetime.time.min,
        tzinfo=mentor.tzinfo,
    )
    return (
        MatchRequest.objects.filter(
            mentee=request.mentee_id, mentor=request.mentor_id, created_at__gte=day_began
        )
        .filter(pk__lt=request.pk)
        .exists()
    )


def _pending_for_mentor(request: MatchRequest, by) -> MatchRequest:
    if request.mentor.user_id != by.pk:
        raise PermissionDenied("Only the mentor who was asked can answer.")
    if request.status != MatchRequest.Status.PENDING:
        raise ValidationError("This request has already been answered.")
    return request


def _decide(request: MatchRequest, by, *, accept: bool) -> MatchRequest:
    _pending_for_mentor(request, by)
    with transaction.atomic():
        partnership = None
        if accept:
            partnership = services.partnership_create(
                programme=request.mentee.programme,
                mentor=request.mentor,
                mentee=request.mentee,
                by=by,
            )
        status = MatchRequest.Status.ACCEPTED if accept else MatchRequest.Status.DECLINED
        # Conditional: of two answers at once, only the first counts.
        updated = MatchRequest.objects.filter(
            pk=request.pk, status=MatchRequest.Status.PENDING
        ).update(status=status, decided_at=timezone.now(), partnership=partnership)
        if not updated:
            raise ValidationError("This request has already been answered.")
    request.refresh_from_db()
    email_send(
        "match_decision",
        to=request.mentee.user.email,
        context={"request": request, "accepted": accept},
    )
    return request


def match_request_accept(*, request: MatchRequest, by) -> MatchRequest:
    """The mentor says yes: a proposed partnership, as if a coordinator had matched them."""
    return _decide(request, by, accept=True)


def match_request_decline(*, request: MatchRequest, by) -> MatchRequest:
    return _decide(request, by, accept=False)


def match_request_withdraw(*, request: MatchRequest, by) -> None:
    if request.mentee.user_id != by.pk:
        raise PermissionDenied("Only the mentee can withdraw their request.")
    MatchRequest.objects.filter(pk=request.pk, status=MatchRequest.Status.PENDING).update(
        status=MatchRequest.Status.WITHDRAWN, decided_at=timezone.now()
    )
