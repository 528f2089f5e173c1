"""Sign-up: applying to a programme at its shared link, confirming the address, and a
coordinator's decision.

An application takes a place for its role once its address is confirmed (or it came from
a logged-in account, whose address is known) and until it is declined. Places are counted
under a lock on the programme's intake row, so two people confirming the last place at
once cannot both have it.

Nothing here tells a visitor whether an address has an account or an application: every
submission answers alike, and what applies to that address is said in the email sent to it.
Emails are queued after commit on a task that retries a failed send (partnerships/tasks.py).
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from partnerships.models import (
    Application,
    ApplicationAnswer,
    CoordinatorAction,
    Participant,
    ProfileAnswer,
    ProgrammeIntake,
    SignupQuestion,
)
from partnerships.models.signup import ApplicationStatus, QuestionKind
from partnerships.services.notifications import notification_send

CONFIRM_VALID_FOR = datetime.timedelta(days=7)
JOIN_VALID_FOR = datetime.timedelta(days=14)
_CONFIRM_SALT = "partnerships.signup.confirm"
_JOIN_SALT = "partnerships.signup.join"


class SignupClosed(Exception):
    """Why nobody can apply for a role now: ``kind`` is "closed", "ended", "role" or
    "full"; ``message`` says it to a person."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


class SignupLinkError(Exception):
    """A confirmation or join link that cannot be used, and why (``message``)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Submitted:
    """What a submission did: ``application`` is the row concerned; ``new`` whether it
    was created now. The page answers the same whatever these say."""

    application: Application
    new: bool


# --- whether one may apply ------------------------------------------------------------------


def intake_for_token(token: str) -> ProgrammeIntake | None:
    if not token or len(token) > 64:
        return None
    return ProgrammeIntake.objects.select_related("programme").filter(token=token).first()


def places_taken(programme, role: str) -> int:
    """The role's participants plus the confirmed applications still waiting (approved
    ones are participants already)."""
    participants = Participant.objects.filter(programme=programme, role=role).count()
    waiting = Application.objects.filter(
        programme=programme, role=role, status=ApplicationStatus.WAITING
    ).count()
    return participants + waiting


def role_is_full(intake: ProgrammeIntake, role: str) -> bool:
    places = intake.places_for(role)
    return places is not None and places_taken(intake.programme, role) >= places


def check_open(intake: ProgrammeIntake, role: str | None = None) -> None:
    """SignupClosed unless people may apply (for ``role``, when given)."""
    programme = intake.programme
    if not intake.signup_open:
        raise SignupClosed("closed", f"Sign-up for {programme} is closed at the moment.")
    if programme.ends_on < timezone.localdate():
        raise SignupClosed("ended", f"{programme} has ended; it takes no more sign-ups.")
    if role is None:
        if all(role_is_full(intake, offered) for offered in intake.roles_offered()):
            raise SignupClosed("full", f"Every place in {programme} has been taken.")
        return
    if role not in intake.roles_offered():
        raise SignupClosed("role", f"{programme} does not take {role}s through sign-up.")
    if role_is_full(intake, role):
        raise SignupClosed("full", f"Every {role}'s place in {programme} has been taken.")


def open_roles(intake: ProgrammeIntake) -> list[str]:
    """The roles one may apply for now, in the order offered."""
    roles = []
    for role in intake.roles_offered():
        try:
            check_open(intake, role)
        except SignupClosed:
            continue
        roles.append(role)
    return roles


def questions_for(programme, role: str) -> list[SignupQuestion]:
    return [
        question
        for question in SignupQuestion.objects.filter(programme=programme)
        if question.is_for(role)
    ]


# --- answers ------------------------------------------------------------------------------


def clean_answers(questions: list[SignupQuestion], answers: dict) -> dict[int, str | list]:
    """The answers kept, by question id, or ValidationError {question id: message}.
    Options not offered are refused (a choice is one of the question's own lines)."""
    errors, kept = {}, {}
    for question in questions:
        given = answers.get(question.pk)
        if question.is_choice:
            chosen = [given] if isinstance(given, str) else list(given or [])
            options = question.option_list()
            if any(option not in options for option in chosen):
                errors[question.pk] = "Choose among the options shown."
                continue
            if question.kind == QuestionKind.ONE and len(chosen) > 1:
                errors[question.pk] = "Choose one option."
                continue
            chosen = [option for option in options if option in chosen]
            if question.required and not chosen:
                errors[question.pk] = "Please choose an answer."
            kept[question.pk] = chosen
        else:
            text = (given or "").strip() if isinstance(given, str) else ""
            if question.required and not text:
                errors[question.pk] = "Please answer this question."
            kept[question.pk] = text
    if errors:
        raise ValidationError(errors)
    return kept


def _save_answers(application: Application, questions, kept: dict) -> None:
    application.answers.all().delete()
    ApplicationAnswer.objects.bulk_create(
        ApplicationAnswer(
            application=application,
            question=question,
            text="" if question.is_choice else kept.get(question.pk, ""),
            choices=kept.get(question.pk, []) if question.is_choice else [],
        )
        for question in questions
        if kept.get(question.pk)
    )


# --- emails ---------------------------------------------------------------------------------


def _queue_email(application: Application, kind: str, **extra) -> None:
    from partnerships.tasks import send_signup_email  # noqa: PLC0415 (the task imports this module)

    transaction.on_commit(lambda: send_signup_email.delay(application.pk, kind, extra))


def confirm_token(application: Application) -> str:
    return signing.TimestampSigner(salt=_CONFIRM_SALT).sign_object({"a": str(application.code)})


def application_from_confirm_token(token: str) -> Application:
    try:
        payload = signing.TimestampSigner(salt=_CONFIRM_SALT).unsign_object(
            token, max_age=CONFIRM_VALID_FOR
        )
    except signing.SignatureExpired as error:
        raise SignupLinkError(
            "This confirmation link has expired. Sign up again with the programme's link."
        ) from error
    except signing.BadSignature as error:
        raise SignupLinkError(
            "This confirmation link is not valid. Check that you copied all of it."
        ) from error
    application = (
        Application.objects.select_related("programme").filter(code=payload.get("a")).first()
    )
    if application is None:
        raise SignupLinkError("This application no longer exists.")
    return application


def _account_state(user) -> str:
    """Changes when the password is set or the person logs in: a used join link stops."""
    return salted_hmac(
        _JOIN_SALT, f"{user.pk}{user.password}{user.last_login}", algorithm="sha256"
    ).hexdigest()[:20]


def join_token(application: Application) -> str:
    return signing.TimestampSigner(salt=_JOIN_SALT).sign_object(
        {"a": str(application.code), "s": _account_state(application.user)}
    )


def application_from_join_token(token: str) -> Application:
    """The approved application whose new account this link activates, or SignupLinkError."""
    try:
        payload = signing.TimestampSigner(salt=_JOIN_SALT).unsign_object(
            token, max_age=JOIN_VALID_FOR
        )
    except signing.SignatureExpired as error:
        raise SignupLinkError(
            "This link has expired. Use “Forgotten your password?” on the login page with "
            "the address you signed up with."
        ) from error
    except signing.BadSignature as error:
        raise SignupLinkError("This link is not valid. Check that you copied all of it.") from error
    application = (
        Application.objects.select_related("programme", "user", "participant")
        .filter(code=payload.get("a"), status=ApplicationStatus.APPROVED)
        .first()
    )
    if application is None or application.user is None:
        raise SignupLinkError("This link is not valid any more.")
    if payload.get("s") != _account_state(application.user):
        raise SignupLinkError(
            "This link has been used: your password is set. Log in with your email address."
        )
    return application


# --- applying -------------------------------------------------------------------------------


def application_submit(
    *,
    intake: ProgrammeIntake,
    role: str,
    name: str,
    email: str,
    answers: dict,
    user=None,
) -> Submitted:
    """Apply to ``intake``'s programme. With ``user`` (logged in), as that account, counted
    at once; otherwise an application waiting for its address to be confirmed, and an email
    to that address saying what applies to it (confirm, or already applied, or already in).

    SignupClosed when the role cannot be applied for; ValidationError for bad answers."""
    programme = intake.programme
    check_open(intake, role)
    questions = questions_for(programme, role)
    kept = clean_answers(questions, answers)
    if user is not None:
        email, name = user.email, user.name
    email = email.strip().lower()
    name = name.strip()
    with transaction.atomic():
        ProgrammeIntake.objects.select_for_update().filter(pk=intake.pk).first()
        existing = (
            Application.objects.select_for_update()
            .filter(programme=programme, email__iexact=email)
            .first()
        )
        member = Participant.objects.filter(programme=programme, user__email__iexact=email)
        already = existing is not None and existing.status != ApplicationStatus.UNCONFIRMED
        if user is None and (member.exists() or already):
            # Already in, or already applied: nothing changes; the email says so.
            if existing is not None:
                _queue_email(existing, "already_applied")
                return Submitted(application=existing, new=False)
            _queue_already_member(programme, email, name)
            return Submitted(application=Application(programme=programme, email=email), new=False)
        if user is not None and member.exists():
            raise SignupClosed("member", f"You are already in {programme}.")
        if existing is not None and existing.status != ApplicationStatus.UNCONFIRMED:
            # A logged-in person whose earlier application is decided or waiting.
            return Submitted(application=existing, new=False)
        application = existing or Application(programme=programme, email=email)
        application.name, application.role, application.user = name, role, user
        application.save()
        _save_answers(application, questions, kept)
        if user is None:
            _queue_email(application, "confirm")
            return Submitted(application=application, new=existing is None)
    application_confirm(application=application)
    application.refresh_from_db()
    return Submitted(application=application, new=existing is None)


def _queue_already_member(programme, email: str, name: str) -> None:
    from partnerships.tasks import send_member_email  # noqa: PLC0415 (the task imports this module)

    transaction.on_commit(lambda: send_member_email.delay(programme.pk, email, name))


def application_confirm(*, application: Application) -> Application:
    """The address is confirmed: the application takes its place and waits for a
    coordinator, or is approved at once by the programme's setting. Confirming twice does
    nothing more. SignupClosed if the role filled up meanwhile (the application waits,
    unconfirmed, in case a place frees up)."""
    with transaction.atomic():
        intake = (
            ProgrammeIntake.objects.select_for_update()
            .select_related("programme")
            .get(programme=application.programme_id)
        )
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != ApplicationStatus.UNCONFIRMED:
            return application
        if role_is_full(intake, application.role):
            raise SignupClosed(
                "full",
                f"Every {application.role}'s place in {intake.programme} was taken before "
                "you confirmed. Your coordinator can still add you.",
            )
        if application.user_id is None:
            # The address is proven now: an account with it is this person's.
            application.user = get_user_model().objects.filter(email=application.email).first()
        application.status = ApplicationStatus.WAITING
        application.confirmed_at = timezone.now()
        application.save(update_fields=["status", "confirmed_at", "user"])
        if not intake.auto_approve:
            _queue_email(application, "received")
    if intake.auto_approve:
        application_approve(application=application, by=None)
        application.refresh_from_db()
    return application


# --- deciding -----------------------------------------------------------------------------


def _check_coordinator(application: Application, by) -> None:
    if by is None:  # the programme's own setting: auto-approve
        return
    if not (by.is_superuser or application.programme.coordinators.filter(pk=by.pk).exists()):
        raise PermissionDenied("Only the programme's coordinators decide its applications.")


def _lock_waiting(application: Application) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=application.pk)
    )
    if locked.status != ApplicationStatus.WAITING:
        raise ValidationError(
            f"{locked.name}'s application is {locked.get_status_display().lower()}: "
            "only a waiting one is decided."
        )
    return locked


def application_approve(*, application: Application, by) -> Application:
    """Approve: the person joins the programme in the role applied for (their account, or
    a new one without a password that the emailed join link lets them set), and their
    choices for questions that count in matching go onto their profile."""
    _check_coordinator(application, by)
    with transaction.atomic():
        locked = _lock_waiting(application)
        user = locked.user or get_user_model().objects.filter(email=locked.email).first()
        if user is None:
            # No password yet: it cannot log in until the join link sets one.
            user = get_user_model().objects.create_user(email=locked.email, name=locked.name)
        participant, _ = Participant.objects.get_or_create(
            programme=locked.programme, user=user, defaults={"role": locked.role}
        )
        for answer in locked.answers.filter(question__is_criterion=True).select_related("question"):
            ProfileAnswer.objects.update_or_create(
                participant=participant,
                question=answer.question,
                defaults={"choices": answer.choices},
            )
        locked.status = ApplicationStatus.APPROVED
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.user = user
        locked.participant = participant
        locked.save(update_fields=["status", "decided_at", "decided_by", "user", "participant"])
        if by is not None:
            CoordinatorAction.record(
                actor=by,
                programme=locked.programme,
                verb="approved",
                summary=f"approved {locked.email}'s application as {locked.role}",
            )
        _queue_email(locked, "approved")
        _notify_account(locked, by, f"approved your application to join as a {locked.role}")
    return locked


def application_decline(*, application: Application, by, message: str = "") -> Application:
    """Decline, with the coordinator's message to the applicant (sent as written)."""
    _check_coordinator(application, by)
    message = message.strip()
    if len(message) > Application._meta.get_field("decision_message").max_length:
        raise ValidationError("Keep the message to 1000 characters.")
    with transaction.atomic():
        locked = _lock_waiting(application)
        locked.status = ApplicationStatus.DECLINED
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.decision_message = message
        locked.save(update_fields=["status", "decided_at", "decided_by", "decision_message"])
        CoordinatorAction.record(
            actor=by,
            programme=locked.programme,
            verb="declined",
            summary=f"declined {locked.email}'s application as {locked.role}",
        )
        _queue_email(locked, "declined")
        _notify_account(locked, by, f"declined your application to join as a {locked.role}")
    return locked


def _notify_account(application: Application, by, summary: str) -> None:
    """Someone who applied with an account they use sees the decision in the app too (the
    email says it already, so none from here). A new account has no app to look at yet."""
    user = application.user
    if user is None or not user.has_usable_password():
        return
    notification_send(
        recipients=[user],
        kind="application",
        programme=application.programme,
        summary=summary,
        link=reverse("home"),
        actor=by,
        email=False,
    )


def applications_waiting(programme) -> int:
    return Application.objects.filter(programme=programme, status=ApplicationStatus.WAITING).count()
