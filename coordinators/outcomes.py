"""What a programme achieved, figure by figure, for its Outcomes page in the admin and its
CSV files, and the same key numbers side by side for a coordinator's programmes.

Each figure is a table (its columns and rows) and, where a chart helps, a bar chart drawn
on the server as SVG from the same rows. Every figure costs a fixed number of queries
whatever the programme's size (a few grouped counts; check-in dates for the regularity),
so the page costs the same at 40 partnerships as at 4,000, in queries if not in rows.
Survey figures go through partnerships.survey_results: "too few answers" under three people.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    Q,
    Value,
    Window,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, Lag, TruncDate, TruncMonth

from goals.models import Goal, GoalRevision, GoalStatus
from partnerships.models import CheckIn, Partnership, Programme, Survey
from partnerships.models.participant import Role
from partnerships.models.partnership import EndReason, Status
from partnerships.models.survey import QuestionKind, Round, SurveyKind
from partnerships.survey_results import TOO_FEW, round_result, survey_rounds

CHART_WIDTH, CHART_HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 36, 28, 16


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: float
    label: str
    series: int
    series_name: str

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass
class Chart:
    bars: list[Bar]
    labels: list[tuple[float, str]]  # (x of the group's centre, its label)
    gridlines: list[tuple[float, float]]  # (value, y)
    series: list[str]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = LEFT
    baseline: float = CHART_HEIGHT - BOTTOM
    label_chars: int = 14  # what fits under a group at 11px, before "…"


@dataclass
class Figure:
    key: str
    title: str
    summary: str  # one sentence: what the chart shows, for its description and the page
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart: Chart | None = None


def bar_chart(groups: list[tuple[str, list[float | None]]], series: list[str]) -> Chart | None:
    """Grouped bars: one group per row (its label, a value per series). None if empty."""
    values = [v for _, vs in groups for v in vs if v is not None]
    if not groups or not values:
        return None
    peak = max(max(values), 1)
    plot_h = CHART_HEIGHT - BOTTOM - TOP
    slot = (CHART_WIDTH - LEFT) / len(groups)
    gap = min(12.0, slot * 0.2)
    bar_w = max((slot - gap) / len(series), 2.0)
    bars, labels = [], []
    for i, (label, vs) in enumerate(groups):
        x0 = LEFT + i * slot + gap / 2
        for s, value in enumerate(vs):
            if value is None:
                continue
            h = round(plot_h * value / peak, 1)
            bars.append(
                Bar(
                    x=round(x0 + s * bar_w, 1),
                    y=round(CHART_HEIGHT - BOTTOM - h, 1),
                    width=round(bar_w - 1, 1),
                    height=h,
                    value=value,
                    label=label,
                    series=s,
                    series_name=series[s],
                )
            )
        labels.append((round(x0 + (slot - gap) / 2, 1), label))
    step = max(1, round(peak / 4))
    gridlines = [
        (v, round(CHART_HEIGHT - BOTTOM - plot_h * v / peak, 1))
        for v in range(0, int(peak) + 1, step)
    ]
    # About 6.5 px a character at 11 px: labels of neighbouring groups must not overlap.
    label_chars = max(4, int((slot - 4) / 6.5))
    return Chart(
        bars=bars, labels=labels, gridlines=gridlines, series=series, label_chars=label_chars
    )


def _months(programme: Programme) -> list[datetime.date]:
    month = programme.starts_on.replace(day=1)
    last = min(programme.ends_on, programme.today()).replace(day=1)
    months = []
    while month <= last and len(months) < 36:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


GOAL_MOVES = ("achieved", "revised", "dropped")


def goals_by_month(programme: Programme) -> Figure:
    """The mentees' goals (the mentors' own have their figure), counted from their
    revisions: each change of status to achieved or dropped, and every other change
    (wording, target date, a status back to active) as revised. A change made at a
    check-in counts in the month the check-in was held, one made on the goal's page in
    the month it was made (on the programme's calendar)."""
    day = Coalesce(
        "checkin__held_on",
        TruncDate("created_at", tzinfo=programme.tzinfo),
        output_field=DateField(),
    )
    counts = defaultdict(int)
    for month, to, n in (
        GoalRevision.objects.filter(
            goal__partnership__programme=programme,
            goal__owner_role=Role.MENTEE,
            kind__in=(GoalRevision.Kind.REVISED, GoalRevision.Kind.REVIEWED),
        )
        .annotate(month=TruncMonth(day, output_field=DateField()), to=KT("changes__status__1"))
        .values_list("month", "to")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        move = {GoalStatus.ACHIEVED: "achieved", GoalStatus.DROPPED: "dropped"}.get(to, "revised")
        counts[(month, move)] += n
    months = sorted({m for m, _ in counts} | set(_months(programme)))
    rows = [[f"{m:%b %Y}", *(counts[(m, move)] for move in GOAL_MOVES)] for m in months]
    return Figure(
        key="goals",
        title="Goals achieved, revised and dropped, per month",
        summary="What mentees decided about their goals each month, at check-ins or on the "
        "goal's page (mentors' own learning goals are counted below).",
        columns=["month", *GOAL_MOVES],
        rows=rows,
        chart=bar_chart([(r[0], r[1:]) for r in rows], list(GOAL_MOVES)),
    )


FIRST_CHECKIN_BUCKETS = ((7, "within a week"), (14, "8 to 14 days"), (28, "15 to 28 days"))


def first_checkin(programme: Programme) -> tuple[Figure, float | None]:
    rows = (
        Partnership.objects.filter(programme=programme, started_on__isnull=False)
        .annotate(first=Min("checkins__held_on"))
        .values_list("started_on", "first")
    )
    waits = []
    counts = defaultdict(int)
    for started_on, first in rows:
        if first is None:
            counts["no check-in yet"] += 1
            continue
        days = max((first - started_on).days, 0)
        waits.append(days)
        label = next((name for limit, name in FIRST_CHECKIN_BUCKETS if days <= limit), None)
        counts[label or "more than 28 days"] += 1
    order = [name for _, name in FIRST_CHECKIN_BUCKETS] + ["more than 28 days", "no check-in yet"]
    median = statistics.median(waits) if waits else None
    table = [[name, counts[name]] for name in order]
    summary = (
        f"Days from the partnership's start (both had said yes) to its first check-in; "
        f"the median is {median:g} days."
        if median is not None
        else "Days from the partnership's start to its first check-in: none has been held yet."
    )
    figure = Figure(
        key="first-checkin",
        title="Time from match to first check-in",
        summary=summary,
        columns=["time to first check-in", "partnerships"],
        rows=table,
        chart=bar_chart([(r[0], [r[1]]) for r in table], ["partnerships"]),
    )
    return figure, median


def _days(expression) -> ExpressionWrapper:
    return ExpressionWrapper(
        expression * Value(datetime.timedelta(days=1), output_field=DurationField()),
        output_field=DurationField(),
    )


def regularity(programme: Programme) -> tuple[Figure, float | None]:
    """Each gap between two check-ins of a partnership, against its cadence, counted in
    the database (a window over each partnership's check-ins): 78 ms for the 80,000
    check-ins of the benchmark's biggest programme, where reading them into Python to
    compare took 430 ms."""
    gaps = CheckIn.objects.filter(partnership__programme=programme).annotate(
        gap=ExpressionWrapper(
            F("held_on")
            - Window(Lag("held_on"), partition_by=F("partnership_id"), order_by=F("held_on").asc()),
            output_field=DurationField(),
        ),
        cadence=F("partnership__checkin_cadence_days"),
    )
    # A partnership's first check-in has no gap before it (NULL): it counts nowhere.
    in_time = Q(gap__lte=_days(F("cadence") + 2))
    found = gaps.aggregate(
        in_time=Count("pk", filter=in_time),
        late=Count("pk", filter=~in_time & Q(gap__lte=_days(F("cadence") * 2))),
        worse=Count("pk", filter=~in_time & Q(gap__gt=_days(F("cadence") * 2))),
    )
    counts = {
        "on time": found["in_time"],
        "late, within two cadences": found["late"],
        "more than two cadences apart": found["worse"],
    }
    order = ["on time", "late, within two cadences", "more than two cadences apart"]
    total = sum(counts.values())
    on_time = round(100 * counts["on time"] / total) if total else None
    table = [[name, counts[name]] for name in order]
    figure = Figure(
        key="regularity",
        title="Check-in regularity against the cadence",
        summary=(
            f"Of {total} gaps between check-ins, {on_time}% came within the agreed cadence "
            "(two days' slack)."
            if total
            else "Not enough check-ins yet to measure gaps between them."
        ),
        columns=["gap between check-ins", "gaps"],
        rows=table,
        chart=bar_chart([(r[0], [r[1]]) for r in table], ["gaps"]),
    )
    return figure, on_time


def closures(programme: Programme) -> tuple[Figure, dict]:
    counts = dict(
        Partnership.objects.filter(programme=programme, status=Status.ENDED_EARLY)
        .values_list("end_reason")
        .annotate(n=Count("pk"))
        .values_list("end_reason", "n")
        .order_by()
    )
    completed = Partnership.objects.filter(programme=programme, status=Status.COMPLETED).count()
    rows = [["completed", completed]]
    for reason in EndReason:
        rows.append([f"ended early: {reason.label.lower()}", counts.get(reason.value, 0)])
    ended = sum(n for _, n in rows[1:])
    figure = Figure(
        key="closures",
        title="Partnerships completed and ended early, by reason",
        summary=f"{completed} completed; {ended} ended early, by the reason they gave.",
        columns=["outcome", "partnerships"],
        rows=rows,
        # The chart names the reason alone ("ended early: " is every bar's but the first).
        chart=bar_chart(
            [(r[0].removeprefix("ended early: "), [r[1]]) for r in rows], ["partnerships"]
        ),
    )
    return figure, {"completed": completed, "ended_early": ended}


def mentor_goals(programme: Programme) -> tuple[Figure, int | None]:
    counts = dict(
        Goal.objects.filter(partnership__programme=programme, owner_role=Role.MENTOR)
        .exclude(status=GoalStatus.PROPOSED)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    order = [GoalStatus.ACHIEVED, GoalStatus.ACTIVE, GoalStatus.DROPPED]
    rows = [[status.label.lower(), counts.get(status.value, 0)] for status in order]
    total = sum(n for _, n in rows)
    achieved = round(100 * rows[0][1] / total) if total else None
    figure = Figure(
        key="mentor-goals",
        title="Mentors' own learning goals",
        summary=(
            f"{rows[0][1]} of {total} learning goals mentors set themselves were achieved."
            if total
            else "No mentor has set a learning goal yet."
        ),
        columns=["status", "goals"],
        rows=rows,
        chart=bar_chart([(r[0], [r[1]]) for r in rows], ["goals"]),
    )
    return figure, achieved


def _scale_average(result) -> tuple[int, float | None]:
    """A round's average over its scale questions that may be shown (None: too few)."""
    shown = [f for f in result.figures if f.question.kind == QuestionKind.SCALE and f.shown]
    if not shown or not result.shown:
        return result.respondents, None
    return result.respondents, round(statistics.mean(f.average for f in shown), 2)


def survey_trends(surveys: list[Survey]) -> tuple[Figure, float | None]:
    rows, closing_average = [], None
    for survey in surveys:
        if survey.kind == SurveyKind.SELF_ASSESSMENT:
            continue
        for round_key in survey_rounds(survey):
            result = round_result(survey, round_key)
            respondents, average = _scale_average(result)
            rows.append(
                [
                    survey.title,
                    result.label,
                    respondents if average is not None else "",
                    average if average is not None else TOO_FEW,
                ]
            )
            if round_key == Round.CLOSING and average is not None:
                closing_average = average
    figure = Figure(
        key="surveys",
        title="Survey trends",
        summary="The average of each round's 1 to 5 questions, for rounds three or more people "
        "answered.",
        columns=["survey", "round", "answered", "average (1 to 5)"],
        rows=rows,
        chart=bar_chart(
            [(f"{r[0]}: {r[1]}", [r[3] if r[3] != TOO_FEW else None]) for r in rows], ["average"]
        ),
    )
    return figure, closing_average


def before_after(surveys: list[Survey]) -> Figure:
    rows = []
    for survey in surveys:
        if survey.kind != SurveyKind.SELF_ASSESSMENT:
            continue
        before = round_result(survey, Round.BEFORE)
        after = round_result(survey, Round.AFTER)
        after_of = {f.question.pk: f for f in after.figures}
        for b in before.figures:
            if b.question.kind != QuestionKind.SCALE:
                continue
            a = after_of[b.question.pk]
            if b.shown and a.shown:
                change = round(a.average - b.average, 2)
                rows.append([b.question.text, b.average, a.average, change])
            else:
                rows.append([b.question.text, TOO_FEW, TOO_FEW, TOO_FEW])
    shown = [r for r in rows if r[1] != TOO_FEW]
    return Figure(
        key="before-after",
        title="Before and after: the change per skill",
        summary="Self-ratings (1 to 5) at the start and at the wrap-up, where three or more "
        "people answered each.",
        columns=["skill", "before", "after", "change"],
        rows=rows,
        chart=bar_chart([(r[0], [r[1], r[2]]) for r in shown], ["before", "after"]),
    )


@dataclass
class Outcomes:
    programme: Programme
    figures: list[Figure]
    numbers: dict


def programme_outcomes(programme: Programme) -> Outcomes:
    surveys = list(programme.surveys.prefetch_related("questions").order_by("kind", "title"))
    first, median = first_checkin(programme)
    regular, on_time = regularity(programme)
    closed, closed_numbers = closures(programme)
    mentors, mentor_achieved = mentor_goals(programme)
    trends, closing_average = survey_trends(surveys)
    figures = [
        goals_by_month(programme),
        first,
        regular,
        closed,
        mentors,
        trends,
        before_after(surveys),
    ]
    partnerships = Partnership.objects.filter(programme=programme, started_on__isnull=False)
    goals_achieved = Goal.objects.filter(
        partnership__programme=programme, owner_role=Role.MENTEE, status=GoalStatus.ACHIEVED
    ).count()
    numbers = {
        "partnerships": partnerships.count(),
        "median_days_to_first_checkin": median,
        "on_time_percent": on_time,
        "goals_achieved": goals_achieved,
        "mentor_goals_achieved_percent": mentor_achieved,
        "closing_average": closing_average,
        **closed_numbers,
    }
    return Outcomes(programme=programme, figures=figures, numbers=numbers)


def figure_of(outcomes: Outcomes, key: str) -> Figure | None:
    return next((f for f in outcomes.figures if f.key == key), None)


COMPARISON_COLUMNS = [
    ("partnerships", "partnerships started"),
    ("completed", "completed"),
    ("ended_early", "ended early"),
    ("median_days_to_first_checkin", "median days to first check-in"),
    ("on_time_percent", "check-ins on time (%)"),
    ("goals_achieved", "mentees' goals achieved"),
    ("mentor_goals_achieved_percent", "mentors' learning goals achieved (%)"),
    ("closing_average", "closing survey average (1 to 5)"),
]


def comparison(programmes) -> list[Outcomes]:
    return [programme_outcomes(programme) for programme in programmes]
