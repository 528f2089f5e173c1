"""What every kind of reminder provides, and the shape of one due reminder."""

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

# How long a missed reminder may still be caught up (after downtime, or a first start).
OVERDUE_CATCH_UP_DAYS = 90
GOAL_CATCH_UP_DAYS = 30
MAX_LEAD_DAYS = 30  # Programme.reminder_lead_days is at most 30


@dataclass(frozen=True, slots=True)
class Recipient:
    """What the sweep needs of a person: a narrow row, not a User (thousands per sweep)."""

    pk: int
    time_zone: str
    is_active: bool
    email_reminders: bool

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


@dataclass(frozen=True)
class Due:
    """One reminder that is (or will soon be) due to one person."""

    recipient: Any  # a User, or a Recipient
    kind: str
    programme: Any  # a Programme
    partnership_id: int | None
    subject_key: str
    period: str
    due_on: datetime.date  # the recipient's local date it is due on
    last_day: datetime.date | None  # after this local date it is no longer worth sending

    def in_window(self, today: datetime.date) -> bool:
        return self.due_on <= today and (self.last_day is None or today <= self.last_day)


def has_ended(partnership, now: datetime.datetime) -> bool:
    """Past the partnership's last day on its programme's calendar: from then on nothing
    is reminded about it (partnerships.models.Partnership.has_ended)."""
    return partnership.has_ended(partnership.programme.today(now))


def keyset_batches(queryset, *, order: tuple[str, str], batch_size: int):
    """Yield lists of objects (or named rows) ordered by (order[0], pk), one bounded query
    per batch, each starting after the last row of the previous one (no OFFSET scans)."""
    field, pk = order
    queryset = queryset.order_by(field, pk)
    last = None
    while True:
        page = queryset
        if last is not None:
            value, key = last
            page = page.filter(Q(**{f"{field}__gt": value}) | Q(**{field: value, f"{pk}__gt": key}))
        batch = list(page[:batch_size])
        if not batch:
            return
        yield batch
        if len(batch) < batch_size:
            return
        tail = batch[-1]
        last = (getattr(tail, field), getattr(tail, pk))
