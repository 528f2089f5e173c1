import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from partnerships.models.participant import Role


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True)


class Invitation(models.Model):
    """An invitation to join one programme in one role, sent by email with a signed link.

    Inviting the same address again reuses the row and sends a fresh link; each send bumps
    ``sent_count``, which is part of the signed token, so only the newest link works.
    """

    Role = Role

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        "partnerships.Programme", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=6, choices=Role.choices)
    interests = models.CharField("interests and skills", max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField("mentor capacity", default=1)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accepted_invitations",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "programme",
                Lower("email"),
                name="invitation_once_per_programme_email",
                violation_error_message="This address is already invited to this programme.",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="invitation_role_valid"),
            models.CheckConstraint(
                condition=Q(role=Role.MENTEE, capacity=1) | Q(role=Role.MENTOR, capacity__gte=1),
                name="invitation_capacity_valid",
                violation_error_message="A mentor's capacity is at least 1; a mentee's is 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> as {self.get_role_display().lower()}"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None
