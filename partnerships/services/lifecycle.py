import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from partnerships.models import ClosingReflection, Participant, Partnership, Programme
from partnerships.models.notification import NotificationKind
from partnerships.models.partnership import (
    OPEN_STATUSES,
    PROGRAMME_END_REASONS,
    EndReason,
    PauseReason,
    Status,
)
from partnerships.models.visibility import Visibility
from partnerships.services.notifications import notification_send_to_partners
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


# The current pause's reason goes with the pause (the activity feed keeps its category).
NO_PAUSE = {"pause_reason": "", "pause_note": "", "pause_note_shared": False, "paused_by": None}


def _move(
    partnership: Partnership, *, to: str, by, summary: str, notify: bool = True, **fields
) -> Partnership:
    """Change status only if nobody else changed it first (a conditional update)."""
    partnership.check_can_move_to(to)
    if partnership.status == Status.PAUSED and to != Status.PAUSED:
        fields = {**NO_PAUSE, **fields}
    updated = Partnership.objects.filter(pk=partnership.pk, status=partnership.status).update(
        status=to, updated_at=timezone.now(), **fields
    )
    if not updated:
        partnership.refresh_from_db()
        partnership.check_can_move_to(to)  # explains what changed underneath
        raise ValidationError("The partnership changed meanwhile; please try again.")
    partnership.refresh_from_db()
    activity_record(partnership=partnership, actor=by, verb=to, summary=summary)
    if notify:
        # Paused, resumed, completed or ended: the partner (both, if a coordinator did it)
        # hears of it; the category is said, the note stays on the workspace.
        notification_send_to_partners(
            partnership=partnership,
            by=by,
            kind=NotificationKind.PARTNERSHIP,
            summary=summary,
            link=reverse("partnerships:workspace", args=[partnership.code]),
        )
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
        notify=False,  # the match's acceptance says so (partnerships.services.matches)
        started_on=today,
        next_checkin_due_on=_due_from(partnership.last_checkin_on or today, partnership),
    )


def _reason(
    choices, *, reason: str, note: str, share_note: bool, by, partnership: Partnership
) -> dict:
    """Check a pause's or an early end's reason; the note is the partners' own."""
    if reason and (reason not in choices.values or reason in PROGRAMME_END_REASONS):
        raise ValidationError({"reason": "Choose one of the reasons listed."}, code="invalid")
    note = note.strip()
    if len(note) > 300:
        raise ValidationError({"note": "Keep the note to 300 characters."}, code="max_length")
    if partnership.role_of(by) is None and note:
        # A coordinator's own words go to the coordinators' action log, not to the partners.
        raise ValidationError({"note": "Only the partners write a note here."}, code="invalid")
    return {"reason": reason, "note": note, "shared": share_note and bool(note)}


def _with_reason(summary: str, choices, reason: str) -> str:
    return f"{summary} ({choices(reason).label.lower()})" if reason else summary


@transaction.atomic
def partnership_pause(
    *, partnership: Partnership, by, reason: str = "", note: str = "", share_note: bool = False
) -> Partnership:
    """Rest the partnership: nothing is due until either partner resumes it.

    ``reason`` is a ``PauseReason`` (coordinators see it, and so does the activity feed);
    ``note`` is for the partner, and the coordinator reads it only if ``share_note``.
    """
    require_member_or_coordinator(partnership, by)
    if partnership.status != Status.ACTIVE:
        partnership.check_can_move_to(Status.PAUSED)
        raise ValidationError("Only an active partnership can be paused.")
    why = _reason(
        PauseReason,
        reason=reason,
        note=note,
        share_note=share_note,
        by=by,
        partnership=partnership,
    )
    return _move(
        partnership,
        to=Status.PAUSED,
        by=by,
        summary=_with_reason("paused the partnership", PauseReason, why["reason"]),
        next_checkin_due_on=None,
        pause_reason=why["reason"],
        pause_note=why["note"],
        pause_note_shared=why["shared"],
        paused_by=by,
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
def partnership_end(
    *, partnership: Partnership, by, reason: str = "", note: str = "", share_note: bool = False
) -> Partnership:
    """End early, without fault: either partner (or a coordinator) may.

    ``reason`` is an ``EndReason`` (coordinators see it, and so does the activity feed);
    ``note`` is for the partner, and the coordinator reads it only if ``share_note``.
    """
    require_member_or_coordinator(partnership, by)
    why = _reason(
        EndReason, reason=reason, note=note, share_note=share_note, by=by, partnership=partnership
    )
    return _move(
        partnership,
        to=Status.ENDED_EARLY,
        by=by,
        summary=_with_reason("ended the partnership early", EndReason, why["reason"]),
        ended_on=max(timezone.localdate(), partnership.started_on or timezone.localdate()),
        end_reason=why["reason"],
        end_note=why["note"],
        end_note_shared=why["shared"],
        ended_by=by,
        next_checkin_due_on=None,
    )


@transaction.atomic
def closing_reflection_write(
    *, partnership: Partnership, by, text: str, visibility: str = Visibility.SHARED
) -> ClosingReflection:
    require_member(partnership, by)
    if partnership.is_open and not partnership.in_wrap_up():
        raise ValidationError(
            "Closing reflections are written in the programme's wrap-up, or once the "
            "partnership has ended."
        )
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
