"""Recording coordinators' looks at partnerships, so that the partners can see them."""

from collections.abc import Iterable

from django.db.models import IntegerField, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from partnerships.models import CoordinatorAccess


def coordinator_access_record(*, coordinator, partnership_ids: Iterable[int], page: str) -> None:
    """``coordinator`` saw these partnerships on ``page`` (a CoordinatorAccess.Page): one
    row per partnership, person and page, its last time and count bumped. One statement,
    whatever the number of partnerships: an INSERT that updates the rows already there.

    The count is read in the same statement (the row's times, plus one). Two looks at the
    same page by the same person in the same instant may count once: the count says about
    how often, the times say when."""
    # In order: two requests recording the same rows lock them in the same order, so they
    # wait for each other instead of deadlocking.
    ids = sorted(set(partnership_ids))
    if not ids:
        return
    now = timezone.now()
    CoordinatorAccess.objects.bulk_create(
        [
            CoordinatorAccess(
                partnership_id=pk,
                coordinator=coordinator,
                page=page,
                first_at=now,
                last_at=now,
                times=_times_so_far(pk, coordinator, page) + Value(1),
            )
            for pk in ids
        ],
        update_conflicts=True,
        unique_fields=["partnership", "coordinator", "page"],
        update_fields=["last_at", "times"],
    )


def _times_so_far(partnership_id: int, coordinator, page: str):
    # bulk_create's update sets a column to the new row's value, never to an expression of
    # the old one; so the new row's value is computed from the old row, in the INSERT.
    times = CoordinatorAccess.objects.filter(
        partnership_id=partnership_id, coordinator=coordinator, page=page
    ).values("times")
    return Coalesce(Subquery(times, output_field=IntegerField()), Value(0))
