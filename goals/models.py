"""Goals are living records: every change is a revision with who, when and why."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from partnerships.models.participant import Role


class GoalStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "Dropped"


# Fields a revision may change; each revision records old and new value per field.
REVISABLE_FIELDS = ("title", "description", "success_measure", "target_date", "status")


class GoalQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=GoalStatus.ACTIVE)

    def of_mentee(self):
        return self.filter(owner_role=Role.MENTEE)

    def of_mentor(self):
        return self.filter(owner_role=Role.MENTOR)


class Goal(models.Model):
    """A mentee's goal, or a mentor's own learning goal, inside one partnership."""

    Status = GoalStatus
    Role = Role
    # Coordinators see a goal's title and movement, not what it means to the partners.
    PRIVATE_FIELDS = ("description", "success_measure")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="goals"
    )
    owner_role = models.CharField("owner", max_length=6, choices=Role.choices, default=Role.MENTEE)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    success_measure = models.TextField("how we'll know it's achieved", blank=True)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Incremented by every revision; a save against an older version is an edit conflict.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "owner_role", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=GoalStatus.values), name="goal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(owner_role__in=Role.values), name="goal_owner_role_valid"
            ),
            models.CheckConstraint(
                # Only a mentee's goal waits for adoption; a mentor's goal is their own.
                condition=~Q(owner_role=Role.MENTOR, status=GoalStatus.PROPOSED),
                name="goal_mentor_goal_never_proposed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["target_date"],
                condition=Q(status=GoalStatus.ACTIVE),
                name="goal_active_target_date_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self):
        participant = (
            self.partnership.mentee if self.owner_role == Role.MENTEE else self.partnership.mentor
        )
        return participant.user

    @property
    def is_open(self) -> bool:
        return self.status in (GoalStatus.PROPOSED, GoalStatus.ACTIVE)


class GoalRevision(models.Model):
    """One change to a goal: ``changes`` maps each field to ``[old, new]`` (as text)."""

    PRIVATE_FIELDS = ("changes", "reason")

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        PROPOSED = "proposed", "Proposed"
        ADOPTED = "adopted", "Adopted"
        DECLINED = "declined", "Declined"
        REVISED = "revised", "Revised"
        REVIEWED = "reviewed", "Reviewed at a check-in"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    changes = models.JSONField(default=dict)
    reason = models.CharField(max_length=500, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checkin = models.ForeignKey(
        "partnerships.CheckIn",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goal_revisions",
    )
    goal_version = models.PositiveIntegerField(help_text="The goal's version after this change.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["goal", "goal_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "goal_version"], name="goal_revision_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.goal_version}"

    @property
    def changed_fields(self) -> list[str]:
        return list(self.changes)


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the mentee"
    ADOPTED = "adopted", "Adopted"
    DECLINED = "declined", "Declined"


class GoalChangeProposal(models.Model):
    """A mentor's suggested change to a mentee's goal; only the mentee can adopt it."""

    PRIVATE_FIELDS = ("changes", "reason")

    Status = ProposalStatus

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="change_proposals")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changes = models.JSONField(help_text="Field name to proposed new value.")
    reason = models.CharField(max_length=500)
    # The goal's version the mentor saw: if the goal changed since, the mentee is asked
    # again with both side by side (null: proposed before versions were recorded).
    goal_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(
        max_length=8, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values),
                name="goal_change_proposal_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Change to “{self.goal}” proposed by {self.proposed_by}"


class NextStep(models.Model):
    """An action one partner commits to, optionally under a goal or from a check-in."""

    PRIVATE_FIELDS = ("description",)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="next_steps"
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="next_steps"
    )
    checkin = models.ForeignKey(
        "partnerships.CheckIn",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_steps",
    )
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="next_steps"
    )
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due_on", "created_at"]
        indexes = [
            models.Index(
                fields=["owner", "due_on"],
                condition=Q(done_at__isnull=True),
                name="next_step_open_by_owner_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class ReviewDecision(models.TextChoices):
    KEEP = "keep", "Keep as it is"
    REVISE = "revise", "Revise"
    ACHIEVED = "achieved", "Achieved"
    DROP = "drop", "Drop"


class GoalReview(models.Model):
    """What one check-in decided about one active goal."""

    PRIVATE_FIELDS = ("note",)

    Decision = ReviewDecision

    checkin = models.ForeignKey(
        "partnerships.CheckIn", on_delete=models.CASCADE, related_name="goal_reviews"
    )
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="reviews")
    decision = models.CharField(max_length=8, choices=ReviewDecision.choices)
    note = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["checkin", "goal"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "goal"],
                name="goal_review_once_per_checkin",
                violation_error_message="This goal has already been reviewed in this check-in.",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=ReviewDecision.values),
                name="goal_review_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.goal}"


class Progress(models.IntegerChoices):
    """How far along a goal is, as each partner sees it."""

    NOT_STARTED = 0, "Not started"
    STARTED = 1, "Started"
    HALFWAY = 2, "Halfway"
    NEARLY_THERE = 3, "Nearly there"
    DONE = 4, "Done"


# Two views this many steps apart or more put the goal on the next agenda.
PROGRESS_GAP_STEPS = 2


class ProgressRating(models.Model):
    """One partner's view of how far along one goal is, at one check-in.

    The goal's owner and their partner each rate it; each rating stays the author's own
    until the other has answered too (for that goal at that check-in).
    """

    Progress = Progress
    # Each view is private between the partners (until both answered, even from each
    # other): coordinators never see it.
    PRIVATE_FIELDS = ("progress",)

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress_ratings")
    checkin = models.ForeignKey(
        "partnerships.CheckIn", on_delete=models.CASCADE, related_name="progress_ratings"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Whose view: the goal's owner's, or their partner's (fixed when rated).
    by_owner = models.BooleanField()
    progress = models.PositiveSmallIntegerField(choices=Progress.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["checkin", "goal", "-by_owner"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "checkin", "author"],
                name="progress_rating_once_per_checkin",
                violation_error_message="You have already rated this goal at this check-in.",
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=Progress.NOT_STARTED, progress__lte=Progress.DONE),
                name="progress_rating_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_progress_display()}: {self.goal}"
