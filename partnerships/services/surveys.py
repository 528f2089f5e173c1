"""Surveys: copying a template into a programme, when each round is due for a partnership,
and answering.

A round is due for each partner of a partnership that has started:
- a pulse check's "dayN" on the Nth day after the partnership started;
- a self-assessment's "before" on the day it started (open for 30 days), and its "after"
  with the closing survey's round, at the wrap-up (or when the partnership closed, if
  earlier).
Every round stays open until the partnership's last day; after that, as everything
else, it is read-only.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from partnerships.models import CoordinatorAction, Partnership, Programme
from partnerships.models.partnership import Status
from partnerships.models.survey import (
    SCALE_MAX,
    SCALE_MIN,
    QuestionKind,
    Round,
    Survey,
    SurveyAnswer,
    SurveyKind,
    SurveyQuestion,
    SurveyResponse,
)
from partnerships.services.rules import can_coordinate, require_member

BEFORE_OPEN_DAYS = 30
DAY = datetime.timedelta(days=1)
# Partnerships that take part in surveys: started ones (a closed one still answers the
# closing round until the programme's end).
SURVEYED_STATUSES = (Status.ACTIVE, Status.PAUSED, Status.COMPLETED, Status.ENDED_EARLY)


@transaction.atomic
def survey_copy(*, survey: Survey, programme: Programme, by, title: str = "") -> Survey:
    """A programme's own copy of a survey (a built-in template, or another programme's),
    questions included, never its answers."""
    if not can_coordinate(programme, by):
        raise PermissionDenied("Only the programme's coordinators can add surveys to it.")
    if survey.programme_id is not None and not can_coordinate(survey.programme, by):
        raise PermissionDenied("You can copy templates and your own programmes' surveys.")
    copy = Survey.objects.create(
        programme=programme,
        kind=survey.kind,
        title=title or survey.title,
        intro=survey.intro,
        pulse_days=survey.pulse_days,
        audience=survey.audience,
        copied_from=survey,
    )
    SurveyQuestion.objects.bulk_create(
        [
            SurveyQuestion(
                survey=copy,
                position=q.position,
                text=q.text,
                kind=q.kind,
                choices=q.choices,
                low_label=q.low_label,
                high_label=q.high_label,
                required=q.required,
            )
            for q in survey.questions.order_by("position", "pk")
        ]
    )
    CoordinatorAction.record(
        actor=by, programme=programme, verb="added", summary=f"added the survey {copy.title}"
    )
    return copy


# --- when rounds are due ------------------------------------------------------------------


@dataclass(frozen=True)
class RoundDue:
    survey: Survey
    round: str
    opens_on: datetime.date
    closes_on: datetime.date  # the last day it can be answered

    def is_open(self, today: datetime.date) -> bool:
        return self.opens_on <= today <= self.closes_on


def closing_round_opens_on(partnership: Partnership) -> datetime.date:
    """The wrap-up's first day, or the day the partnership closed if that was earlier."""
    wrap_up = partnership.ends_on - DAY * partnership.programme.wrap_up_days
    if partnership.status in (Status.COMPLETED, Status.ENDED_EARLY) and partnership.ended_on:
        return min(wrap_up, partnership.ended_on)
    return wrap_up


def rounds_for(partnership: Partnership, surveys, role: str) -> list[RoundDue]:
    """Every round of these surveys that this partner of this partnership answers."""
    if partnership.started_on is None or partnership.status not in SURVEYED_STATUSES:
        return []
    start, last = partnership.started_on, partnership.ends_on
    closing = closing_round_opens_on(partnership)
    due = []
    for survey in surveys:
        if not survey.is_open or not survey.asks(role):
            continue
        if survey.kind == SurveyKind.PULSE:
            for day in survey.pulse_day_list():
                due.append(RoundDue(survey, f"day{day}", start + DAY * day, last))
        elif survey.kind == SurveyKind.SELF_ASSESSMENT:
            due.append(
                RoundDue(survey, Round.BEFORE, start, min(start + DAY * BEFORE_OPEN_DAYS, last))
            )
            due.append(RoundDue(survey, Round.AFTER, closing, last))
        else:
            due.append(RoundDue(survey, Round.CLOSING, closing, last))
    # A round that would open after the partnership's last day never opens.
    return [r for r in due if r.opens_on <= r.closes_on]


def rounds_waiting(partnership: Partnership, *, user, today: datetime.date) -> list[RoundDue]:
    """The rounds this partner can answer today and has not answered (three queries)."""
    role = partnership.role_of(user)
    if role is None or partnership.has_ended(today):
        return []
    surveys = list(Survey.objects.filter(programme_id=partnership.programme_id, is_open=True))
    answered = set(
        SurveyResponse.objects.filter(partnership=partnership, respondent=user).values_list(
            "survey_id", "round"
        )
    )
    return [
        r
        for r in rounds_for(partnership, surveys, role)
        if r.is_open(today) and (r.survey.pk, r.round) not in answered
    ]


def round_for(partnership: Partnership, *, survey: Survey, round_key: str, user) -> RoundDue:
    """The round, if this partner answers it in this partnership; else a refusal."""
    role = partnership.role_of(user)
    if role is None:
        raise PermissionDenied("Only the two partners can do this.")
    if survey.programme_id != partnership.programme_id:
        raise ValidationError("This survey belongs to another programme.", code="elsewhere")
    found = next((r for r in rounds_for(partnership, [survey], role) if r.round == round_key), None)
    if found is None:
        raise ValidationError("This survey does not ask you this.", code="not_asked")
    return found


# --- answering ----------------------------------------------------------------------------


def _clean_answer(question: SurveyQuestion, value) -> dict | None:
    """The stored fields of one answer, or None if it was left blank."""
    if question.kind == QuestionKind.SCALE:
        if value in (None, ""):
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not SCALE_MIN <= number <= SCALE_MAX:
            raise ValidationError(f"Choose {SCALE_MIN} to {SCALE_MAX}.", code="scale")
        return {"scale": number}
    if question.kind == QuestionKind.TEXT:
        text = (value or "").strip()
        if len(text) > 4000:
            raise ValidationError("Keep it under 4,000 characters.", code="max_length")
        return {"text": text} if text else None
    chosen = [value] if isinstance(value, str) else list(value or [])
    chosen = [c for c in chosen if c]
    if not chosen:
        return None
    offered = question.choice_list()
    if any(c not in offered for c in chosen):
        raise ValidationError("Choose among the choices given.", code="invalid_choice")
    if question.kind == QuestionKind.ONE and len(chosen) > 1:
        raise ValidationError("Choose one.", code="one")
    # Stored in the order offered, once each.
    return {"choices": [c for c in offered if c in chosen]}


@transaction.atomic
def survey_answer(
    *,
    partnership: Partnership,
    survey: Survey,
    round_key: str,
    by,
    answers: dict[int, object],
    share_text: bool = False,
    today: datetime.date | None = None,
) -> SurveyResponse:
    """Save one partner's answers to one round, all or nothing. ``answers`` maps each
    question's id to its value (a number, a choice, a list of choices or text). Answers
    are final; coordinators read them only in aggregate, the partner never."""
    require_member(partnership, by)
    due = round_for(partnership, survey=survey, round_key=round_key, user=by)
    today = today or partnership.programme.today()
    if not due.is_open(today):
        raise ValidationError(
            "This survey is open from %(opens)s to %(closes)s.",
            code="closed",
            params={"opens": f"{due.opens_on:%-d %B}", "closes": f"{due.closes_on:%-d %B}"},
        )
    if not survey.is_open:
        raise ValidationError("This survey is no longer taking answers.", code="closed")
    errors: dict[str, list] = {}
    cleaned = {}
    for question in survey.questions.all():
        try:
            value = _clean_answer(question, answers.get(question.pk))
        except ValidationError as error:
            errors[f"q{question.pk}"] = error.messages
            continue
        if value is None and question.required:
            errors[f"q{question.pk}"] = ["Please answer this question."]
        elif value is not None:
            cleaned[question] = value
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError("Answer at least one question before sending.", code="empty")
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey,
                round=round_key,
                respondent=by,
                partnership=partnership,
                role=partnership.role_of(by),
                share_text=share_text,
            )
    except IntegrityError:
        raise ValidationError("You have already answered this survey.", code="answered") from None
    SurveyAnswer.objects.bulk_create(
        [SurveyAnswer(response=response, question=q, **value) for q, value in cleaned.items()]
    )
    return response
