"""Goal changes. Nothing edits a goal except through here, and every edit is a revision."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from goals.models import (
    REVISABLE_FIELDS,
    Goal,
    GoalChangeProposal,
    GoalReview,
    GoalRevision,
    GoalStatus,
    NextStep,
)
from partnerships.models import CheckIn, Partnership
from partnerships.models.notification import NotificationKind
from partnerships.models.participant import Role
from partnerships.services.health_facts import health_facts_clear
from partnerships.services.notifications import notification_send_to_partners
from partnerships.services.rules import (
    activity_record,
    require_member,
    require_role,
    require_workable,
)

# Statuses a revision may move a goal between (adoption has its own service).
STATUS_MOVES = {
    GoalStatus.ACTIVE: {GoalStatus.ACHIEVED, GoalStatus.DROPPED},
    GoalStatus.ACHIEVED: {GoalStatus.ACTIVE},
    GoalStatus.DROPPED: {GoalStatus.ACTIVE},
    GoalStatus.PROPOSED: set(),
}


class GoalEditConflict(Exception):
    """Someone else saved the goal since this edit began; ``current`` is their version."""

    def __init__(self, current: Goal):
        super().__init__("The goal was changed by someone else meanwhile.")
        self.current = current


def _as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _record(goal: Goal, *, kind: str, changes: dict, by, reason: str = "", checkin=None):
    return GoalRevision.objects.create(
        goal=goal,
        kind=kind,
        changes=changes,
        reason=reason,
        author=by,
        checkin=checkin,
        goal_version=goal.version,
    )


def _notify_partner(goal: Goal, *, by, summary: str) -> None:
    """Tell the other partner, with a link to the goal (its title is all it names)."""
    notification_send_to_partners(
        partnership=goal.partnership,
        by=by,
        kind=NotificationKind.GOAL,
        summary=summary,
        link=reverse("goals:detail", args=[goal.code]),
    )


def _require_owner(goal: Goal, by, action: str) -> None:
    require_role(goal.partnership, by, goal.owner_role, action)


@transaction.atomic
def goal_create(
    *,
    partnership: Partnership,
    by,
    title: str,
    description: str = "",
    success_measure: str = "",
    target_date: datetime.date | None = None,
    owner_role: str | None = None,
) -> Goal:
    """Create a goal.

    A mentee's own goal and a mentor's learning goal start active. A mentor who creates a
    goal for the mentee only proposes it: it stays proposed until the mentee adopts it.
    """
    role = require_member(partnership, by)
    require_workable(partnership)
    owner_role = owner_role or role
    if role == Role.MENTEE and owner_role == Role.MENTOR:
        raise PermissionDenied("A mentor's learning goals are theirs to set.")
    proposing = role == Role.MENTOR and owner_role == Role.MENTEE
    goal = Goal(
        partnership=partnership,
        owner_role=owner_role,
        title=title.strip(),
        description=description,
        success_measure=success_measure,
        target_date=target_date,
        status=GoalStatus.PROPOSED if proposing else GoalStatus.ACTIVE,
        proposed_by=by,
    )
    goal.full_clean()
    goal.save()
    health_facts_clear(partnership_id=partnership.pk)  # goals are counted
    changes = {
        field: [None, _as_text(getattr(goal, field))]
        for field in REVISABLE_FIELDS
        if getattr(goal, field) not in (None, "")
    }
    kind = GoalRevision.Kind.PROPOSED if proposing else GoalRevision.Kind.CREATED
    _record(goal, kind=kind, changes=changes, by=by)
    activity_record(
        partnership=partnership,
        actor=by,
        verb=f"goal_{kind}",
        summary=f"{'proposed' if proposing else 'set'} the goal “{goal.title}”",
    )
    if proposing:
        _notify_partner(goal, by=by, summary=f"proposed a goal for you: “{goal.title}”")
    return goal


@transaction.atomic
def goal_adopt(*, goal: Goal, by, reason: str = "") -> Goal:
    """The mentee makes a mentor's proposed goal their own."""
    require_role(goal.partnership, by, Role.MENTEE, "adopt a proposed goal")
    require_workable(goal.partnership)
    return _decide_proposed(goal, by=by, to=GoalStatus.ACTIVE, kind="adopted", reason=reason)


@transaction.atomic
def goal_decline(*, goal: Goal, by, reason: str = "") -> Goal:
    require_role(goal.partnership, by, Role.MENTEE, "decline a proposed goal")
    require_workable(goal.partnership)
    return _decide_proposed(goal, by=by, to=GoalStatus.DROPPED, kind="declined", reason=reason)


def _decide_proposed(goal: Goal, *, by, to: str, kind: str, reason: str) -> Goal:
    updated = Goal.objects.filter(pk=goal.pk, status=GoalStatus.PROPOSED).update(
        status=to, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise ValidationError("This goal is no longer waiting for a decision.", code="not_proposed")
    health_facts_clear(partnership_id=goal.partnership_id)
    goal.refresh_from_db()
    _record(goal, kind=kind, changes={"status": [GoalStatus.PROPOSED, to]}, by=by, reason=reason)
    activity_record(
        partnership=goal.partnership,
        actor=by,
        verb=f"goal_{kind}",
        summary=f"{kind} the goal “{goal.title}”",
    )
    _notify_partner(goal, by=by, summary=f"{kind} the goal you proposed: “{goal.title}”")
    return goal


def _clean_changes(goal: Goal, changes: dict) -> dict:
    unknown = set(changes) - set(REVISABLE_FIELDS)
    if unknown:
        raise ValueError(f"Goals have no revisable field(s) {sorted(unknown)}")
    real = {f: v for f, v in changes.items() if getattr(goal, f) != v}
    if "title" in real and not (real["title"] or "").strip():
        raise ValidationError({"title": "A goal needs a title."})
    if "status" in real and real["status"] not in STATUS_MOVES[goal.status]:
        raise ValidationError(
            "This goal is %(current)s; it cannot become %(target)s.",
            code="invalid_goal_status",
            params={
                "current": GoalStatus(goal.status).label.lower(),
                "target": GoalStatus(real["status"]).label.lower(),
            },
        )
    return real


@transaction.atomic
def goal_revise(
    *,
    goal: Goal,
    by,
    reason: str,
    expected_version: int | None = None,
    checkin: CheckIn | None = None,
    kind: str = GoalRevision.Kind.REVISED,
    **changes,
) -> Goal:
    """Change a goal's wording, target date or status, keeping the old values.

    ``expected_version`` is the version the editor started from: if someone saved in
    between, GoalEditConflict is raised and nothing is written.
    """
    _require_owner(goal, by, "change this goal")
    require_workable(goal.partnership)
    if not reason.strip():
        raise ValidationError({"reason": "Say briefly why this goal is changing."})
    current = Goal.objects.select_for_update().get(pk=goal.pk)
    if expected_version is not None and current.version != expected_version:
        raise GoalEditConflict(current)
    real = _clean_changes(current, changes)
    if not real:
        raise ValidationError("Nothing changed.", code="no_change")
    for field, value in real.items():
        setattr(current, field, value)
    current.version += 1
    current.full_clean()
    current.save()
    health_facts_clear(partnership_id=current.partnership_id)
    _record(
        current,
        kind=kind,
        changes={f: [_as_text(getattr(goal, f)), _as_text(v)] for f, v in real.items()},
        by=by,
        reason=reason,
        checkin=checkin,
    )
    activity_record(
        partnership=goal.partnership,
        actor=by,
        verb="goal_revised",
        summary=f"revised the goal “{current.title}”",
    )
    goal.refresh_from_db()
    return current


@transaction.atomic
def goal_change_propose(*, goal: Goal, by, reason: str, **changes) -> GoalChangeProposal:
    """A mentor suggests a change to the mentee's goal; the mentee decides."""
    require_role(goal.partnership, by, Role.MENTOR, "propose changes to the mentee's goals")
    require_workable(goal.partnership)
    if goal.owner_role != Role.MENTEE:
        raise PermissionDenied("Change your own learning goals directly.")
    if not reason.strip():
        raise ValidationError({"reason": "Say briefly why you suggest this change."})
    real = _clean_changes(goal, changes)
    if not real:
        raise ValidationError("Nothing would change.", code="no_change")
    proposal = GoalChangeProposal.objects.create(
        goal=goal,
        proposed_by=by,
        changes={f: _as_text(v) for f, v in real.items()},
        reason=reason,
        goal_version=goal.version,
    )
    activity_record(
        partnership=goal.partnership,
        actor=by,
        verb="goal_change_proposed",
        summary=f"proposed a change to the goal “{goal.title}”",
    )
    _notify_partner(goal, by=by, summary=f"proposed a change to your goal “{goal.title}”")
    return proposal


def _parse_proposed(field: str, value):
    if field == "target_date" and value:
        return datetime.date.fromisoformat(value)
    return value


class GoalChangedSinceProposal(ValidationError):
    """The goal changed after the mentor proposed a change to it: the mentee is shown the
    proposal beside the goal as it is now, and asked again (``current``)."""

    def __init__(self, current: Goal):
        super().__init__(
            "“%(title)s” has changed since this was suggested: compare them and decide again.",
            code="goal_changed",
            params={"title": current.title},
        )
        self.current = current


@transaction.atomic
def goal_change_adopt(*, proposal: GoalChangeProposal, by, seen_version: int | None = None) -> Goal:
    """Adopt a mentor's proposed change. One made against an older version of the goal is
    adopted only by a mentee who has seen the goal as it is now (``seen_version`` is its
    current version); otherwise GoalChangedSinceProposal, and nothing changes."""
    goal = proposal.goal
    require_role(goal.partnership, by, Role.MENTEE, "adopt a proposed change")
    current = Goal.objects.select_for_update().get(pk=goal.pk)
    if proposal.goal_version != current.version and seen_version != current.version:
        raise GoalChangedSinceProposal(current)
    if not GoalChangeProposal.objects.filter(
        pk=proposal.pk, status=GoalChangeProposal.Status.PENDING
    ).update(status=GoalChangeProposal.Status.ADOPTED, decided_at=timezone.now()):
        raise ValidationError("This proposal has already been decided.")
    changes = {f: _parse_proposed(f, v) for f, v in proposal.changes.items()}
    revised = goal_revise(
        goal=goal,
        by=by,
        reason=f"Adopted {proposal.proposed_by.get_short_name()}'s suggestion: {proposal.reason}",
        kind=GoalRevision.Kind.ADOPTED,
        expected_version=current.version,
        **changes,
    )
    _notify_partner(revised, by=by, summary=f"adopted your change to the goal “{revised.title}”")
    return revised


@transaction.atomic
def goal_change_decline(*, proposal: GoalChangeProposal, by) -> GoalChangeProposal:
    require_role(proposal.goal.partnership, by, Role.MENTEE, "decline a proposed change")
    if not GoalChangeProposal.objects.filter(
        pk=proposal.pk, status=GoalChangeProposal.Status.PENDING
    ).update(status=GoalChangeProposal.Status.DECLINED, decided_at=timezone.now()):
        raise ValidationError("This proposal has already been decided.")
    proposal.refresh_from_db()
    _notify_partner(
        proposal.goal, by=by, summary=f"declined your change to the goal “{proposal.goal.title}”"
    )
    return proposal


REVIEW_STATUS = {
    GoalReview.Decision.ACHIEVED: GoalStatus.ACHIEVED,
    GoalReview.Decision.DROP: GoalStatus.DROPPED,
}


@transaction.atomic
def goal_review_record(
    *, checkin: CheckIn, goal: Goal, by, decision: str, note: str = "", **changes
) -> GoalReview:
    """Revisit an active goal at a check-in. Anything but "keep" changes it by revision."""
    if goal.partnership_id != checkin.partnership_id:
        raise ValidationError("This goal belongs to another partnership.")
    _require_owner(goal, by, "review this goal")
    if goal.status != GoalStatus.ACTIVE:
        raise ValidationError("Only active goals are reviewed at a check-in.")
    if decision not in GoalReview.Decision.values:
        raise ValidationError({"decision": "Choose keep, revise, achieved or drop."})
    review = GoalReview(checkin=checkin, goal=goal, decision=decision, note=note, author=by)
    review.validate_constraints()
    review.save()
    health_facts_clear(partnership_id=checkin.partnership_id)
    reason = note or f"Reviewed at the check-in of {checkin.held_on:%-d %b %Y}"
    if decision == GoalReview.Decision.REVISE:
        if not changes:
            raise ValidationError("Say what changes when revising a goal.", code="no_change")
        goal_revise(goal=goal, by=by, reason=reason, checkin=checkin, **changes)
    elif decision in REVIEW_STATUS:
        goal_revise(
            goal=goal,
            by=by,
            reason=reason,
            checkin=checkin,
            kind=GoalRevision.Kind.REVIEWED,
            status=REVIEW_STATUS[decision],
            **changes,
        )
    return review


@transaction.atomic
def next_step_create(
    *,
    partnership: Partnership,
    by,
    description: str,
    owner,
    due_on: datetime.date | None = None,
    goal: Goal | None = None,
    checkin: CheckIn | None = None,
) -> NextStep:
    require_member(partnership, by)
    require_workable(partnership)
    if not partnership.is_member(owner):
        raise ValidationError({"owner": "A next step is owned by one of the two partners."})
    for linked in (goal, checkin):
        if linked is not None and linked.partnership_id != partnership.pk:
            raise ValidationError("That belongs to another partnership.")
    step = NextStep(
        partnership=partnership,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        goal=goal,
        checkin=checkin,
        created_by=by,
    )
    step.full_clean()
    step.save()
    health_facts_clear(partnership_id=partnership.pk)  # agreeing a step is a contribution
    activity_record(
        partnership=partnership, actor=by, verb="next_step_added", summary="added a next step"
    )
    return step


@transaction.atomic
def next_step_set_done(*, step: NextStep, by, done: bool = True) -> NextStep:
    """Tick a step off, or reopen it. Only its owner does: the partner sees it, and a tick
    is the owner's word that they did it."""
    require_member(step.partnership, by)
    if step.owner_id != by.pk:
        raise PermissionDenied(
            f"Only {step.owner.get_short_name()} can tick off this step: it is theirs."
        )
    require_workable(step.partnership)
    step.done_at = timezone.now() if done else None
    step.save(update_fields=["done_at"])
    if done:
        activity_record(
            partnership=step.partnership,
            actor=by,
            verb="next_step_done",
            summary="ticked off a next step",
        )
    return step
