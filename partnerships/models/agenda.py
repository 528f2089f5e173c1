"""The agenda of the next meeting, shaped by both partners; the mentee decides.

Items the mentee adds are on the agenda at once; items the mentor suggests wait for her
to accept them. She orders and removes them. At the check-in each item is marked
discussed or carried over, and a carried-over item starts the next agenda as a new item
that remembers where it came from.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class AgendaItemStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    ON_AGENDA = "on_agenda", "On the agenda"
    REMOVED = "removed", "Removed"
    DISCUSSED = "discussed", "Discussed"
    CARRIED_OVER = "carried_over", "Carried over"


# The next agenda: what is suggested or on it.
OPEN_STATUSES = (AgendaItemStatus.SUGGESTED, AgendaItemStatus.ON_AGENDA)
# What a check-in decides about each item on its agenda.
OUTCOMES = (AgendaItemStatus.DISCUSSED, AgendaItemStatus.CARRIED_OVER)


class AgendaItemSource(models.TextChoices):
    PARTNER = "partner", "Added by a partner"
    PROGRESS_GAP = "progress_gap", "Your views of a goal's progress differ"
    CARRIED_OVER = "carried_over", "Carried over from the last check-in"


class AgendaItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def on_agenda(self):
        return self.filter(status=AgendaItemStatus.ON_AGENDA)


class AgendaItem(models.Model):
    Status = AgendaItemStatus
    Source = AgendaItemSource
    PRIVATE_FIELDS = ("text",)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="agenda_items"
    )
    text = models.CharField("agenda item", max_length=300)
    # None when the product added it (two views of a goal's progress far apart).
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(
        max_length=12, choices=AgendaItemSource.choices, default=AgendaItemSource.PARTNER
    )
    status = models.CharField(
        max_length=12, choices=AgendaItemStatus.choices, default=AgendaItemStatus.ON_AGENDA
    )
    position = models.PositiveIntegerField(default=0)
    # The check-in that marked it discussed or carried over.
    checkin = models.ForeignKey(
        "partnerships.CheckIn",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    carried_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="carried_to"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AgendaItemStatus.values), name="agenda_item_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=AgendaItemSource.values), name="agenda_item_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OUTCOMES, checkin__isnull=False)
                | (~Q(status__in=OUTCOMES) & Q(checkin__isnull=True)),
                name="agenda_item_outcome_has_its_checkin",
                violation_error_message="Only a check-in marks an item discussed or carried over.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["partnership", "position"],
                condition=Q(status__in=OPEN_STATUSES),
                name="agenda_item_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Agenda item ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
