import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class MatchRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the mentor"
    # The mentor said yes; the programme wants its coordinator to approve the match.
    APPROVAL = "approval", "Accepted, waiting for the coordinator"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# A mentee has at most one request in either state: it is still being decided.
UNDECIDED = (MatchRequestStatus.PENDING, MatchRequestStatus.APPROVAL)


class MatchRequest(models.Model):
    """A mentee asks a mentor to partner with them, with a short note; the mentor accepts
    or declines, with a note of their own. Accepting proposes a partnership, at once or
    once the coordinator approves (the programme's setting)."""

    Status = MatchRequestStatus
    # The two notes are written by one person for the other: the coordinator never reads them.
    PRIVATE_FIELDS = ("note", "answer_note")

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
    note = models.CharField("note to the mentor", max_length=500, blank=True)
    answer_note = models.CharField("the mentor's note", max_length=500, blank=True)
    # Who decided last: the mentor, or the coordinator approving or not.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
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
                condition=Q(status__in=UNDECIDED),
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
