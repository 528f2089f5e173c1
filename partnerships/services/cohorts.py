"""The next cohort: a programme duplicated into a new one, with the people the coordinator
chooses to bring along.

What is copied: the programme's settings (cadence, reminders, its calendar, the wrap-up,
grace period and retention), its sign-up settings (closed, with a new link) and sign-up
questions, and its surveys with their questions. The programme has no other guidance
material (no "guides") to copy. What comes along is chosen: mentors, mentees never matched,
and pairs who told the coordinator they want to go on, each proposed again in the new cohort
(both accept, as for any match) and linked to the partnership they continue.

Nothing the partners wrote is copied: no agreements, goals, check-ins, reflections,
feedback, meetings, notes, survey answers or applications. A person who comes along
brings their profile (what they tell the programme: bio, interests, what they offer and
want, languages, how and when they meet, a mentor's capacity) and their answers to the
sign-up questions that count in matching, never their photo (a file kept per programme,
which they add again if they wish).
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from partnerships.models import (
    CoordinatorAction,
    Participant,
    Partnership,
    ProfileAnswer,
    Programme,
    ProgrammeIntake,
    SignupQuestion,
    Survey,
    SurveyQuestion,
)
from partnerships.models.participant import Role
from partnerships.models.partnership import Status
from partnerships.services.matches import match_propose
from partnerships.services.rules import can_coordinate

# The programme's settings a new cohort inherits (its name, link and dates are new).
SETTINGS = (
    "description",
    "checkin_cadence_days",
    "reminder_lead_days",
    "delivery_hour",
    "quiet_hours_start",
    "quiet_hours_end",
    "deliver_any_hour",
    "time_zone",
    "wrap_up_days",
    "health_grace_days",
    "retention_months",
    "retention_includes_shared",
)
INTAKE_SETTINGS = (
    "roles",
    "auto_approve",
    "mentor_places",
    "mentee_places",
    "requests_need_approval",
)
QUESTION_FIELDS = ("text", "help_text", "kind", "options", "required", "asked_of")
QUESTION_FIELDS += ("is_criterion", "position")
SURVEY_FIELDS = ("kind", "title", "intro", "pulse_days", "audience", "is_open")
SURVEY_QUESTION_FIELDS = ("position", "text", "kind", "choices", "low_label", "high_label")
SURVEY_QUESTION_FIELDS += ("required",)
PROFILE_FIELDS = ("bio", "interests", "offers", "wants", "languages", "meeting_format")
PROFILE_FIELDS += ("availability",)
# Partnerships that began: a pair that met may go on together in the next cohort.
CONTINUABLE_STATUSES = (Status.ACTIVE, Status.PAUSED, Status.COMPLETED)


def cohort_mentors(programme: Programme):
    return Participant.objects.filter(programme=programme, role=Role.MENTOR).select_related("user")


def cohort_unmatched_mentees(programme: Programme):
    """Mentees whose every partnership (if any) never began: proposed, or declined."""
    began = Partnership.objects.filter(programme=programme, started_on__isnull=False)
    return (
        Participant.objects.filter(programme=programme, role=Role.MENTEE)
        .exclude(pk__in=began.values("mentee"))
        .select_related("user")
    )


def cohort_continuable_pairs(programme: Programme):
    """Pairs who met and did not end early: the ones that may go on together."""
    return (
        Partnership.objects.filter(programme=programme, status__in=CONTINUABLE_STATUSES)
        .filter(started_on__isnull=False)
        .with_people()
        .order_by("mentee__user__name", "pk")
    )


def _copy(instance, fields, **extra):
    return type(instance)(**{name: getattr(instance, name) for name in fields}, **extra)


@transaction.atomic
def programme_duplicate(
    *,
    programme: Programme,
    by,
    name: str,
    slug: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    mentors: Iterable[Participant] = (),
    mentees: Iterable[Participant] = (),
    pairs: Iterable[Partnership] = (),
) -> Programme:
    """A new cohort of ``programme``: its settings, sign-up and surveys, and the people
    chosen. The person duplicating coordinates the new cohort."""
    if not can_coordinate(programme, by):
        raise PermissionDenied("Only the programme's coordinators can start its next cohort.")
    mentors, mentees, pairs = list(mentors), list(mentees), list(pairs)
    _check_chosen(programme, mentors=mentors, mentees=mentees, pairs=pairs)
    cohort = _copy(programme, SETTINGS, name=name, slug=slug, follows=programme)
    cohort.starts_on, cohort.ends_on = starts_on, ends_on
    cohort.full_clean()
    cohort.save()
    cohort.coordinators.add(by)

    intake = ProgrammeIntake.objects.filter(programme=programme).first()
    if intake is not None:
        # A new secret and closed: the old link must not open the new cohort's sign-up.
        _copy(intake, INTAKE_SETTINGS, programme=cohort, signup_open=False).save()
    question_for = {}
    for question in SignupQuestion.objects.filter(programme=programme).order_by("position", "pk"):
        copy = _copy(question, QUESTION_FIELDS, programme=cohort)
        copy.save()
        question_for[question.pk] = copy
    surveys = Survey.objects.filter(programme=programme).prefetch_related("questions")
    for survey in surveys.order_by("pk"):
        copy = _copy(survey, SURVEY_FIELDS, programme=cohort, copied_from=survey)
        copy.save()
        SurveyQuestion.objects.bulk_create(
            _copy(question, SURVEY_QUESTION_FIELDS, survey=copy)
            for question in sorted(survey.questions.all(), key=lambda q: (q.position, q.pk))
        )

    # Each person once: a mentor chosen alone and in a pair joins once.
    pairs_of = {}
    for pair in pairs:
        pairs_of.setdefault(pair.mentor_id, []).append(pair)
    coming = {p.pk: p for p in [*mentors, *mentees]}
    for pair in pairs:
        coming.setdefault(pair.mentor_id, pair.mentor)
        coming.setdefault(pair.mentee_id, pair.mentee)
    joined = {}
    for old in sorted(coming.values(), key=lambda p: (p.role, p.pk)):
        new = _copy(old, PROFILE_FIELDS, programme=cohort, user=old.user, role=old.role)
        if old.role == Role.MENTOR:
            new.capacity = max(old.capacity, len(pairs_of.get(old.pk, ())))
        new.save()
        joined[old.pk] = new
    ProfileAnswer.objects.bulk_create(
        ProfileAnswer(
            participant=joined[answer.participant_id],
            question=question_for[answer.question_id],
            choices=answer.choices,
        )
        for answer in ProfileAnswer.objects.filter(
            participant__in=list(joined), question__in=list(question_for)
        )
    )
    for pair in pairs:
        again = match_propose(mentee=joined[pair.mentee_id], mentor=joined[pair.mentor_id], by=by)
        Partnership.objects.filter(pk=again.pk).update(continued_from=pair)

    counts = (
        f"{len([p for p in joined.values() if p.role == Role.MENTOR])} mentor(s), "
        f"{len([p for p in joined.values() if p.role == Role.MENTEE])} mentee(s), "
        f"{len(pairs)} pair(s) proposed again"
    )
    CoordinatorAction.record(
        actor=by,
        programme=cohort,
        verb="duplicated",
        summary=f"started this cohort from {programme.name}: {counts}",
    )
    CoordinatorAction.record(
        actor=by,
        programme=programme,
        verb="duplicated",
        summary=f"started the next cohort, {cohort.name}: {counts}",
    )
    return cohort


def _check_chosen(programme, *, mentors, mentees, pairs) -> None:
    """Only this programme's people, each from the list they may come from."""
    allowed_mentors = set(cohort_mentors(programme).values_list("pk", flat=True))
    allowed_mentees = set(cohort_unmatched_mentees(programme).values_list("pk", flat=True))
    allowed_pairs = set(cohort_continuable_pairs(programme).values_list("pk", flat=True))
    errors = {}
    if any(p.pk not in allowed_mentors for p in mentors):
        errors["mentors"] = "Choose mentors of this programme."
    if any(p.pk not in allowed_mentees for p in mentees):
        errors["mentees"] = "Choose mentees of this programme who were never matched."
    if any(p.pk not in allowed_pairs for p in pairs):
        errors["pairs"] = "Choose pairs of this programme who met and did not end early."
    if errors:
        raise ValidationError(errors)
