"""Which kinds of reminder a person gets: every kind, minus the ones they turned off."""

from django.db import transaction

from partnerships.models.reminder import ReminderKind, ReminderOptOut


def turned_off(user_ids) -> set[tuple[int, str]]:
    """(user id, kind) for every kind these people turned off, in one query."""
    return set(ReminderOptOut.objects.filter(user__in=user_ids).values_list("user_id", "kind"))


def turn_off(*, user, kind: str) -> None:
    ReminderOptOut.objects.get_or_create(user=user, kind=ReminderKind(kind))


def turn_on(*, user, kind: str) -> None:
    ReminderOptOut.objects.filter(user=user, kind=ReminderKind(kind)).delete()


@transaction.atomic
def set_kinds(*, user, on: set[str]) -> None:
    """Turn on exactly the kinds in ``on``; every other kind off."""
    for kind in ReminderKind.values:
        if kind in on:
            turn_on(user=user, kind=kind)
        else:
            turn_off(user=user, kind=kind)
