"""Sign-up: a programme's public page at a link its coordinators share, with questions they
define; a person's answers are an application that waits for a coordinator.

The link's token is long and random: a programme's sign-up cannot be found by guessing.
An application counts only once its email address is confirmed (or it came from a
logged-in account), and approval sends the programme's join link (an Invitation).
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from mentorship.models import has_control_characters
from partnerships.models.participant import Role

MAX_OPTIONS = 20
OPTION_LENGTH = 100


def new_signup_token() -> str:
    return secrets.token_urlsafe(32)  # 43 characters, 256 bits


class SignupRoles(models.TextChoices):
    MENTEES = "mentee", "Mentees only"
    MENTORS = "mentor", "Mentors only"
    BOTH = "both", "Mentors and mentees (each chooses)"


class ProgrammeIntake(models.Model):
    """How people find their way into a programme: its sign-up page and the rule for
    accepted requests. One per programme; a programme without one has sign-up closed."""

    Roles = SignupRoles

    programme = models.OneToOneField(
        "partnerships.Programme", on_delete=models.CASCADE, related_name="intake"
    )
    signup_open = models.BooleanField(
        "sign-up open",
        default=False,
        help_text="People with the link can apply. Close it at any time; the link is kept.",
    )
    token = models.CharField(
        "sign-up link's secret", max_length=64, unique=True, default=new_signup_token
    )
    roles = models.CharField(
        "who may sign up", max_length=6, choices=SignupRoles.choices, default=SignupRoles.BOTH
    )
    auto_approve = models.BooleanField(
        "approve applications automatically",
        default=False,
        help_text="A confirmed application is approved at once and its join link sent.",
    )
    mentor_places = models.PositiveIntegerField(
        "places for mentors",
        null=True,
        blank=True,
        help_text="Sign-up closes for mentors when the programme has this many, counting "
        "applications waiting. Empty: no limit.",
    )
    mentee_places = models.PositiveIntegerField(
        "places for mentees",
        null=True,
        blank=True,
        help_text="The same for mentees.",
    )
    requests_need_approval = models.BooleanField(
        "a coordinator approves accepted requests",
        default=False,
        help_text="When a mentor accepts a mentee's request, the match waits for a "
        "coordinator before it is proposed to both. Otherwise it is proposed at once.",
    )

    class Meta:
        verbose_name = "sign-up and matching settings"
        verbose_name_plural = "sign-up and matching settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(roles__in=SignupRoles.values), name="intake_roles_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Sign-up for {self.programme}"

    def roles_offered(self) -> list[str]:
        return [Role.MENTEE, Role.MENTOR] if self.roles == SignupRoles.BOTH else [self.roles]

    def places_for(self, role: str) -> int | None:
        return self.mentor_places if role == Role.MENTOR else self.mentee_places


class QuestionKind(models.TextChoices):
    SHORT = "short", "Short text"
    LONG = "long", "Long text"
    ONE = "one", "One choice"
    SEVERAL = "several", "Several choices"


CHOICE_KINDS = (QuestionKind.ONE, QuestionKind.SEVERAL)


class AskedOf(models.TextChoices):
    BOTH = "both", "Everyone"
    MENTEES = "mentee", "Mentees"
    MENTORS = "mentor", "Mentors"


class SignupQuestion(models.Model):
    """One question of a programme's sign-up, written by its coordinators."""

    Kind = QuestionKind
    AskedOf = AskedOf

    programme = models.ForeignKey(
        "partnerships.Programme", on_delete=models.CASCADE, related_name="signup_questions"
    )
    text = models.CharField("question", max_length=300)
    help_text = models.CharField("hint", max_length=300, blank=True)
    kind = models.CharField(max_length=7, choices=QuestionKind.choices, default=QuestionKind.SHORT)
    options = models.TextField(
        blank=True,
        help_text=f"For a choice: one option per line, 2 to {MAX_OPTIONS}, each up to "
        f"{OPTION_LENGTH} characters.",
    )
    required = models.BooleanField(default=False)
    asked_of = models.CharField(max_length=6, choices=AskedOf.choices, default=AskedOf.BOTH)
    is_criterion = models.BooleanField(
        "counts in matching",
        default=False,
        help_text="For a choice asked of everyone: a mentor and a mentee who chose the same "
        "option score higher, and the match's reasons say so.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=QuestionKind.values), name="question_kind"),
            models.CheckConstraint(
                condition=Q(asked_of__in=AskedOf.values), name="question_asked_of"
            ),
            models.CheckConstraint(
                condition=~Q(is_criterion=True) | Q(kind__in=CHOICE_KINDS, asked_of=AskedOf.BOTH),
                name="question_criterion_is_a_choice_for_everyone",
                violation_error_message="Only a choice asked of everyone counts in matching.",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def is_for(self, role: str) -> bool:
        return self.asked_of in (AskedOf.BOTH, role)

    def clean(self):
        super().clean()
        errors = {}
        for field in ("text", "help_text"):
            if has_control_characters(getattr(self, field)):
                errors[field] = "Write it on one line, without tabs or other control characters."
        options = self.option_list()
        if self.is_choice:
            lowered = [option.lower() for option in options]
            if not 2 <= len(options) <= MAX_OPTIONS:
                errors["options"] = f"A choice needs 2 to {MAX_OPTIONS} options, one per line."
            elif any(len(option) > OPTION_LENGTH for option in options):
                errors["options"] = f"Keep each option to {OPTION_LENGTH} characters."
            elif len(set(lowered)) != len(lowered):
                errors["options"] = "Each option once: two lines say the same."
            elif any(has_control_characters(option.replace("\n", "")) for option in options):
                errors["options"] = "An option contains a tab or other control character."
        elif options:
            errors["options"] = "Only a choice has options; leave this empty."
        if self.is_criterion and not (self.is_choice and self.asked_of == AskedOf.BOTH):
            errors["is_criterion"] = (
                "Only a choice asked of everyone can count in matching: mentors and "
                "mentees must be able to give the same answer."
            )
        if errors:
            raise ValidationError(errors)


class ApplicationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "Email not confirmed yet"
    WAITING = "waiting", "Waiting for a coordinator"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class Application(models.Model):
    """A person's sign-up to one programme in one role, and its answers."""

    Status = ApplicationStatus
    Role = Role

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        "partnerships.Programme", on_delete=models.CASCADE, related_name="applications"
    )
    role = models.CharField(max_length=6, choices=Role.choices)
    email = models.EmailField()
    name = models.CharField(max_length=150)
    # The account that applied while logged in, or that joined once approved.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    status = models.CharField(
        max_length=11, choices=ApplicationStatus.choices, default=ApplicationStatus.UNCONFIRMED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_message = models.CharField(
        "message to the applicant",
        max_length=1000,
        blank=True,
        help_text="Sent with a decline, in the coordinator's words.",
    )
    invitation = models.ForeignKey(
        "partnerships.Invitation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    participant = models.ForeignKey(
        "partnerships.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "programme",
                Lower("email"),
                name="application_once_per_programme_email",
                violation_error_message="This address has already applied to this programme.",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="application_role"),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status"
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "status"], name="application_by_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> as {self.get_role_display().lower()}"

    @property
    def counts(self) -> bool:
        """Confirmed and not declined: it takes a place."""
        return self.status in (ApplicationStatus.WAITING, ApplicationStatus.APPROVED)


class ApplicationAnswer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SignupQuestion, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "question"], name="application_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"Answer to “{self.question}”"

    @property
    def display(self) -> str:
        return ", ".join(self.choices) if self.choices else self.text


class ProfileAnswer(models.Model):
    """A participant's choices for a question that counts in matching: from their
    application, or chosen on their profile later."""

    participant = models.ForeignKey(
        "partnerships.Participant", on_delete=models.CASCADE, related_name="criteria_answers"
    )
    question = models.ForeignKey(
        SignupQuestion, on_delete=models.CASCADE, related_name="profile_answers"
    )
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "question"], name="profile_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.question}"
