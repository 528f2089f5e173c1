"""A programme's retention setting, carried out: private reflections (and, if the
programme says so, shared free text) are deleted a chosen number of months after its end.

Run by a beat task (goals.tasks.apply_retention). The day is the programme's own: the
deletion happens once ``Programme.retention_deletes_on`` has begun on the programme's
calendar, never before. The ``RetentionRun`` row is both the record coordinators read and
the claim: it is inserted in the same transaction as the deletions, and its unique
programme lets only one worker do it (another waits, then finds it done).

What goes, and what stays:
- always: private reflections on check-ins, and private closing reflections;
- with ``retention_includes_shared``: shared reflections and closing reflections are
  deleted, and check-in agendas, agenda items, goal-review notes, feedback comments and
  the partners' pause and end notes are emptied.
Dates, counts, statuses, ratings and goal titles stay, so outcomes stay readable.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from goals.models import GoalReview
from partnerships.models import (
    AgendaItem,
    CheckIn,
    ClosingReflection,
    Feedback,
    HealthFacts,
    Partnership,
    Programme,
    Reflection,
)
from partnerships.models.retention import RetentionRun
from partnerships.models.visibility import Visibility


def retention_due(now: datetime.datetime):
    """Programmes whose deletion day may have begun somewhere, not yet carried out."""
    latest_today = (now + datetime.timedelta(days=1)).date()
    return Programme.objects.filter(
        retention_months__isnull=False, ends_on__lt=latest_today, retention_run__isnull=True
    )


def retention_apply(*, programme: Programme, now: datetime.datetime | None = None):
    """Carry out the programme's retention setting if its day has come; the run's record,
    or None when it is not (yet) due or another worker has done it."""
    now = now or timezone.now()
    deletes_on = programme.retention_deletes_on
    if deletes_on is None or programme.today(now) < deletes_on:
        return None
    try:
        with transaction.atomic():
            run = RetentionRun.objects.create(
                programme=programme,
                deletes_on=deletes_on,
                months=programme.retention_months,
                included_shared=programme.retention_includes_shared,
            )
            _delete(programme, run)
            run.save()
    except IntegrityError:
        return None  # another worker carried it out first
    return run


def _delete(programme: Programme, run: RetentionRun) -> None:
    partnerships = Partnership.objects.filter(programme=programme)
    reflections = Reflection.objects.filter(checkin__partnership__in=partnerships)
    closing = ClosingReflection.objects.filter(partnership__in=partnerships)
    private = Visibility.PRIVATE
    run.private_reflections = (
        reflections.filter(visibility=private).delete()[0]
        + closing.filter(visibility=private).delete()[0]
    )
    if programme.retention_includes_shared:
        run.shared_reflections = reflections.delete()[0] + closing.delete()[0]
        run.texts_cleared = (
            CheckIn.objects.filter(partnership__in=partnerships)
            .exclude(agenda="")
            .update(agenda="")
            + GoalReview.objects.filter(checkin__partnership__in=partnerships)
            .exclude(note="")
            .update(note="")
            + Feedback.objects.filter(checkin__partnership__in=partnerships)
            .exclude(comment="")
            .update(comment="")
            + AgendaItem.objects.filter(partnership__in=partnerships)
            .exclude(text="")
            .update(text="")
            + partnerships.exclude(pause_note="").update(pause_note="", pause_note_shared=False)
            + partnerships.exclude(end_note="").update(end_note="", end_note_shared=False)
        )
    # Participation was counted from what is now gone: recount from what remains.
    HealthFacts.objects.filter(partnership__in=partnerships).delete()


def retention_apply_due(*, now: datetime.datetime | None = None) -> dict[int, RetentionRun]:
    now = now or timezone.now()
    runs = {}
    for programme in retention_due(now).order_by("pk"):
        run = retention_apply(programme=programme, now=now)
        if run is not None:
            runs[programme.pk] = run
    return runs
