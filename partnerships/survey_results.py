"""What coordinators may read of survey answers: figures over three or more people.

Every figure (an average, a spread of ratings, a count of choices, the shared free text)
is computed over one round of one survey, optionally narrowed to mentors or mentees, and
only from the people who answered that question. It is shown only when

- at least ``MIN_ANSWERS`` people answered the question in that group; and
- for a narrowed group, the rest of the round (the other role) is either nobody or also at
  least ``MIN_ANSWERS``: otherwise the round's figure minus this one would give away the
  answers of one or two people.

Rounds are never added together (a "before" and an "after" are different moments), so no
figure can be taken from another to single anyone out. Free text appears without names,
in alphabetical order, and only from people who ticked "may be shown".

The same cells, with the same "too few answers", go into the CSV files.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from partnerships.models.participant import Role
from partnerships.models.survey import (
    SCALE_MAX,
    SCALE_MIN,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    round_label,
)

MIN_ANSWERS = 3
TOO_FEW = "too few answers"
ROLES = (Role.MENTOR, Role.MENTEE)


@dataclass
class Figure:
    """One question's figures for one group; ``shown`` False means "too few answers"."""

    question: SurveyQuestion
    answered: int
    shown: bool
    average: float | None = None
    spread: list[tuple[str, int]] = field(default_factory=list)  # (value or choice, count)
    texts: list[str] = field(default_factory=list)

    @property
    def count_label(self) -> str:
        return str(self.answered) if self.shown else ""


@dataclass
class RoundResult:
    survey: Survey
    round: str
    role: str | None  # None: everyone in the round
    respondents: int
    shown: bool
    figures: list[Figure]

    @property
    def label(self) -> str:
        return round_label(self.round)


def _shown(counts: dict[str | None, int], role: str | None) -> bool:
    """The rule of the module docstring, for one question: ``counts`` per role."""
    total = sum(counts.values())
    if role is None:
        return total >= MIN_ANSWERS
    mine, rest = counts.get(role, 0), total - counts.get(role, 0)
    return mine >= MIN_ANSWERS and (rest == 0 or rest >= MIN_ANSWERS)


def _answers_by_question(survey: Survey, round_key: str):
    """(question id, role, scale, choices, text, share) of every answer in the round."""
    return SurveyAnswer.objects.filter(
        response__survey=survey, response__round=round_key
    ).values_list(
        "question_id",
        "response__role",
        "scale",
        "choices",
        "text",
        "response__share_text",
    )


def round_result(survey: Survey, round_key: str, *, role: str | None = None) -> RoundResult:
    """The figures of one round of a survey, for everyone or one role (three queries)."""
    questions = list(survey.questions.order_by("position", "pk"))
    respondents = dict(
        SurveyResponse.objects.filter(survey=survey, round=round_key)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    per_question: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for question_id, answer_role, scale, choices, text, share in _answers_by_question(
        survey, round_key
    ):
        per_question[question_id][answer_role].append((scale, choices, text, share))
    figures = []
    for question in questions:
        by_role = per_question.get(question.pk, {})
        counts = {r: len(rows) for r, rows in by_role.items()}
        rows = by_role.get(role, []) if role else [row for rs in by_role.values() for row in rs]
        shown = _shown(counts, role)
        figure = Figure(question=question, answered=len(rows), shown=shown)
        if shown:
            _fill(figure, rows)
        figures.append(figure)
    group = respondents.get(role, 0) if role else sum(respondents.values())
    return RoundResult(
        survey=survey,
        round=round_key,
        role=role,
        respondents=group,
        shown=_shown(respondents, role),
        figures=figures,
    )


def _fill(figure: Figure, rows: list) -> None:
    question = figure.question
    if question.kind == QuestionKind.SCALE:
        values = [scale for scale, _, _, _ in rows if scale is not None]
        figure.average = round(sum(values) / len(values), 2) if values else None
        counted = Counter(values)
        figure.spread = [(str(v), counted.get(v, 0)) for v in range(SCALE_MIN, SCALE_MAX + 1)]
    elif question.kind in (QuestionKind.ONE, QuestionKind.SEVERAL):
        counted = Counter(choice for _, choices, _, _ in rows for choice in choices or [])
        figure.spread = [(choice, counted.get(choice, 0)) for choice in question.choice_list()]
    else:
        figure.texts = sorted(text for _, _, text, share in rows if share and text.strip())


def survey_rounds(survey: Survey) -> list[str]:
    """The survey's rounds, in order, including any with answers it no longer sends."""
    planned = survey.rounds()
    answered = set(
        SurveyResponse.objects.filter(survey=survey).values_list("round", flat=True).distinct()
    )
    return planned + sorted(answered - set(planned))


def results_rows(survey: Survey, *, role: str | None = None):
    """The survey's figures as CSV rows, each cell "too few answers" where it must be."""
    yield ["survey", "round", "group", "question", "answered", "figure", "value"]
    group = role or "everyone"
    for round_key in survey_rounds(survey):
        result = round_result(survey, round_key, role=role)
        for figure in result.figures:
            question = figure.question
            common = [survey.title, round_label(round_key), group, question.text]
            if not figure.shown:
                yield [*common, figure.count_label, "", TOO_FEW]
                continue
            if question.kind == QuestionKind.SCALE:
                yield [*common, figure.answered, "average", figure.average]
                for value, n in figure.spread:
                    yield [*common, figure.answered, f"answered {value}", n]
            elif question.kind == QuestionKind.TEXT:
                for text in figure.texts:
                    yield [*common, figure.answered, "shared answer", text]
            else:
                for choice, n in figure.spread:
                    yield [*common, figure.answered, choice, n]
