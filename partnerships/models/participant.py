from django.conf import settings
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"


class ParticipantQuerySet(models.QuerySet):
    def mentors(self):
        return self.filter(role=Role.MENTOR)

    def mentees(self):
        return self.filter(role=Role.MENTEE)


class Participant(models.Model):
    """A person in one programme, as mentor or mentee (one role per programme)."""

    Role = Role

    programme = models.ForeignKey(
        "partnerships.Programme", on_delete=models.CASCADE, related_name="participants"
    )
    # PROTECT: a person with partnership history is deactivated, never deleted by accident.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(max_length=6, choices=Role.choices)
    bio = models.TextField(blank=True)
    interests = models.CharField(
        "interests and skills",
        max_length=500,
        blank=True,
        help_text="Comma-separated, e.g. public speaking, data engineering, leadership.",
    )
    capacity = models.PositiveSmallIntegerField(
        "mentor capacity",
        default=1,
        help_text="How many open partnerships a mentor can take at once (mentees: always 1).",
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "role", "user__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user"],
                name="participant_once_per_programme",
                violation_error_message="This person is already in this programme.",
            ),
            # Target of the partnership's composite foreign keys (programme and role checks).
            models.UniqueConstraint(
                fields=["id", "programme", "role"], name="participant_identity_key"
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="participant_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(role=Role.MENTEE, capacity=1) | Q(role=Role.MENTOR, capacity__gte=1),
                name="participant_capacity_valid",
                violation_error_message="A mentor's capacity is at least 1; a mentee's is 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display().lower()}, {self.programme})"

    @property
    def interest_list(self) -> list[str]:
        return [part.strip() for part in self.interests.split(",") if part.strip()]
