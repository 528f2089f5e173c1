"""What a coordinator sees at a glance for one programme, in a fixed number of queries
that read stored facts (goals.health_facts), not the programme's whole history."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Q, QuerySet, Value, When

from goals.health import RISKIEST_FIRST, with_health
from goals.health_facts import checkins_by_week, ensure_facts
from partnerships.matching import unmatched_mentees
from partnerships.models import (
    Application,
    CoordinatorAction,
    Invitation,
    MatchRequest,
    Partnership,
)
from partnerships.models.partnership import OPEN_STATUSES, Status
from partnerships.services.health_facts import monday_of

# Chart geometry, in SVG user units; the SVG scales to its container.
CHART_WIDTH, CHART_HEIGHT = 720, 200
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 36, 8, 12, 28


@dataclass
class Bar:
    week: datetime.date
    count: int
    x: float
    y: float
    width: float
    height: float
    label: str  # the x-axis label under this bar, or ""

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass
class Chart:
    bars: list[Bar]
    peak: int
    gridlines: list[tuple[int, float]]  # (value, y)
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = PAD_LEFT
    baseline: float = CHART_HEIGHT - PAD_BOTTOM

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)


def checkins_per_week(programme, *, today: datetime.date) -> Chart:
    """Check-ins held each week from the programme's start to today (or its end)."""
    first = monday_of(programme.starts_on)
    last = monday_of(min(today, programme.ends_on))
    counts = checkins_by_week(programme, first, last)
    weeks = []
    week = first
    while week <= last:
        weeks.append(week)
        week += datetime.timedelta(weeks=1)
    peak = max([counts.get(w, 0) for w in weeks] + [1])
    plot_w = CHART_WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = CHART_HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = plot_w / max(len(weeks), 1)
    every = max(1, round(len(weeks) / 8))  # about eight labels, whatever the length
    bars = []
    for i, week in enumerate(weeks):
        count = counts.get(week, 0)
        height = plot_h * count / peak
        bars.append(
            Bar(
                week=week,
                count=count,
                x=round(PAD_LEFT + i * slot + slot * 0.15, 1),
                y=round(PAD_TOP + plot_h - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=week.strftime("%-d %b") if i % every == 0 else "",
            )
        )
    steps = sorted({0, peak // 2, peak})
    gridlines = [(v, round(PAD_TOP + plot_h - plot_h * v / peak, 1)) for v in steps]
    return Chart(bars=bars, peak=peak, gridlines=gridlines)


@dataclass
class Overview:
    ranked: QuerySet  # partnership ids: at risk and riskiest first, then open before closed
    by_status: list[tuple[str, str, int]]  # (value, label, count)
    total: int
    at_risk: int
    unmatched: int
    pending_invitations: int
    pending_requests: int
    waiting_applications: int  # sign-ups confirmed, waiting for a decision
    chart: Chart
    recent_actions: list[CoordinatorAction]


def _totals(partnerships) -> dict[str, int]:
    return partnerships.aggregate(
        at_risk=Count("pk", filter=Q(risks__gt=0)),
        stale=Count("pk", filter=Q(health_facts__isnull=True)),
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
    )


def programme_overview(programme, *, today: datetime.date) -> Overview:
    partnerships = with_health(Partnership.objects.filter(programme=programme), today=today)
    totals = _totals(partnerships)
    if totals["stale"]:  # facts that writes have cleared since the last look
        ensure_facts(Partnership.objects.filter(programme=programme))
        totals = _totals(partnerships)
    # At risk first, riskiest first; then open before closed.
    most_reasons, *then = RISKIEST_FIRST
    closed_last = Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1))
    ranked = partnerships.order_by(most_reasons, closed_last, *then)
    return Overview(
        # Ids alone: the database then works out only the flags it sorts by (half the time).
        ranked=ranked.values_list("pk", flat=True),
        by_status=[(s.value, s.label, totals[s.value]) for s in Status],
        total=sum(totals[s] for s in Status.values),
        at_risk=totals["at_risk"],
        unmatched=unmatched_mentees(programme).count(),
        pending_invitations=Invitation.objects.pending().filter(programme=programme).count(),
        pending_requests=MatchRequest.objects.filter(
            mentee__programme=programme, status=MatchRequest.Status.PENDING
        ).count(),
        waiting_applications=Application.objects.filter(
            programme=programme, status=Application.Status.WAITING
        ).count(),
        chart=checkins_per_week(programme, today=today),
        recent_actions=list(
            CoordinatorAction.objects.filter(programme=programme)
            .select_related("actor", "partnership__mentor__user", "partnership__mentee__user")
            .order_by("-created_at", "-id")[:8]
        ),
    )
