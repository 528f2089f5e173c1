from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class ProgrammeQuerySet(models.QuerySet):
    def coordinated_by(self, user):
        """Programmes the user may manage: all for a superuser, their own for a coordinator."""
        if user.is_superuser:
            return self
        return self.filter(coordinators=user)


class Programme(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_programmes", blank=True
    )
    checkin_cadence_days = models.PositiveSmallIntegerField(
        "default check-in cadence (days)",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    reminder_lead_days = models.PositiveSmallIntegerField(
        "reminder lead time (days)",
        default=2,
        validators=[MaxValueValidator(30)],
        help_text="How long before a check-in is due the partners are reminded.",
    )
    delivery_hour = models.PositiveSmallIntegerField(
        "reminder delivery hour",
        default=9,
        validators=[MaxValueValidator(23)],
        help_text="Local hour (in each recipient's time zone) at which reminders go out.",
    )
    quiet_hours_start = models.PositiveSmallIntegerField(
        default=21, validators=[MaxValueValidator(23)]
    )
    quiet_hours_end = models.PositiveSmallIntegerField(
        default=8, validators=[MaxValueValidator(23)]
    )
    deliver_any_hour = models.BooleanField(
        "deliver at any hour",
        default=False,
        help_text="Send reminders as soon as they are due, ignoring delivery and quiet hours.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
                violation_error_message="A programme must end on or after the day it starts.",
            ),
            models.CheckConstraint(
                condition=Q(checkin_cadence_days__gte=1),
                name="programme_cadence_positive",
                violation_error_message="The check-in cadence must be at least one day.",
            ),
            models.CheckConstraint(
                condition=Q(delivery_hour__lte=23)
                & Q(quiet_hours_start__lte=23)
                & Q(quiet_hours_end__lte=23),
                name="programme_hours_valid",
                violation_error_message="Hours are 0 to 23.",
            ),
        ]

    def __str__(self) -> str:
        return self.name
