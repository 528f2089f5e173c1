import uuid

from django.db import models
from django.db.models import Q


class MatchRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the mentor"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class MatchRequest(models.Model):
    """A mentee asks a suggested mentor to partner with them; the mentor decides."""

    Status = MatchRequestStatus

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mentee = models.ForeignKey(
        "partnerships.Participant", on_delete=models.CASCADE, related_name="match_requests_made"
    )
    mentor = models.ForeignKey(
        "partnerships.Participant",
        on_delete=models.CASCADE,
        related_name="match_requests_received",
    )
    status = models.CharField(
        max_length=9, choices=MatchRequestStatus.choices, default=MatchRequestStatus.PENDING
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status=MatchRequestStatus.PENDING),
                name="match_request_one_pending_per_mentee",
                violation_error_message="You already have a request waiting for a mentor.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MatchRequestStatus.values),
                name="match_request_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")), name="match_request_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee.user} asked {self.mentor.user}"
