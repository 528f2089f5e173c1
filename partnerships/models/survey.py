"""Surveys a programme asks its participants, and their answers.

A survey with no programme is a built-in template: coordinators copy one into their
programme and edit the copy. Answers are the respondent's own: coordinators read them only
as figures over three or more people (partnerships.survey_results), never one by one, and
a partner never reads the other's.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from partnerships.models.participant import Role

SCALE_MIN, SCALE_MAX = 1, 5


class SurveyKind(models.TextChoices):
    PULSE = "pulse", "Pulse check"
    CLOSING = "closing", "Closing survey"
    SELF_ASSESSMENT = "self_assessment", "Before/after self-assessment"


class Audience(models.TextChoices):
    EVERYONE = "everyone", "Mentors and mentees"
    MENTEES = "mentees", "Mentees"
    MENTORS = "mentors", "Mentors"


class Round(models.TextChoices):
    """When a survey is answered. A pulse is answered at each of its days after the
    partnership started ("day30", "day90"), named in the code, not here."""

    BEFORE = "before", "Before (at the start)"
    AFTER = "after", "After (at the wrap-up)"
    CLOSING = "closing", "At the wrap-up"


class QuestionKind(models.TextChoices):
    SCALE = "scale", "Scale (1 to 5)"
    ONE = "one", "One choice"
    SEVERAL = "several", "Several choices"
    TEXT = "text", "Free text"


class SurveyQuerySet(models.QuerySet):
    def templates(self):
        return self.filter(programme__isnull=True)

    def coordinated_by(self, user):
        """A coordinator's programmes' surveys, and the built-in templates everyone reads."""
        if user.is_superuser:
            return self
        return self.filter(Q(programme__coordinators=user) | Q(programme__isnull=True))


class Survey(models.Model):
    Kind = SurveyKind
    Audience = Audience

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        "partnerships.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="surveys",
        help_text="Empty for a built-in template.",
    )
    kind = models.CharField(max_length=16, choices=SurveyKind.choices)
    title = models.CharField(max_length=200)
    intro = models.TextField(
        "introduction",
        blank=True,
        help_text="Shown above the questions: why you ask, and how long it takes.",
    )
    pulse_days = models.CharField(
        "pulse days",
        max_length=40,
        blank=True,
        help_text="Pulse checks only: days after the partnership started, e.g. 30, 90.",
    )
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.EVERYONE)
    is_open = models.BooleanField(
        "sending invitations",
        default=True,
        help_text="Untick to stop inviting people; answers already given stay.",
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SurveyKind.values), name="survey_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="survey_audience_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title if self.programme_id else f"{self.title} (template)"

    @property
    def is_template(self) -> bool:
        return self.programme_id is None

    def pulse_day_list(self) -> list[int]:
        return sorted({int(part) for part in self.pulse_days.replace(" ", "").split(",") if part})

    def clean(self):
        super().clean()
        if self.kind == SurveyKind.PULSE:
            try:
                days = self.pulse_day_list()
            except ValueError:
                raise ValidationError(
                    {"pulse_days": "Write whole days separated by commas, e.g. 30, 90."}
                ) from None
            if not days or any(not 1 <= day <= 730 for day in days):
                raise ValidationError({"pulse_days": "Give one to a few days, 1 to 730."})
        elif self.pulse_days.strip():
            raise ValidationError({"pulse_days": "Only a pulse check is sent on given days."})

    def rounds(self) -> list[str]:
        """The rounds in which this survey is answered, in order."""
        if self.kind == SurveyKind.PULSE:
            return [f"day{day}" for day in self.pulse_day_list()]
        if self.kind == SurveyKind.SELF_ASSESSMENT:
            return [Round.BEFORE, Round.AFTER]
        return [Round.CLOSING]

    def asks(self, role: str) -> bool:
        return self.audience == Audience.EVERYONE or self.audience == f"{role}s"


def round_label(round_key: str) -> str:
    if round_key.startswith("day"):
        return f"At {round_key[3:]} days"
    try:
        return Round(round_key).label
    except ValueError:
        return round_key


class SurveyQuestion(models.Model):
    Kind = QuestionKind

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField("question", max_length=300)
    kind = models.CharField(max_length=8, choices=QuestionKind.choices, default=QuestionKind.SCALE)
    choices = models.TextField(
        blank=True, help_text="One choice per line (one-choice and several-choice questions)."
    )
    low_label = models.CharField(
        "label for 1", max_length=60, blank=True, help_text="Scale questions, e.g. Not at all."
    )
    high_label = models.CharField(
        "label for 5", max_length=60, blank=True, help_text="Scale questions, e.g. Completely."
    )
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["survey", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="survey_question_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        has_choices = self.kind in (QuestionKind.ONE, QuestionKind.SEVERAL)
        if has_choices and len(self.choice_list()) < 2:
            raise ValidationError({"choices": "Give at least two choices, one per line."})
        if not has_choices and self.choices.strip():
            raise ValidationError({"choices": "Only choice questions have choices."})


class SurveyResponse(models.Model):
    """One person's answers to one round of a survey, in one partnership."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    round = models.CharField(max_length=12)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_responses"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="survey_responses"
    )
    role = models.CharField(max_length=6, choices=Role.choices)
    share_text = models.BooleanField(
        "free text may be shown to coordinators without my name", default=False
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "round", "respondent", "partnership"],
                name="survey_response_once_per_round",
                violation_error_message="You have already answered this survey.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="survey_response_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Answers to {self.survey} ({self.round})"


class SurveyAnswer(models.Model):
    """One answer. All of it is the respondent's: coordinators see only figures over three
    or more people, so every answer field is private to the admin."""

    PRIVATE_FIELDS = ("scale", "choices", "text")

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    scale = models.PositiveSmallIntegerField(
        "rating", null=True, validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]
    )
    choices = models.JSONField("choices made", default=list, blank=True)
    text = models.TextField("written answer", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="survey_answer_once_per_question"
            ),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__gte=SCALE_MIN, scale__lte=SCALE_MAX),
                name="survey_answer_scale_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question}"
