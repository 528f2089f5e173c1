"""Checks shared by the services: who may act, and on what state."""

from django.core.exceptions import PermissionDenied, ValidationError

from partnerships.models import Activity, Partnership, Programme
from partnerships.models.participant import Role


def require_running(partnership: Partnership) -> None:
    """Once its last day has passed (the programme's end date, or the day a coordinator
    extended it to), a partnership is read-only for good: readable, never written."""
    if partnership.has_ended():
        raise ValidationError(
            "The programme ended on %(end)s, so this workspace is read-only.",
            code="programme_ended",
            params={"end": f"{partnership.ends_on:%-d %B %Y}"},
        )


def require_member(partnership: Partnership, user) -> str:
    """Return the user's role in the partnership, or refuse; and refuse every write once
    the programme has ended for it."""
    role = partnership.role_of(user)
    if role is None:
        raise PermissionDenied("Only the two partners can do this.")
    require_running(partnership)
    return role


def require_role(partnership: Partnership, user, role: str, action: str) -> None:
    if require_member(partnership, user) != role:
        raise PermissionDenied(f"Only the {Role(role).label.lower()} can {action}.")


def require_workable(partnership: Partnership) -> None:
    if not partnership.is_workable:
        raise ValidationError(
            "This partnership is %(status)s, so it is read-only.",
            code="not_active",
            params={"status": partnership.get_status_display().lower()},
        )


def can_coordinate(programme: Programme, user) -> bool:
    return user.is_superuser or (
        user.is_staff and programme.coordinators.filter(pk=user.pk).exists()
    )


def require_member_or_coordinator(partnership: Partnership, user) -> None:
    if partnership.role_of(user) is None and not can_coordinate(partnership.programme, user):
        raise PermissionDenied("Only the partners or the programme's coordinators can do this.")
    require_running(partnership)


def activity_record(*, partnership: Partnership, actor, verb: str, summary: str) -> Activity:
    return Activity.objects.create(
        partnership=partnership, actor=actor, verb=verb, summary=summary[:300]
    )
