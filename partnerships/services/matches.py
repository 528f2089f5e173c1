"""Matches both partners accept: a proposed partnership waits for each partner's answer.

A coordinator's match, a cohort's proposed pairs and a request the coordinator approved
each propose a partnership that asks both people; it becomes active when both have
accepted, and either may decline with a reason the coordinator sees as a category. A
request accepted where no approval is needed was already a yes from both (the mentee
asked, the mentor accepted): that partnership is active at once.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from partnerships.models import MatchAnswer, Participant, Partnership
from partnerships.models.match_answer import DeclineReason
from partnerships.models.notification import NotificationKind
from partnerships.models.participant import Role
from partnerships.models.partnership import Status
from partnerships.services.lifecycle import partnership_activate, partnership_create
from partnerships.services.notifications import notification_send
from partnerships.services.rules import activity_record, require_member


def match_url(partnership: Partnership) -> str:
    return reverse("partnerships:match", args=[partnership.code])


def coordinators_url(programme) -> str:
    return reverse("admin:partnerships_programme_matching", args=[programme.pk])


def _active_coordinators(programme) -> list:
    return [person for person in programme.coordinators.all() if person.is_active]


@transaction.atomic
def match_propose(
    *,
    mentee: Participant,
    mentor: Participant,
    by,
    accepted_by: tuple[str, ...] = (),
) -> Partnership:
    """Propose a partnership. ``accepted_by`` holds the roles that already said yes (both,
    for a request accepted without approval): the rest are asked, and it starts when
    nobody is left to ask."""
    partnership = partnership_create(
        programme=mentee.programme, mentor=mentor, mentee=mentee, by=by
    )
    for role in accepted_by:
        MatchAnswer.objects.create(
            partnership=partnership,
            role=role,
            user=getattr(partnership, role).user,
            accepted=True,
        )
    asked = [role for role in (Role.MENTEE, Role.MENTOR) if role not in accepted_by]
    if not asked:
        partnership_activate(partnership=partnership, by=by)
        return partnership
    for role in asked:
        person = getattr(partnership, role).user
        partner = partnership.partner_of(person)
        notification_send(
            recipients=[person],
            kind=NotificationKind.MATCH,
            programme=partnership.programme,
            partnership=partnership,
            actor=None if by == person else by,
            summary=f"proposed a match with {partner}: accept or decline it",
            link=match_url(partnership),
        )
    return partnership


def waiting_roles(partnership: Partnership) -> list[str]:
    """The roles that have not answered a proposed match (none once it is decided)."""
    if partnership.status != Status.PROPOSED:
        return []
    answers = MatchAnswer.objects.filter(partnership=partnership)
    answered = set(answers.values_list("role", flat=True))
    return [role for role in (Role.MENTEE, Role.MENTOR) if role not in answered]


def _answer(partnership: Partnership, by, *, accepted: bool, reason: str = "") -> str:
    role = require_member(partnership, by)
    if partnership.status != Status.PROPOSED:
        raise ValidationError(
            "This match has been decided already: the partnership is %(status)s.",
            code="decided",
            params={"status": partnership.get_status_display().lower()},
        )
    try:
        with transaction.atomic():
            MatchAnswer.objects.create(
                partnership=partnership, role=role, user=by, accepted=accepted, reason=reason
            )
    except IntegrityError as error:  # the same answer sent twice at once
        raise ValidationError("You have already answered this match.", code="answered") from error
    return role


@transaction.atomic
def match_accept(*, partnership: Partnership, by) -> Partnership:
    """Say yes; the second yes starts the partnership."""
    Partnership.objects.select_for_update().filter(pk=partnership.pk).get()
    partnership.refresh_from_db()
    _answer(partnership, by, accepted=True)
    partner = partnership.partner_of(by)
    if waiting_roles(partnership):
        activity_record(
            partnership=partnership, actor=by, verb="match_accepted", summary="accepted the match"
        )
        notification_send(
            recipients=[partner],
            kind=NotificationKind.MATCH,
            programme=partnership.programme,
            partnership=partnership,
            actor=by,
            summary="accepted your match; it starts when you accept it too",
            link=match_url(partnership),
        )
        return partnership
    partnership = partnership_activate(partnership=partnership, by=by)
    notification_send(
        recipients=[partner],
        kind=NotificationKind.MATCH,
        programme=partnership.programme,
        partnership=partnership,
        actor=by,
        summary="accepted your match: your partnership has started",
        link=reverse("partnerships:workspace", args=[partnership.code]),
    )
    return partnership


@transaction.atomic
def match_decline(*, partnership: Partnership, by, reason: str) -> Partnership:
    """Say no, with a category the coordinator reads; the proposed partnership ends there
    (it never started), and the mentee can be matched again."""
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": "Choose one of the reasons listed."}, code="invalid")
    Partnership.objects.select_for_update().filter(pk=partnership.pk).get()
    partnership.refresh_from_db()
    _answer(partnership, by, accepted=False, reason=reason)
    today = timezone.localdate()
    Partnership.objects.filter(pk=partnership.pk, status=Status.PROPOSED).update(
        status=Status.ENDED_EARLY,
        ended_on=today,
        ended_by=by,
        next_checkin_due_on=None,
        updated_at=timezone.now(),
    )
    partnership.refresh_from_db()
    label = DeclineReason(reason).label.lower()
    activity_record(
        partnership=partnership, actor=by, verb="match_declined", summary="declined the match"
    )
    notification_send(
        recipients=[partnership.partner_of(by)],
        kind=NotificationKind.MATCH,
        programme=partnership.programme,
        partnership=partnership,
        actor=by,
        summary="declined the proposed match; you can be matched with someone else",
        link=reverse("home"),
    )
    notification_send(
        recipients=_active_coordinators(partnership.programme),
        kind=NotificationKind.MATCH,
        programme=partnership.programme,
        partnership=partnership,
        actor=by,
        summary=f"declined the match of {partnership.mentee.user} with "
        f"{partnership.mentor.user} ({label})",
        link=coordinators_url(partnership.programme),
    )
    return partnership


def require_can_answer(partnership: Partnership, by) -> str:
    """The user's role, if they may still answer this match; else why not."""
    role = require_member(partnership, by)
    if role not in waiting_roles(partnership):
        raise PermissionDenied("There is nothing here for you to answer.")
    return role
