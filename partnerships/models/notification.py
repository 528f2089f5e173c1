"""Notifications: one message to one person about something their partner (or their
coordinator) did, shown in the app and, as the person chooses per kind, emailed at once
or in a daily summary through the reminders' outbox (a ``Reminder`` row).

A notification carries metadata only: who did what to which object, as a sentence the
product writes (the same words as the activity feed), and the page to open. Never what a
partner wrote: a note, a reflection, a comment or an answer stays on its page.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class NotificationKind(models.TextChoices):
    """What a notification is about; each kind is switched on or off, by email, on its own."""

    MATCH = "match", "Matches proposed, accepted or declined"
    REQUEST = "request", "Requests to mentor and their answers"
    APPLICATION = "application", "Sign-up applications and their decisions"
    GOAL = "goal", "Goals and goal changes proposed or decided"
    AGREEMENT = "agreement", "Agreement versions proposed or signed"
    CHECKIN = "checkin", "Check-ins logged"
    FEEDBACK = "feedback", "Feedback given to you"
    PARTNERSHIP = "partnership", "Partnership paused, resumed or ended"
    MEETING = "meeting", "Meetings proposed, moved or cancelled, and agenda items"
    PROGRAMME = "programme", "Programme news: surveys and the programme's close"


class EmailChoice(models.TextChoices):
    """How a kind of notification reaches a person by email (in the app it always does)."""

    IMMEDIATE = "immediate", "Email at once"
    DAILY = "daily", "In a daily summary"
    OFF = "off", "No email"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    Kind = NotificationKind

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A notification is its recipient's alone: it goes with their account.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    programme = models.ForeignKey(
        "partnerships.Programme", on_delete=models.CASCADE, related_name="notifications"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # Who did it; none when the programme itself did (an automatic decision).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.CharField(max_length=300)
    # The page to open: a path on this site, never another site.
    link = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The email that carries it (at once, or the day's summary), if any.
    reminder = models.ForeignKey(
        "partnerships.Reminder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(link__startswith="/") & ~Q(link__startswith="//"),
                name="notification_link_on_site",
            ),
        ]
        indexes = [
            # The bell's count and the list: a person's notifications, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_list_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How one person wants one kind of notification by email. No row: at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    email = models.CharField(max_length=9, choices=EmailChoice.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once"),
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values),
                name="notification_preference_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(email__in=EmailChoice.values),
                name="notification_preference_email_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} — {self.get_email_display()}"
