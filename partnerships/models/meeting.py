"""The next meeting: a time both partners agreed, in both calendars, before it happens.

Either partner proposes a time (in their own time zone), the other accepts it or suggests
another; moving and cancelling work the same way. Each change raises the meeting's
``sequence``, the iCalendar SEQUENCE of the invitations both receive, so that calendar
apps update the same event (its UID comes from ``code``) instead of adding one.
"""

import datetime
import uuid
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentorship.models import validate_time_zone

MIN_MINUTES, MAX_MINUTES = 15, 240


class MeetingStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for an answer"
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"
    HELD = "held", "Held and logged"


# A partnership has at most one meeting in these statuses: its next one.
UPCOMING_STATUSES = (MeetingStatus.PROPOSED, MeetingStatus.SCHEDULED)


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        """Proposed or scheduled: the partnership's next meeting (one at most)."""
        return self.filter(status__in=UPCOMING_STATUSES)

    def scheduled(self):
        return self.filter(status=MeetingStatus.SCHEDULED)


class Meeting(models.Model):
    """One meeting of a partnership, from its proposal until it is logged or cancelled."""

    Status = MeetingStatus
    # Where they meet (a room, a video link) and a word to the partner are theirs alone.
    PRIVATE_FIELDS = ("place", "note")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="meetings"
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField("duration (minutes)", default=45)
    # The time zone the time was chosen in (the proposer's): the invitations' TZID.
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    place = models.CharField("place or video link", max_length=300, blank=True)
    note = models.CharField("a note for your partner", max_length=300, blank=True)
    status = models.CharField(
        max_length=9, choices=MeetingStatus.choices, default=MeetingStatus.PROPOSED
    )
    # Who proposed the current time: the other partner answers it.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # iCalendar SEQUENCE: raised by every change the invitations carry.
    sequence = models.PositiveIntegerField(default=0)
    checkin = models.OneToOneField(
        "partnerships.CheckIn",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(status__in=UPCOMING_STATUSES),
                name="meeting_one_upcoming_per_partnership",
                violation_error_message="This partnership already has a next meeting.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=MIN_MINUTES, duration_minutes__lte=MAX_MINUTES),
                name="meeting_duration_in_range",
                violation_error_message=(
                    f"A meeting lasts {MIN_MINUTES} to {MAX_MINUTES} minutes."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status=MeetingStatus.HELD, checkin__isnull=False)
                | (~Q(status=MeetingStatus.HELD) & Q(checkin__isnull=True)),
                name="meeting_held_has_its_checkin",
                violation_error_message="A meeting is held once its check-in is logged.",
            ),
        ]
        indexes = [
            # The calendar feed: a person's meetings by time.
            models.Index(fields=["partnership", "starts_at"], name="meeting_by_partnership_idx"),
        ]

    def __str__(self) -> str:
        return f"Meeting on {self.local_start:%d %b %Y %H:%M} ({self.time_zone})"

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime.datetime:
        """The start on the wall clock of the time zone it was chosen in."""
        return self.starts_at.astimezone(self.tzinfo)

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def local_date(self) -> datetime.date:
        """The meeting's date as it was chosen: what "due" counts from."""
        return self.local_start.date()

    def start_for(self, user) -> datetime.datetime:
        """The start on ``user``'s own clock."""
        return self.starts_at.astimezone(user.tzinfo)

    @property
    def is_upcoming(self) -> bool:
        return self.status in UPCOMING_STATUSES

    def waits_for(self, partnership) -> object | None:
        """The partner who must answer a proposed time, or None."""
        if self.status != MeetingStatus.PROPOSED:
            return None
        return partnership.partner_of(self.proposed_by)
