"""A person's dashboard: their partnerships, what waits for them, and recent activity.

Loaded in a fixed number of queries however many partnerships, goals or check-ins exist.
"""

from functools import cached_property

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from goals.models import Goal, GoalChangeProposal, GoalStatus, NextStep
from partnerships.models import Activity, Agreement, CheckIn, Feedback, Partnership
from partnerships.models.participant import Role
from partnerships.models.partnership import Status
from workspace.people_dashboard import PeopleWaiting

STATUS_ORDER = [Status.ACTIVE, Status.PROPOSED, Status.PAUSED, Status.COMPLETED, Status.ENDED_EARLY]


class Dashboard:
    def __init__(self, user, *, activity_limit: int = 12):
        self.user = user
        self.today = timezone.localdate()
        latest_checkin = (
            CheckIn.objects.filter(partnership=OuterRef("pk"))
            .order_by("-held_on", "-created_at")
            .values("pk")[:1]
        )
        partnerships = list(
            Partnership.objects.for_user(user)
            .with_people()
            .annotate(latest_checkin_id=Subquery(latest_checkin))
        )
        partnerships.sort(
            key=lambda p: (STATUS_ORDER.index(p.status), p.next_checkin_due_on or self.today)
        )
        self.partnerships = partnerships
        self._by_id = {p.pk: p for p in partnerships}
        self._activity_limit = activity_limit
        # Requests, matches to answer, and where to find a mentor (workspace.people_dashboard).
        self.people = PeopleWaiting(user)
        for p in partnerships:
            p.partner = p.partner_of(user)
            p.my_role = p.role_of(user)
            p.overdue = p.next_checkin_due_on is not None and p.next_checkin_due_on < self.today
            p.days_to_due = (
                (p.next_checkin_due_on - self.today).days if p.next_checkin_due_on else None
            )

    def _attach(self, rows):
        for row in rows:
            row.partnership = self._by_id[row.partnership_id]
        return rows

    @property
    def open_ids(self):
        return [p.pk for p in self.partnerships if p.is_open]

    @cached_property
    def agreements_to_sign(self) -> list[Agreement]:
        """The newest version of each open partnership's agreement, if I haven't signed it."""
        latest = {}
        signable = [p.pk for p in self.partnerships if p.status in (Status.PROPOSED, Status.ACTIVE)]
        for agreement in Agreement.objects.filter(partnership__in=signable).order_by(
            "partnership_id", "-version"
        ):
            latest.setdefault(agreement.partnership_id, agreement)
        waiting = []
        for agreement in latest.values():
            p = self._by_id[agreement.partnership_id]
            if p.my_role in agreement.missing_signatures():
                waiting.append(agreement)
        return self._attach(waiting)

    @cached_property
    def goals_to_decide(self) -> list[Goal]:
        mine = [p.pk for p in self.partnerships if p.my_role == Role.MENTEE and p.is_workable]
        return self._attach(
            list(
                Goal.objects.filter(partnership__in=mine, status=GoalStatus.PROPOSED)
                .select_related("proposed_by")
                .order_by("created_at")
            )
        )

    @cached_property
    def changes_to_decide(self) -> list[GoalChangeProposal]:
        mine = [p.pk for p in self.partnerships if p.my_role == Role.MENTEE and p.is_workable]
        proposals = list(
            GoalChangeProposal.objects.filter(
                goal__partnership__in=mine, status=GoalChangeProposal.Status.PENDING
            ).select_related("goal", "proposed_by")
        )
        for proposal in proposals:
            proposal.goal.partnership = self._by_id[proposal.goal.partnership_id]
        return proposals

    @cached_property
    def my_steps(self) -> list[NextStep]:
        steps = self._attach(
            list(
                NextStep.objects.filter(
                    owner=self.user, done_at__isnull=True, partnership__in=self.open_ids
                )
                .select_related("goal")
                .order_by("due_on", "created_at")
            )
        )
        for step in steps:
            step.overdue = step.due_on is not None and step.due_on < self.today
        return steps

    @cached_property
    def feedback_to_give(self) -> list[CheckIn]:
        """The latest check-in of each open partnership, if I haven't given feedback on it."""
        ids = [p.latest_checkin_id for p in self.partnerships if p.is_open and p.latest_checkin_id]
        return self._attach(
            list(
                CheckIn.objects.filter(pk__in=ids)
                .annotate(
                    given=Exists(Feedback.objects.filter(checkin=OuterRef("pk"), author=self.user))
                )
                .filter(given=False)
                .order_by("-held_on")
            )
        )

    @property
    def waiting_count(self) -> int:
        return (
            len(self.agreements_to_sign)
            + len(self.goals_to_decide)
            + len(self.changes_to_decide)
            + len(self.my_steps)
            + len(self.feedback_to_give)
            + self.people.count
        )

    @cached_property
    def activity(self) -> list[Activity]:
        return self._attach(
            list(
                Activity.objects.filter(partnership__in=self._by_id)
                .select_related("actor")
                .order_by("-created_at", "-id")[: self._activity_limit]
            )
        )
