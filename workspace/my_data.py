"""Everything of one person's, as JSON-ready data (ASVS V14: a person's own data, theirs)."""

from django.db.models import Q
from django.utils import timezone

from goals.models import Goal, GoalRevision, NextStep
from partnerships.models import (
    Agreement,
    Application,
    CheckIn,
    ClosingReflection,
    Feedback,
    Participant,
    Partnership,
    Reflection,
)
from partnerships.models.participant import Role


def _when(value):
    return value.isoformat() if value is not None else None


def account_export(*, user) -> dict:
    """The person's profile and everything they wrote or own, and what partners gave them.

    Shared content they did not write (a partner's reflections) stays the partner's; what
    was written *to* them (feedback received) is theirs to take.
    """
    partnerships = list(Partnership.objects.for_user(user).with_people().order_by("created_at"))
    mine = Q(partnership__mentee__user=user, owner_role=Role.MENTEE) | Q(
        partnership__mentor__user=user, owner_role=Role.MENTOR
    )
    return {
        "exported_at": _when(timezone.now()),
        "profile": {
            "email": user.email,
            "name": user.name,
            "time_zone": user.time_zone,
            "email_reminders": user.email_reminders,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "participations": [
            {
                "programme": p.programme.name,
                "role": p.role,
                "bio": p.bio,
                "interests": p.interests,
                "capacity": p.capacity,
                "joined_at": _when(p.joined_at),
            }
            for p in Participant.objects.filter(user=user).select_related("programme")
        ],
        "applications": [
            {
                "programme": a.programme.name,
                "role": a.role,
                "name": a.name,
                "email": a.email,
                "status": a.status,
                "applied_at": _when(a.created_at),
                "confirmed_at": _when(a.confirmed_at),
                "decided_at": _when(a.decided_at),
                "decision_message": a.decision_message,
                "answers": [
                    {"question": answer.question.text, "answer": answer.display}
                    for answer in a.answers.all()
                ],
            }
            for a in Application.objects.filter(Q(user=user) | Q(email__iexact=user.email))
            .select_related("programme")
            .prefetch_related("answers__question")
            .order_by("created_at", "pk")
        ],
        "partnerships": [
            {
                "code": str(p.code),
                "programme": p.programme.name,
                "my_role": p.role_of(user),
                "partner": p.partner_of(user).name,
                "status": p.status,
                "started_on": _when(p.started_on),
                "ended_on": _when(p.ended_on),
                # Either partner may have written a note: it was written for both to read.
                "pause_reason": p.pause_reason,
                "pause_note": p.pause_note,
                "pause_note_shared_with_coordinator": p.pause_note_shared,
                "end_reason": p.end_reason,
                "end_note": p.end_note,
                "end_note_shared_with_coordinator": p.end_note_shared,
                "checkin_cadence_days": p.checkin_cadence_days,
                "agreements": [
                    {
                        "version": a.version,
                        **a.terms(),
                        "mentor_signed_at": _when(a.mentor_signed_at),
                        "mentee_signed_at": _when(a.mentee_signed_at),
                    }
                    for a in Agreement.objects.filter(partnership=p).order_by("version")
                ],
            }
            for p in partnerships
        ],
        "goals": [
            {
                "code": str(g.code),
                "partnership": str(g.partnership.code),
                "title": g.title,
                "description": g.description,
                "success_measure": g.success_measure,
                "target_date": _when(g.target_date),
                "status": g.status,
                "created_at": _when(g.created_at),
            }
            for g in Goal.objects.filter(mine).select_related("partnership").order_by("created_at")
        ],
        "goal_revisions_written": [
            {
                "goal": str(r.goal.code),
                "goal_title": r.goal.title,
                "kind": r.kind,
                "changes": r.changes,
                "reason": r.reason,
                "created_at": _when(r.created_at),
            }
            for r in GoalRevision.objects.filter(author=user)
            .select_related("goal")
            .order_by("created_at", "pk")
        ],
        "checkins": [
            {
                "code": str(c.code),
                "partnership": str(c.partnership.code),
                "held_on": _when(c.held_on),
                "agenda": c.agenda,
                "started_by_me": c.started_by_id == user.pk,
            }
            for c in CheckIn.objects.filter(partnership__in=partnerships)
            .select_related("partnership")
            .order_by("held_on", "created_at")
        ],
        "reflections": [
            {
                "checkin": str(r.checkin.code),
                "visibility": r.visibility,
                "text": r.text,
                "written_at": _when(r.written_at),
            }
            for r in Reflection.objects.filter(author=user)
            .select_related("checkin")
            .order_by("written_at", "pk")
        ],
        "closing_reflections": [
            {
                "partnership": str(r.partnership.code),
                "visibility": r.visibility,
                "text": r.text,
                "written_at": _when(r.written_at),
            }
            for r in ClosingReflection.objects.filter(author=user)
            .select_related("partnership")
            .order_by("written_at", "pk")
        ],
        "feedback_given": [_feedback(f, other=f.recipient) for f in _feedback_qs(author=user)],
        "feedback_received": [_feedback(f, other=f.author) for f in _feedback_qs(recipient=user)],
        "next_steps": [
            {
                "code": str(s.code),
                "partnership": str(s.partnership.code),
                "description": s.description,
                "due_on": _when(s.due_on),
                "done_at": _when(s.done_at),
            }
            for s in NextStep.objects.filter(owner=user)
            .select_related("partnership")
            .order_by("created_at", "pk")
        ],
    }


def _feedback_qs(**who):
    return (
        Feedback.objects.filter(**who)
        .select_related("checkin", "author", "recipient")
        .order_by("given_at", "pk")
    )


def _feedback(f, *, other) -> dict:
    return {
        "checkin": str(f.checkin.code),
        "partner": other.name,
        "rating": f.rating,
        "comment": f.comment,
        "given_at": _when(f.given_at),
    }
