"""Everything one partner sees in a workspace, loaded in a fixed number of queries.

The number of queries does not grow with goals, check-ins, revisions or feedback:
each list is one query, with prefetches filtered to what this person may read. The page
shows the latest check-in in full and the ones before it as a short list, each opened on
its own (the paginated check-in history has them all).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Prefetch, Q
from django.utils import timezone

from goals.models import (
    Goal,
    GoalChangeProposal,
    GoalReview,
    GoalRevision,
    GoalStatus,
    NextStep,
    ProgressRating,
)
from goals.progress import progress_seen_by
from partnerships.models import (
    AgendaItem,
    Agreement,
    CheckIn,
    CoordinatorAccess,
    Feedback,
    Meeting,
    Partnership,
    Reflection,
)
from partnerships.models.agenda import AgendaItemStatus
from partnerships.models.participant import Role
from partnerships.models.visibility import Visibility
from workspace.coordinator_view import what_coordinators_see

# The latest check-in is shown in full; this many before it are listed, each opened alone.
LATEST_CHECKINS = 1
OLDER_LISTED = 12

TERM_LABELS = {name: Agreement._meta.get_field(name).verbose_name for name in Agreement.TERMS}


def agreement_changes(new: Agreement, old: Agreement | None) -> list[dict]:
    """The terms that differ between two versions, as label / before / after."""
    return [
        {
            "label": TERM_LABELS[name],
            "before": getattr(old, name) if old is not None else None,
            "after": getattr(new, name),
        }
        for name in Agreement.TERMS
        if old is None or getattr(old, name) != getattr(new, name)
    ]


def visible_reflections(user):
    return Reflection.objects.filter(Q(author=user) | Q(visibility=Visibility.SHARED))


def visible_feedback(user):
    return Feedback.objects.filter(Q(author=user) | Q(recipient=user))


def checkins_for(partnership: Partnership, user):
    """Check-ins with only what ``user`` may read attached, newest first."""
    return (
        partnership.checkins.select_related("started_by")
        .prefetch_related(
            Prefetch(
                "goal_reviews",
                queryset=GoalReview.objects.select_related("goal", "author").order_by(
                    "goal__owner_role", "goal__created_at"
                ),
            ),
            Prefetch(
                "reflections",
                queryset=visible_reflections(user).select_related("author").order_by("written_at"),
                to_attr="visible_reflections",
            ),
            Prefetch(
                "feedback",
                queryset=visible_feedback(user).select_related("author", "recipient"),
                to_attr="visible_feedback",
            ),
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("added_by").order_by(
                    "position", "created_at"
                ),
                to_attr="agenda_outcomes",
            ),
            Prefetch(
                "progress_ratings",
                queryset=ProgressRating.objects.select_related("goal", "author"),
                to_attr="ratings",
            ),
        )
        .order_by("-held_on", "-created_at")
    )


def goals_for(partnership: Partnership):
    return partnership.goals.select_related("proposed_by").prefetch_related(
        # Only the latest revision is shown here (the count is the goal's version).
        Prefetch(
            "revisions",
            queryset=GoalRevision.objects.select_related("author").order_by("-goal_version")[:1],
            to_attr="latest_revisions",
        ),
        Prefetch(
            "change_proposals",
            queryset=GoalChangeProposal.objects.filter(
                status=GoalChangeProposal.Status.PENDING
            ).select_related("proposed_by"),
            to_attr="pending_proposals",
        ),
    )


def attach_steps(objects, steps, *, via: str) -> None:
    """Give each object a ``steps`` list: its next steps, from steps already loaded in
    one query, in that query's order.

    Goals and check-ins both show their next steps. A ``Prefetch("next_steps",
    to_attr=...)`` on each would cost a query per list (17 → 19 on the workspace, whose
    partnership-wide query for open steps stays); sharing out the partnership's steps sets
    the same kind of plain list attribute without them.
    """
    by_owner = defaultdict(list)
    for step in steps:
        by_owner[getattr(step, via)].append(step)
    for obj in objects:
        obj.steps = by_owner.get(obj.pk, [])


@dataclass
class Workspace:
    """One partnership as seen by one of its partners."""

    partnership: Partnership
    user: object
    goals: list = field(init=False)
    checkins: list = field(init=False)
    agreements: list = field(init=False)

    def __post_init__(self):
        p = self.partnership
        self.role = p.role_of(self.user)
        self.partner = p.partner_of(self.user)
        self.agreements = list(p.agreements.select_related("proposed_by").order_by("-version"))
        self.goals = list(goals_for(p))
        self.checkins = list(checkins_for(p, self.user)[:LATEST_CHECKINS])
        # The ones before: a date and who logged it each (opened one at a time).
        older = list(
            p.checkins.select_related("started_by").order_by("-held_on", "-created_at")[
                LATEST_CHECKINS : LATEST_CHECKINS + OLDER_LISTED + 1
            ]
        )
        self.older_checkins = older[:OLDER_LISTED]
        self.has_older_checkins = len(older) > OLDER_LISTED
        self.meeting = p.meetings.upcoming().select_related("proposed_by").first()
        self.agenda = list(
            p.agenda_items.open().select_related("added_by").order_by("position", "created_at")
        )
        ratings = ProgressRating.objects.filter(goal__partnership=p).select_related(
            "checkin", "author"
        )
        by_goal = defaultdict(list)
        for rating in ratings:
            by_goal[rating.goal_id].append(rating)
        for goal in self.goals:
            points = progress_seen_by(by_goal.get(goal.pk, []), self.user)
            goal.progress_now = points[-1] if points else None
        steps = list(p.next_steps.select_related("owner", "goal").order_by("due_on", "created_at"))
        attach_steps(self.goals, steps, via="goal_id")
        attach_steps(self.checkins, steps, via="checkin_id")
        self.open_steps = [step for step in steps if step.done_at is None]
        # Closing reflections exist only once a partnership has ended.
        self.closing_reflections = (
            []
            if p.is_open
            else list(
                p.closing_reflections.filter(
                    Q(author=self.user) | Q(visibility=Visibility.SHARED)
                ).select_related("author")
            )
        )
        for checkin in self.checkins:
            checkin.partnership = p  # already loaded; saves a query per check-in
            self.annotate(checkin)

    def checkin(self, pk: int) -> CheckIn:
        """One check-in, annotated for this partner, whether or not it is among the latest."""
        found = next((c for c in self.checkins if c.pk == pk), None)
        if found is None:
            found = self.load_checkins(checkins_for(self.partnership, self.user).filter(pk=pk))[0]
        return found

    def load_checkins(self, checkins) -> list[CheckIn]:
        """Annotate a page of older check-ins the way the latest ones are (two queries)."""
        checkins = list(checkins)
        steps = NextStep.objects.filter(checkin__in=checkins).select_related("owner", "goal")
        attach_steps(checkins, steps, via="checkin_id")
        for checkin in checkins:
            checkin.partnership = self.partnership
            self.annotate(checkin)
        return checkins

    def annotate(self, checkin: CheckIn) -> CheckIn:
        """Attach what this partner reads and can still add (templates take no arguments)."""
        me = self.user.pk
        checkin.my_reflection = next(
            (r for r in checkin.visible_reflections if r.author_id == me), None
        )
        checkin.partner_reflection = next(
            (r for r in checkin.visible_reflections if r.author_id != me), None
        )
        checkin.my_feedback = next((f for f in checkin.visible_feedback if f.author_id == me), None)
        checkin.feedback_to_me = next(
            (f for f in checkin.visible_feedback if f.recipient_id == me), None
        )
        checkin.can_give_feedback = self.partnership.is_open and checkin.my_feedback is None
        checkin.can_act = self.workable or checkin.can_give_feedback
        checkin.to_review = self.reviewable_goals(checkin)
        ratings = getattr(checkin, "ratings", [])
        for rating in ratings:
            rating.checkin = checkin  # already loaded; saves a query per rating
        checkin.progress = [
            point
            for goal in {r.goal_id: r.goal for r in ratings}.values()
            for point in progress_seen_by([r for r in ratings if r.goal_id == goal.pk], self.user)
        ]
        for point in checkin.progress:
            point.goal = (point.owner or point.partner).goal
        rated = {r.goal_id for r in ratings if r.author_id == me}
        checkin.to_rate = [g for g in self.partner_active_goals if g.pk not in rated]
        return checkin

    # --- who ----------------------------------------------------------------------------

    @property
    def is_mentee(self) -> bool:
        return self.role == Role.MENTEE

    @property
    def is_mentor(self) -> bool:
        return self.role == Role.MENTOR

    @property
    def mentee(self):
        return self.partnership.mentee.user

    @property
    def mentor(self):
        return self.partnership.mentor.user

    @property
    def today(self):
        return timezone.localdate()

    # --- state --------------------------------------------------------------------------

    @property
    def workable(self) -> bool:
        return self.partnership.is_workable

    @cached_property
    def programme_ended(self) -> bool:
        """Past its last day: read-only for good, closing reflections included."""
        return self.partnership.has_ended()

    @property
    def overdue(self) -> bool:
        due = self.partnership.next_checkin_due_on
        return due is not None and due < self.today

    # --- agreement ----------------------------------------------------------------------

    @cached_property
    def agreement_in_force(self) -> Agreement | None:
        return next((a for a in self.agreements if a.is_signed), None)

    @cached_property
    def agreement_pending(self) -> Agreement | None:
        latest = self.agreements[0] if self.agreements else None
        return latest if latest is not None and not latest.is_signed else None

    @cached_property
    def agreement_pending_changes(self) -> list[dict]:
        if self.agreement_pending is None:
            return []
        return agreement_changes(self.agreement_pending, self.agreement_in_force)

    @property
    def agreement_open(self) -> bool:
        return self.partnership.is_open and self.partnership.status != "paused"

    @property
    def i_must_sign(self) -> bool:
        pending = self.agreement_pending
        if pending is None or not self.agreement_open:
            return False
        return ("mentor" if self.is_mentor else "mentee") in pending.missing_signatures()

    @property
    def missing_signers(self) -> list:
        pending = self.agreement_pending
        if pending is None:
            return []
        return [
            self.mentor if side == "mentor" else self.mentee
            for side in pending.missing_signatures()
        ]

    @property
    def agreement_latest(self) -> Agreement | None:
        return self.agreements[0] if self.agreements else None

    # --- goals --------------------------------------------------------------------------

    @cached_property
    def mentee_goals(self) -> list[Goal]:
        return self._ordered([g for g in self.goals if g.owner_role == Role.MENTEE])

    @cached_property
    def mentor_goals(self) -> list[Goal]:
        return self._ordered([g for g in self.goals if g.owner_role == Role.MENTOR])

    @staticmethod
    def _ordered(goals):
        rank = {GoalStatus.PROPOSED: 0, GoalStatus.ACTIVE: 1, GoalStatus.ACHIEVED: 2}
        return sorted(goals, key=lambda g: (rank.get(g.status, 3), g.created_at))

    @cached_property
    def my_active_goals(self) -> list[Goal]:
        return [g for g in self.goals if g.owner_role == self.role and g.status == "active"]

    @cached_property
    def partner_active_goals(self) -> list[Goal]:
        """The partner's active goals: this partner says how far along they are too."""
        return [g for g in self.goals if g.owner_role != self.role and g.status == "active"]

    # --- the next meeting and its agenda ----------------------------------------------

    @property
    def meeting_waits_for_me(self) -> bool:
        m = self.meeting
        return (
            m is not None
            and m.status == Meeting.Status.PROPOSED
            and m.proposed_by_id != self.user.pk
        )

    @property
    def meeting_passed(self) -> bool:
        """The scheduled meeting's time has come: time to log its check-in."""
        m = self.meeting
        return (
            m is not None and m.status == Meeting.Status.SCHEDULED and m.starts_at <= timezone.now()
        )

    @cached_property
    def on_agenda(self) -> list[AgendaItem]:
        return [i for i in self.agenda if i.status == AgendaItemStatus.ON_AGENDA]

    @cached_property
    def suggested(self) -> list[AgendaItem]:
        return [i for i in self.agenda if i.status == AgendaItemStatus.SUGGESTED]

    # --- check-ins ----------------------------------------------------------------------

    def reviewable_goals(self, checkin: CheckIn) -> list[Goal]:
        """My active goals that this check-in has not reviewed yet."""
        reviewed = {review.goal_id for review in checkin.goal_reviews.all()}
        return [g for g in self.my_active_goals if g.pk not in reviewed]

    @property
    def my_closing_reflection(self):
        return next((r for r in self.closing_reflections if r.author_id == self.user.pk), None)

    @cached_property
    def waiting_for_me(self) -> dict:
        """What this partner should do next, in this partnership."""
        proposed = [g for g in self.mentee_goals if g.status == GoalStatus.PROPOSED]
        changes = [(g, c) for g in self.mentee_goals for c in g.pending_proposals]
        latest = self.latest_checkin
        return {
            "sign": self.i_must_sign,
            "goals_to_decide": proposed if self.is_mentee else [],
            "changes_to_decide": changes if self.is_mentee else [],
            "feedback_on": latest if latest is not None and latest.can_give_feedback else None,
            "my_steps": [s for s in self.open_steps if s.owner_id == self.user.pk],
            "meeting_to_answer": self.workable and self.meeting_waits_for_me,
            "meeting_to_log": self.workable and self.meeting_passed,
            "suggestions": self.suggested if self.is_mentee and self.workable else [],
        }

    @cached_property
    def waiting_for_partner(self) -> dict:
        """What waits for the other partner: so nobody wonders whose turn it is."""
        proposed = [g for g in self.mentee_goals if g.status == GoalStatus.PROPOSED]
        changes = [c for g in self.mentee_goals for c in g.pending_proposals]
        pending = self.agreement_pending
        m = self.meeting
        return {
            "sign": pending is not None
            and self.agreement_open
            and self.partner in self.missing_signers,
            "meeting_to_answer": m is not None
            and m.status == Meeting.Status.PROPOSED
            and m.proposed_by_id == self.user.pk,
            "goals_to_decide": proposed if self.is_mentor else [],
            "changes_to_decide": changes if self.is_mentor else [],
            "suggestions": self.suggested if self.is_mentor else [],
            "steps": [s for s in self.open_steps if s.owner_id == self.partner.pk],
        }

    @cached_property
    def latest_checkin(self) -> CheckIn | None:
        return self.checkins[0] if self.checkins else None

    # --- pause and end ------------------------------------------------------------------

    def _by(self, user_id) -> str | None:
        if user_id is None:
            return None
        if user_id == self.user.pk:
            return "You"
        if user_id == self.partner.pk:
            return self.partner.get_short_name()
        return "Your coordinator"

    @property
    def paused_by(self) -> str | None:
        return self._by(self.partnership.paused_by_id)

    @property
    def ended_by(self) -> str | None:
        return self._by(self.partnership.ended_by_id)

    # --- what the coordinator sees ------------------------------------------------------

    @property
    def coordinator_view(self):
        return what_coordinators_see()

    @cached_property
    def coordinator_looks(self) -> list[CoordinatorAccess]:
        """Each coordinator's last look at each page about this partnership, latest first
        (one query, and only when the page shows them: htmx fragments do not)."""
        return list(
            self.partnership.coordinator_accesses.select_related("coordinator").order_by(
                "-last_at", "pk"
            )
        )
