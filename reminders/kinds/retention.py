"""Retention notice: a month before a programme's retention setting deletes private
reflections (and perhaps shared free text), each of its participants is told the day
(goals.retention)."""

import datetime

from partnerships.models import Participant, Partnership, Programme
from partnerships.models.reminder import ReminderKind
from reminders import links
from reminders.kinds.base import Due, keyset_batches

DAY = datetime.timedelta(days=1)


def candidates(now: datetime.datetime, *, batch_size: int):
    """Participants of programmes whose retention day is a month or less away and has not
    run. Programmes are few: one query; their people in batches."""
    today = now.astimezone(datetime.UTC).date()
    programmes = [
        p
        for p in Programme.objects.filter(
            retention_months__isnull=False, retention_run__isnull=True, ends_on__lt=today + DAY
        )
        if p.retention_notice_on <= today + DAY
    ]
    for programme in programmes:
        deletes_on = programme.retention_deletes_on
        people = Participant.objects.filter(programme=programme).select_related("user")
        for batch in keyset_batches(people, order=("user_id", "pk"), batch_size=batch_size):
            yield [
                Due(
                    recipient=participant.user,
                    kind=ReminderKind.RETENTION_NOTICE,
                    programme=programme,
                    partnership_id=None,
                    subject_key=f"programme:{programme.pk}",
                    period=f"retention/{deletes_on.isoformat()}",
                    due_on=programme.retention_notice_on,
                    last_day=deletes_on - DAY,
                )
                for participant in batch
            ]


def still_due(reminder) -> str | None:
    programme = reminder.programme
    deletes_on = programme.retention_deletes_on
    if deletes_on is None:
        return "the programme no longer deletes reflections"
    if reminder.period != f"retention/{deletes_on.isoformat()}":
        return "the day changed"
    if hasattr(programme, "retention_run"):
        return "it has already run"
    return None


def context(reminder) -> dict:
    programme = reminder.programme
    mine = Partnership.objects.for_user(reminder.recipient).filter(programme=programme)
    first = mine.order_by("pk").first()
    return {
        "programme": programme,
        "deletes_on": programme.retention_deletes_on,
        "includes_shared": programme.retention_includes_shared,
        "action_url": (
            links.partnership_url(first) if first is not None else links.dashboard_url()
        ),
        "my_data_url": links.absolute("/accounts/my-data.json"),
    }
