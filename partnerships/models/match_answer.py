"""Each partner's answer to a proposed match: nobody is paired without saying yes.

A proposed partnership becomes active when both partners have accepted it; either may
decline, with a reason the coordinator sees as a category (never words of their own).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from partnerships.models.participant import Role


class DeclineReason(models.TextChoices):
    """Why a person declined a match, in words a coordinator can act on."""

    NO_TIME = "no_time", "No time for this right now"
    NOT_A_FIT = "not_a_fit", "The match doesn't fit my goals"
    KNOW_THEM = "know_them", "We already know each other"
    PREFER_OTHER = "other_person", "I'd rather choose someone else"
    OTHER = "other", "Something else"


class MatchAnswer(models.Model):
    Reason = DeclineReason

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="match_answers"
    )
    role = models.CharField(max_length=6, choices=Role.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted = models.BooleanField()
    reason = models.CharField(
        "reason for declining", max_length=12, choices=DeclineReason.choices, blank=True
    )
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "role"],
                name="match_answer_once_per_side",
                violation_error_message="You have already answered this match.",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="match_answer_role"),
            models.CheckConstraint(
                condition=Q(accepted=True, reason="")
                | Q(accepted=False, reason__in=DeclineReason.values),
                name="match_answer_reason_only_when_declined",
                violation_error_message="A declined match says why; an accepted one does not.",
            ),
        ]

    def __str__(self) -> str:
        verb = "accepted" if self.accepted else "declined"
        return f"{self.user} {verb} the match"
