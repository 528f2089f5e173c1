import calendar
import datetime
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mentorship.models import time_zone_choices, validate_time_zone


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (or earlier), or that month's last day if it is
    shorter: 31 August + 6 months is 28 (or 29) February."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


class ProgrammeQuerySet(models.QuerySet):
    def coordinated_by(self, user):
        """Programmes the user may manage: all for a superuser, their own for a coordinator."""
        if user.is_superuser:
            return self
        return self.filter(coordinators=user)

    def not_archived(self):
        return self.filter(archived_at__isnull=True)


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
    # The programme's own calendar: its dates (the end, the wrap-up, the day retention
    # runs) turn over at midnight here, wherever its people are.
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        choices=time_zone_choices,
        help_text="The programme's dates begin and end at midnight in this time zone.",
    )
    wrap_up_days = models.PositiveSmallIntegerField(
        "wrap-up window (days)",
        default=14,
        validators=[MaxValueValidator(90)],
        help_text="How long before the end date both partners are asked to write closing "
        "reflections and answer the closing survey (0: no wrap-up).",
    )
    health_grace_days = models.PositiveSmallIntegerField(
        "grace period (days)",
        default=7,
        validators=[MaxValueValidator(60)],
        help_text="How long a partnership sees a problem in its own workspace before it "
        "is shown to you as at risk for that reason.",
    )
    retention_months = models.PositiveSmallIntegerField(
        "delete private reflections after (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Months after the end date; empty keeps them for as long as the "
        "programme is kept. Participants are told a month before.",
    )
    retention_includes_shared = models.BooleanField(
        "also delete shared free text",
        default=False,
        help_text="Shared reflections, closing reflections, agendas, goal-review notes and "
        "feedback comments go too. Dates, counts, ratings and goal titles stay.",
    )
    follows = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="next_cohorts",
        verbose_name="previous cohort",
    )
    closed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When its end date was acted on."
    )
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
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
            models.CheckConstraint(
                condition=Q(retention_months__isnull=True) | Q(retention_months__gte=1),
                name="programme_retention_at_least_a_month",
                violation_error_message="Keep reflections for at least a month after the end.",
            ),
            # Only a programme that has ended can be archived.
            models.CheckConstraint(
                condition=Q(archived_at__isnull=True) | Q(closed_at__isnull=False),
                name="programme_archived_only_when_closed",
                violation_error_message="Only a programme that has ended can be archived.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # --- the programme's calendar ---------------------------------------------------------

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self, now: datetime.datetime | None = None) -> datetime.date:
        """Today on the programme's calendar."""
        return (now or timezone.now()).astimezone(self.tzinfo).date()

    @property
    def wrap_up_starts_on(self) -> datetime.date:
        return self.ends_on - datetime.timedelta(days=self.wrap_up_days)

    def has_ended(self, today: datetime.date | None = None) -> bool:
        """Past its end date (the end date itself is still a working day)."""
        return (today or self.today()) > self.ends_on

    def in_wrap_up(self, today: datetime.date | None = None) -> bool:
        today = today or self.today()
        return self.wrap_up_days > 0 and self.wrap_up_starts_on <= today <= self.ends_on

    @property
    def retention_deletes_on(self) -> datetime.date | None:
        """The day private reflections are deleted, if the programme says so."""
        if self.retention_months is None:
            return None
        return add_months(self.ends_on, self.retention_months)

    @property
    def retention_notice_on(self) -> datetime.date | None:
        deletes_on = self.retention_deletes_on
        return None if deletes_on is None else add_months(deletes_on, -1)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None
