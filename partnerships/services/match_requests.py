"""A mentee asks a mentor, with a short note; the mentor accepts or declines with one.

An accepted request proposes a partnership: at once, and then it is active (both have
said yes), or, where the programme wants it, once a coordinator approves; then both are
asked to accept the match (partnerships.services.matches). Every step is a notification,
in the app and by email as each person chose; the notes stay on the requests pages.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mentorship.models import has_control_characters
from partnerships.matching import suggestion_for_pair, unmatched_mentees
from partnerships.models import MatchRequest, Participant, ProgrammeIntake
from partnerships.models.match_request import UNDECIDED
from partnerships.models.notification import NotificationKind
from partnerships.models.participant import Role
from partnerships.services.matches import coordinators_url, match_propose
from partnerships.services.notifications import notification_send
from partnerships.services.rules import can_coordinate

NOTE_LENGTH = 500
# A mentee cannot spam mentors: one request waits at a time (a unique constraint), at
# most ASKS_PER_DAY asks in any 24 hours (asking, withdrawing and asking again included),
# and a mentor who declined them is not asked again for DECLINED_REST.
ASKS_PER_DAY = 5
ASK_WINDOW = datetime.timedelta(hours=24)
DECLINED_REST = datetime.timedelta(days=30)


def _clean_note(note: str, field: str) -> str:
    note = note.strip()
    if len(note) > NOTE_LENGTH:
        raise ValidationError({field: f"Keep the note to {NOTE_LENGTH} characters."})
    if "\x00" in note or has_control_characters(note.replace("\n", "").replace("\r", "")):
        raise ValidationError({field: "The note contains a character that cannot be stored."})
    return note


def needs_approval(programme) -> bool:
    intake = ProgrammeIntake.objects.filter(programme=programme).first()
    return bool(intake and intake.requests_need_approval)


def _notify(request: MatchRequest, *, to, by, summary: str, link: str, email: bool = True):
    notification_send(
        recipients=to,
        kind=NotificationKind.REQUEST,
        programme=request.mentee.programme,
        actor=by,
        summary=summary,
        link=link,
        email=email,
    )


def match_request_create(
    *, mentee: Participant, mentor: Participant, by, note: str = ""
) -> MatchRequest:
    if mentee.user_id != by.pk:
        raise PermissionDenied("Only the mentee can ask for a mentor.")
    if mentor.programme_id != mentee.programme_id or mentor.role != Participant.Role.MENTOR:
        raise ValidationError("Choose a mentor from your programme.")
    note = _clean_note(note, "note")
    if not unmatched_mentees(mentee.programme).filter(pk=mentee.pk).exists():
        raise ValidationError("You already have a partnership in this programme.")
    suggestion = suggestion_for_pair(mentee, mentor)
    if suggestion.places_left < 1:
        raise ValidationError(f"{mentor.user} has no free place right now.", code="full")
    waiting = "You already have a request waiting; withdraw it first."
    _require_may_ask(mentee, mentor, waiting=waiting)
    try:
        with transaction.atomic():
            request = MatchRequest.objects.create(mentee=mentee, mentor=mentor, note=note)
            # Asked again the same day: in the app, not by email a second time.
            _notify(
                request,
                to=[mentor.user],
                by=by,
                summary="asked you to be their mentor",
                link=reverse("matching:requests"),
                email=not _asked_earlier_today(request),
            )
    except IntegrityError as error:  # the same form sent twice at once: one pending each
        raise ValidationError(waiting, code="waiting") from error
    return request


def _require_may_ask(mentee: Participant, mentor: Participant, *, waiting: str) -> None:
    """Refuse a second ask while one waits (the same mentor or another), a mentor who
    declined this mentee lately, and more than ASKS_PER_DAY asks in 24 hours."""
    pending = MatchRequest.objects.filter(mentee=mentee, status__in=UNDECIDED).first()
    if pending is not None and pending.mentor_id == mentor.pk:
        raise ValidationError(
            f"You have already asked {mentor.user}; your request is waiting for an answer.",
            code="duplicate",
        )
    if pending is not None:
        raise ValidationError(waiting, code="waiting")
    now = timezone.now()
    declined = (
        MatchRequest.objects.filter(
            mentee=mentee,
            mentor=mentor,
            status=MatchRequest.Status.DECLINED,
            decided_at__gte=now - DECLINED_REST,
        )
        .order_by("-decided_at")
        .first()
    )
    if declined is not None:
        on = timezone.localdate(declined.decided_at, timezone=mentee.user.tzinfo)
        raise ValidationError(
            f"Your request to {mentor.user} was declined on {on:%-d %B}; "
            "ask another mentor (you can ask them again a month after that).",
            code="declined",
        )
    recent = list(
        MatchRequest.objects.filter(mentee=mentee, created_at__gt=now - ASK_WINDOW)
        .order_by("created_at")
        .values_list("created_at", flat=True)[:ASKS_PER_DAY]
    )
    if len(recent) >= ASKS_PER_DAY:
        again = (recent[0] + ASK_WINDOW).astimezone(mentee.user.tzinfo)
        raise ValidationError(
            f"You have asked {ASKS_PER_DAY} times in the last 24 hours, the most there is; "
            f"you can ask again from {again:%-d %B at %H:%M} ({mentee.user.time_zone}).",
            code="too_many",
        )


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


def _decide(request: MatchRequest, *, to: str, by, note: str = "", **fields) -> MatchRequest:
    """Move a request on only if nobody answered it first (a conditional update)."""
    current = request.status
    updated = MatchRequest.objects.filter(pk=request.pk, status=current).update(
        status=to, decided_at=timezone.now(), decided_by=by, **fields
    )
    if not updated:
        raise ValidationError("This request has already been answered.")
    request.refresh_from_db()
    return request


def _require_mentor_and_pending(request: MatchRequest, by) -> None:
    if request.mentor.user_id != by.pk:
        raise PermissionDenied("Only the mentor who was asked can answer.")
    if request.status != MatchRequest.Status.PENDING:
        raise ValidationError("This request has already been answered.")


@transaction.atomic
def match_request_accept(*, request: MatchRequest, by, note: str = "") -> MatchRequest:
    """The mentor says yes. Without approval the partnership starts at once (both said
    yes); with it, the request waits for a coordinator."""
    _require_mentor_and_pending(request, by)
    note = _clean_note(note, "answer_note")
    mentee, programme = request.mentee, request.mentee.programme
    if needs_approval(programme):
        request = _decide(request, to=MatchRequest.Status.APPROVAL, by=by, answer_note=note)
        _notify(
            request,
            to=[mentee.user],
            by=by,
            summary="accepted your request; your coordinator approves the match next, "
            "then you both confirm it",
            link=reverse("matching:suggestions"),
        )
        notification_send(
            recipients=[c for c in programme.coordinators.all() if c.is_active],
            kind=NotificationKind.REQUEST,
            programme=programme,
            actor=by,
            summary=f"accepted {mentee.user}'s request; the match waits for your approval",
            link=coordinators_url(programme),
        )
        return request
    partnership = match_propose(
        mentee=mentee, mentor=request.mentor, by=by, accepted_by=(Role.MENTEE, Role.MENTOR)
    )
    request = _decide(
        request, to=MatchRequest.Status.ACCEPTED, by=by, answer_note=note, partnership=partnership
    )
    _notify(
        request,
        to=[mentee.user],
        by=by,
        summary="accepted your request: your partnership has started",
        link=reverse("partnerships:workspace", args=[partnership.code]),
    )
    return request


@transaction.atomic
def match_request_decline(*, request: MatchRequest, by, note: str = "") -> MatchRequest:
    _require_mentor_and_pending(request, by)
    note = _clean_note(note, "answer_note")
    request = _decide(request, to=MatchRequest.Status.DECLINED, by=by, answer_note=note)
    _notify(
        request,
        to=[request.mentee.user],
        by=by,
        summary="can't take you on right now; choose another mentor",
        link=reverse("matching:suggestions"),
    )
    return request


def _require_coordinator_and_waiting(request: MatchRequest, by) -> None:
    if not can_coordinate(request.mentee.programme, by):
        raise PermissionDenied("Only the programme's coordinators approve matches.")
    if request.status != MatchRequest.Status.APPROVAL:
        raise ValidationError("This request is not waiting for approval.")


@transaction.atomic
def match_request_approve(*, request: MatchRequest, by) -> MatchRequest:
    """A coordinator approves an accepted request: the match is proposed to both."""
    _require_coordinator_and_waiting(request, by)
    partnership = match_propose(mentee=request.mentee, mentor=request.mentor, by=by)
    return _decide(request, to=MatchRequest.Status.ACCEPTED, by=by, partnership=partnership)


@transaction.atomic
def match_request_refuse(*, request: MatchRequest, by) -> MatchRequest:
    """A coordinator does not approve an accepted request; both hear of it."""
    _require_coordinator_and_waiting(request, by)
    request = _decide(request, to=MatchRequest.Status.DECLINED, by=by)
    _notify(
        request,
        to=[request.mentee.user, request.mentor.user],
        by=by,
        summary=f"did not approve the match of {request.mentee.user} with {request.mentor.user}",
        link=reverse("home"),
    )
    return request


@transaction.atomic
def match_request_withdraw(*, request: MatchRequest, by) -> None:
    if request.mentee.user_id != by.pk:
        raise PermissionDenied("Only the mentee can withdraw their request.")
    withdrawn = MatchRequest.objects.filter(pk=request.pk, status__in=UNDECIDED).update(
        status=MatchRequest.Status.WITHDRAWN, decided_at=timezone.now(), decided_by=by
    )
    if withdrawn:
        _notify(
            request,
            to=[request.mentor.user],
            by=by,
            summary="withdrew their request",
            link=reverse("matching:requests"),
            email=False,  # nothing to do: the app says so, an email would only disturb
        )
