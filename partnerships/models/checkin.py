import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from partnerships.models.visibility import Visibility


class CheckIn(models.Model):
    """One meeting, recorded jointly: either partner starts it, both add to it."""

    PRIVATE_FIELDS = ("agenda",)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="checkins"
    )
    held_on = models.DateField()
    agenda = models.TextField(blank=True, help_text="Set by the mentee.")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "check-in"
        ordering = ["-held_on", "-created_at"]
        indexes = [
            models.Index(fields=["partnership", "-held_on"], name="checkin_latest_per_partnership"),
            # The "waiting for your part" reminder scans the last week's check-ins.
            models.Index(fields=["created_at", "id"], name="checkin_part_reminder_idx"),
        ]

    def __str__(self) -> str:
        return f"Check-in on {self.held_on:%d %b %Y}"


class Reflection(models.Model):
    """A partner's reflection on one check-in: private to the author, or shared."""

    PRIVATE_FIELDS = ("text",)

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField()
    visibility = models.CharField(
        max_length=7, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "author"],
                name="reflection_one_per_author",
                violation_error_message="You have already reflected on this check-in.",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="reflection_visibility_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Reflection by {self.author} ({self.visibility})"


class Feedback(models.Model):
    """One partner's feedback to the other after a check-in; the recipient sees it.
    Coordinators see the rating, never the comment."""

    PRIVATE_FIELDS = ("comment",)

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="feedback_given"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="feedback_received"
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (not helpful) to 5 (very helpful)",
    )
    comment = models.TextField(blank=True)
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "feedback"
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "author"],
                name="feedback_one_per_author",
                violation_error_message="You have already given feedback on this check-in.",
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_1_to_5",
                violation_error_message="A rating is from 1 to 5.",
            ),
            models.CheckConstraint(
                condition=~Q(author=models.F("recipient")),
                name="feedback_not_to_self",
                violation_error_message="Feedback goes to your partner, not yourself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 from {self.author} to {self.recipient}"
