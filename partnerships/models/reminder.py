"""Reminders: one row per email due to one person for one reason in one period.

PostgreSQL decides what is sent: the unique constraint makes a reminder exist once, and a
row moves pending → queued → sending → sent (or failed / skipped) only by conditional
updates, so any number of sweeps and workers can run at once without sending twice.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReminderKind(models.TextChoices):
    CHECKIN_UPCOMING = "checkin_upcoming", "Check-in coming up"
    CHECKIN_OVERDUE = "checkin_overdue", "Check-in overdue"
    CHECKIN_PART = "checkin_part", "Check-in waiting for your part"
    GOAL_REVISIT = "goal_revisit", "Goals to revisit"
    AGREEMENT_SIGNATURE = "agreement_signature", "Agreement waiting for your signature"
    COORDINATOR_DIGEST = "coordinator_digest", "Coordinator weekly digest"
    # Meetings (partnerships.services.meetings records these rows when it acts).
    MEETING_INVITATION = "meeting_invitation", "Meeting invitations and changes"
    MEETING_TOMORROW = "meeting_tomorrow", "Meeting tomorrow"
    MEETING_LOG = "meeting_log", "Log the check-in after a meeting"
    # The programme's life (reminders/kinds/wrap_up.py, surveys.py, retention.py).
    WRAP_UP = "wrap_up", "Wrap-up before the programme ends"
    SURVEY = "survey", "Surveys"
    RETENTION_NOTICE = "retention_notice", "Notice before reflections are deleted"
    # Matching (reminders/kinds/matches.py).
    MATCH_WAITING = "match_waiting", "A proposed match waiting for your answer"
    # Notifications ride the same outbox (partnerships.services.notifications).
    NOTIFICATION = "notification", "Notification"
    NOTIFICATION_DIGEST = "notification_digest", "Daily summary of notifications"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Pending"  # waiting for its send_after moment
    QUEUED = "queued", "Queued"  # handed to Celery; lease_until bounds the wait
    SENDING = "sending", "Sending"  # claimed by a worker; lease_until bounds the send
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"  # gave up; last_error says why; resend from the admin
    SKIPPED = "skipped", "Skipped"  # no longer due (or turned off) by the time it was sent


LEASED_STATUSES = (ReminderStatus.QUEUED, ReminderStatus.SENDING)


class ReminderQuerySet(models.QuerySet):
    def ready(self, now):
        """Pending rows whose moment has come (served by reminder_ready_idx)."""
        return self.filter(status=ReminderStatus.PENDING, send_after__lte=now)

    def lease_expired(self, now):
        """Queued or sending rows nobody finished: their worker or message was lost."""
        return self.filter(status__in=LEASED_STATUSES, lease_until__lt=now)

    def coordinated_by(self, user):
        if user.is_superuser:
            return self
        return self.filter(programme__coordinators=user)


class Reminder(models.Model):
    Kind = ReminderKind
    Status = ReminderStatus

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders"
    )
    kind = models.CharField(max_length=24, choices=ReminderKind.choices)
    programme = models.ForeignKey(
        "partnerships.Programme", on_delete=models.CASCADE, related_name="reminders"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    # What the reminder is about ("partnership:12", "goal:7", "agreement:3", "programme:2")
    # and which period ("2026-03-16", "2026-03-16/2", "v2", "2026-W12"): with the recipient
    # and kind, the identity that makes a reminder exist once.
    subject_key = models.CharField(max_length=40)
    period = models.CharField(max_length=24)
    due_on = models.DateField(help_text="The recipient's local date the reminder is due on.")
    send_after = models.DateTimeField()
    status = models.CharField(
        max_length=8, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-send_after", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_key", "period"],
                name="reminder_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReminderStatus.values), name="reminder_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="reminder_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=LEASED_STATUSES) | Q(lease_until__isnull=False),
                name="reminder_leased_has_lease",
            ),
        ]
        indexes = [
            models.Index(
                fields=["send_after"],
                condition=Q(status=ReminderStatus.PENDING),
                name="reminder_ready_idx",
            ),
            models.Index(
                fields=["lease_until"],
                condition=Q(status__in=LEASED_STATUSES),
                name="reminder_lease_expiry_idx",
            ),
            models.Index(fields=["programme", "status"], name="reminder_admin_programme_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient} ({self.period})"


class ReminderOptOut(models.Model):
    """A kind of reminder a person turned off (by one-click unsubscribe or preferences)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_opt_outs"
    )
    kind = models.CharField(max_length=24, choices=ReminderKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="reminder_opt_out_once"),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="reminder_opt_out_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} turned off {self.get_kind_display()}"
