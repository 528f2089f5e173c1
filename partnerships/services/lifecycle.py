import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnerships.models import ClosingReflection, Participant, Partnership, Programme
from partnerships.models.partnership import OPEN_STATUSES, Status
from partnerships.models.visibility import Visibility
from partnerships.services.rules import (
    activity_record,
    require_member,
    require_member_or_coordinator,
)


@transaction.atomic
def partnership_create(
    *,
    programme: Programme,
    mentor: Participant,
    mentee: Participant,
    by=None,
    checkin_cadence_days: int | None = None,
) -> Partnership:
    """Propose a partnership, refusing wrong roles, other programmes and full mentors."""
    partnership = Partnership(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        checkin_cadence_days=checkin_cadence_days or programme.checkin_cadence_days,
    )
    partnership.full_clean()
    # Lock both people so that two coordinators matching at once cannot overfill a mentor.
    locked = {
        p.pk: p
        for p in Participant.objects.select_for_update().filter(pk__in=[mentor.pk, mentee.pk])
    }
    mentor_open = Partnership.objects.filter(mentor=mentor, status__in=OPEN_STATUSES).count()
    if mentor_open >= locked[mentor.pk].capacity:
        raise ValidationError(
            {
                "mentor": f"{mentor.user} is at capacity ({locked[mentor.pk].capacity} open "
                f"partnership{'s' if locked[mentor.pk].capacity != 1 else ''})."
            },
            code="mentor_at_capacity",
        )
    if Partnership.objects.filter(mentee=mentee, status__in=OPEN_STATUSES).exists():
        raise ValidationError(
            {"mentee": f"{mentee.user} already has an open partnership in this programme."},
            code="mentee_taken",
        )
    partnership.save()
    activity_record(
        partnership=partnership, actor=by, verb="proposed", summary="proposed the partnership"
    )
    return partnership


def _move(partnership: Partnership, *, to: str, by, summary: str, **fields) -> Partnership:
    """Change status only if nobody else changed it first (a conditional update)."""
    partnership.check_can_move_to(to)
    updated = Partnership.objects.filter(pk=partnership.pk, status=partnership.status).update(
        status=to, updated_at=timezone.now(), **fields
    )
    if not updated:
        partnership.refresh_from_db()
        partnership.check_can_move_to(to)  # explains what changed underneath
        raise ValidationError("The partnership changed meanwhile; please try again.")
    partnership.refresh_from_db()
    activity_record(partnership=partnership, actor=by, verb=to, summary=summary)
    return partnership


def _due_from(day: datetime.date, partnership: Partnership) -> datetime.date:
    return day + datetime.timedelta(days=partnership.checkin_cadence_days)


@transaction.atomic
def partnership_activate(*, partnership: Partnership, by) -> Partnership:
    require_member_or_coordinator(partnership, by)
    today = timezone.localdate()
    return _move(
        partnership,
        to=Status.ACTIVE,
        by=by,
        summary="started the partnership",
        started_on=today,
        next_checkin_due_on=_due_from(partnership.last_checkin_on or today, partnership),
    )


@transaction.atomic
def partnership_pause(*, partnership: Partnership, by, reason: str = "") -> Partnership:
    require_member_or_coordinator(partnership, by)
    if partnership.status != Status.ACTIVE:
        partnership.check_can_move_to(Status.PAUSED)
        raise ValidationError("Only an active partnership can be paused.")
    return _move(
        partnership,
        to=Status.PAUSED,
        by=by,
        summary="paused the partnership" + (f": {reason}" if reason else ""),
        next_checkin_due_on=None,
    )


@transaction.atomic
def partnership_resume(*, partnership: Partnership, by) -> Partnership:
    require_member_or_coordinator(partnership, by)
    if partnership.status != Status.PAUSED:
        raise ValidationError(
            "Only a paused partnership can be resumed.", code="invalid_transition"
        )
    # The clock restarts on resuming: a pause is not a missed check-in.
    return _move(
        partnership,
        to=Status.ACTIVE,
        by=by,
        summary="resumed the partnership",
        next_checkin_due_on=_due_from(timezone.localdate(), partnership),
    )


@transaction.atomic
def partnership_complete(*, partnership: Partnership, by) -> Partnership:
    require_member_or_coordinator(partnership, by)
    return _move(
        partnership,
        to=Status.COMPLETED,
        by=by,
        summary="completed the partnership",
        ended_on=timezone.localdate(),
        next_checkin_due_on=None,
    )


@transaction.atomic
def partnership_end(*, partnership: Partnership, by, reason: str = "") -> Partnership:
    """End early, without fault: either partner (or a coordinator) may."""
    require_member_or_coordinator(partnership, by)
    return _move(
        partnership,
        to=Status.ENDED_EARLY,
        by=by,
        summary="ended the partnership early",
        ended_on=max(timezone.localdate(), partnership.started_on or timezone.localdate()),
        end_reason=reason[:300],
        next_checkin_due_on=None,
    )


@transaction.atomic
def closing_reflection_write(
    *, partnership: Partnership, by, text: str, visibility: str = Visibility.SHARED
) -> ClosingReflection:
    require_member(partnership, by)
    if partnership.is_open:
        raise ValidationError("Closing reflections are written once the partnership has ended.")
    if not text.strip():
        raise ValidationError({"text": "Write a few words before saving."})
    was_shared = ClosingReflection.objects.filter(
        partnership=partnership, author=by, visibility=Visibility.SHARED
    ).exists()
    reflection, created = ClosingReflection.objects.update_or_create(
        partnership=partnership, author=by, defaults={"text": text, "visibility": visibility}
    )
    # The feed is the partner's (and coordinators read it): a private reflection is nobody
    # else's business, not even that it exists. A shared one is announced when it is shared.
    if visibility == Visibility.SHARED and not was_shared:
        activity_record(
            partnership=partnership,
            actor=by,
            verb="closing_reflection",
            summary="wrote a closing reflection" if created else "shared their closing reflection",
        )
    return reflection
