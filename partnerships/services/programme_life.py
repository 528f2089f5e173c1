"""A programme's life after its start: the end date acts, single partnerships may run on,
programmes are archived.

``programme_close`` is run by a beat task (goals.tasks.close_programmes) in any number of
workers at once: each claims the partnerships it completes with ``SKIP LOCKED`` and moves
them with a conditional update, so a partnership is completed once and its feed says so
once. Run it again and it finds nothing left to do.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from partnerships.models import Activity, CoordinatorAction, Partnership, Programme
from partnerships.models.partnership import OPEN_STATUSES, EndReason, Status
from partnerships.services.rules import activity_record, can_coordinate

NO_PAUSE = {"pause_reason": "", "pause_note": "", "pause_note_shared": False, "paused_by": None}


def _past_their_end(programme: Programme, today: datetime.date):
    """Open partnerships of the programme whose last day (the end, or their extension)
    is before ``today``."""
    return Partnership.objects.filter(
        programme=programme, status__in=OPEN_STATUSES, programme__ends_on__lt=today
    ).filter(Q(extended_until__isnull=True) | Q(extended_until__lt=today))


def programme_close(*, programme: Programme, now: datetime.datetime | None = None) -> int:
    """Act on the end date: complete each open partnership whose last day has passed (one
    never started ends early: "the programme ended before it began"), and mark the
    programme closed. Returns how many partnerships this call closed."""
    now = now or timezone.now()
    today = programme.today(now)
    if not programme.has_ended(today):
        return 0
    closed = 0
    while True:
        with transaction.atomic():
            # Claimed, not assumed: another worker closing the same programme skips these.
            batch = list(
                _past_their_end(programme, today)
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")
                .values_list("pk", "status", "extended_until", "started_on")[:500]
            )
            if not batch:
                break
            activities = []
            for pk, status, extended_until, started_on in batch:
                last_day = max(programme.ends_on, extended_until or programme.ends_on)
                # An end date moved before a partnership began: it ends the day it began.
                last_day = max(last_day, started_on or last_day)
                if status == Status.PROPOSED:
                    moved = Partnership.objects.filter(pk=pk, status=status).update(
                        status=Status.ENDED_EARLY,
                        end_reason=EndReason.NOT_BEGUN,
                        ended_on=last_day,
                        next_checkin_due_on=None,
                        updated_at=now,
                    )
                    summary = "closed with the programme before it began"
                    verb = Status.ENDED_EARLY
                else:
                    moved = Partnership.objects.filter(pk=pk, status=status).update(
                        status=Status.COMPLETED,
                        ended_on=last_day,
                        next_checkin_due_on=None,
                        updated_at=now,
                        **NO_PAUSE,
                    )
                    summary = "completed with the programme's end"
                    verb = Status.COMPLETED
                if moved:
                    closed += 1
                    activities.append(
                        Activity(partnership_id=pk, actor=None, verb=verb, summary=summary)
                    )
            Activity.objects.bulk_create(activities)
    Programme.objects.filter(pk=programme.pk, closed_at__isnull=True).update(closed_at=now)
    return closed


def programmes_to_close(now: datetime.datetime):
    """Programmes whose end date may have passed somewhere on Earth (each programme's own
    calendar decides) and that still have open partnerships or were never marked closed."""
    latest_today = (now + datetime.timedelta(days=1)).date()
    open_partnerships = Partnership.objects.filter(status__in=OPEN_STATUSES).values("programme_id")
    return Programme.objects.filter(ends_on__lt=latest_today).filter(
        Q(closed_at__isnull=True) | Q(pk__in=open_partnerships)
    )


def programmes_close_due(*, now: datetime.datetime | None = None) -> dict[int, int]:
    """Close every programme whose end date has passed: programme id → partnerships closed."""
    now = now or timezone.now()
    return {
        programme.pk: programme_close(programme=programme, now=now)
        for programme in programmes_to_close(now).order_by("pk")
    }


def _require_coordinator(programme: Programme, by) -> None:
    if not can_coordinate(programme, by):
        raise PermissionDenied("Only the programme's coordinators can do this.")


@transaction.atomic
def partnership_extend(*, partnership: Partnership, until: datetime.date | None, by) -> Partnership:
    """Let one partnership run past the programme's end date, until ``until`` (None: end
    with the programme again). Only before its current last day has passed."""
    programme = partnership.programme
    _require_coordinator(programme, by)
    if not partnership.is_open or partnership.has_ended():
        raise ValidationError(
            "This partnership has already ended; it can no longer be extended.",
            code="ended",
        )
    if until is not None and until <= programme.ends_on:
        raise ValidationError(
            {"until": "Choose a day after the programme's end date (%(end)s)."},
            code="too_early",
            params={"end": f"{programme.ends_on:%-d %B %Y}"},
        )
    Partnership.objects.filter(pk=partnership.pk).update(
        extended_until=until, updated_at=timezone.now()
    )
    partnership.refresh_from_db()
    summary = (
        f"extended the partnership until {until:%-d %B %Y}"
        if until
        else "let the partnership end with the programme"
    )
    activity_record(partnership=partnership, actor=by, verb="extended", summary=summary)
    CoordinatorAction.record(
        actor=by, programme=programme, partnership=partnership, verb="extended", summary=summary
    )
    return partnership


@transaction.atomic
def programme_archive(*, programme: Programme, by, archived: bool = True) -> Programme:
    """Archive a programme that has ended (it leaves the lists, nothing is deleted and it
    stays readable), or bring it back."""
    _require_coordinator(programme, by)
    if archived and programme.closed_at is None:
        raise ValidationError(
            "Only a programme that has ended (and been closed) can be archived.",
            code="not_closed",
        )
    Programme.objects.filter(pk=programme.pk).update(
        archived_at=timezone.now() if archived else None
    )
    programme.refresh_from_db()
    CoordinatorAction.record(
        actor=by,
        programme=programme,
        verb="archived" if archived else "unarchived",
        summary="archived the programme"
        if archived
        else "brought the programme back from the archive",
    )
    return programme
