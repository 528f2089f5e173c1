import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"


class MeetingFormat(models.TextChoices):
    """How a person likes to meet their partner."""

    VIDEO = "video", "Video call"
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    ANY = "any", "Any way"


def photo_path(participant, filename: str) -> str:
    """A random name: a photo's address says nothing about whose it is."""
    return f"profile-photos/{uuid.uuid4().hex}.jpg"


class ParticipantQuerySet(models.QuerySet):
    def mentors(self):
        return self.filter(role=Role.MENTOR)

    def mentees(self):
        return self.filter(role=Role.MENTEE)


class Participant(models.Model):
    """A person in one programme, as mentor or mentee (one role per programme), with the
    profile they show that programme."""

    Role = Role
    MeetingFormat = MeetingFormat

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
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
    # The rest of the profile: what the programme's people read in the directory.
    offers = models.CharField("what I can offer", max_length=500, blank=True)
    wants = models.CharField("what I want to learn", max_length=500, blank=True)
    languages = models.CharField(
        max_length=200, blank=True, help_text="Comma-separated, e.g. English, Spanish."
    )
    meeting_format = models.CharField(
        "how I like to meet", max_length=9, choices=MeetingFormat.choices, blank=True
    )
    availability = models.CharField("when I like to meet", max_length=200, blank=True)
    # Stored through the storage API, served only by the profile's photo view.
    photo = models.FileField(upload_to=photo_path, blank=True, max_length=100)
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
            models.CheckConstraint(
                condition=Q(meeting_format__in=["", *MeetingFormat.values]),
                name="participant_meeting_format_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display().lower()}, {self.programme})"

    @property
    def interest_list(self) -> list[str]:
        return tags_of(self.interests)

    @property
    def language_list(self) -> list[str]:
        return tags_of(self.languages)


def tags_of(text: str) -> list[str]:
    """A comma-separated list as its tags, each once (the first spelling kept)."""
    seen, tags = set(), []
    for part in text.split(","):
        tag = " ".join(part.split())
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    return tags
