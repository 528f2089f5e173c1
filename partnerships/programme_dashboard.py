"""What a coordinator sees at a glance for one programme, in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncWeek

from partnerships.health import Health, health_of
from partnerships.matching import unmatched_mentees
from partnerships.models import CheckIn, CoordinatorAction, Invitation, MatchRequest, Partnership
from partnerships.models.partnership import Status

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


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def checkins_per_week(programme, *, today: datetime.date) -> Chart:
    """Check-ins held each week from the programme's start to today (or its end)."""
    first = _monday(programme.starts_on)
    last = _monday(min(today, programme.ends_on))
    counts = dict(
        CheckIn.objects.filter(
            partnership__programme=programme, held_on__gte=first, held_on__lte=today
        )
        .annotate(week=TruncWeek("held_on"))
        .values("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    )
    counts = {(w.date() if isinstance(w, datetime.datetime) else w): n for w, n in counts.items()}
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
    health: list[Health]
    by_status: list[tuple[str, str, int]]  # (value, label, count)
    at_risk: int
    unmatched: int
    pending_invitations: int
    pending_requests: int
    chart: Chart
    recent_actions: list[CoordinatorAction]


def programme_overview(programme, *, today: datetime.date) -> Overview:
    report = health_of(Partnership.objects.filter(programme=programme), today=today)
    # At risk first (riskiest first, as health_of orders them), then open before closed.
    report.sort(key=lambda h: (not h.at_risk, not h.partnership.is_open))
    counted = {status: 0 for status in Status.values}
    for h in report:
        counted[h.partnership.status] += 1
    return Overview(
        health=report,
        by_status=[(s.value, s.label, counted[s.value]) for s in Status],
        at_risk=sum(h.at_risk for h in report),
        unmatched=unmatched_mentees(programme).count(),
        pending_invitations=Invitation.objects.pending().filter(programme=programme).count(),
        pending_requests=MatchRequest.objects.filter(
            mentee__programme=programme, status=MatchRequest.Status.PENDING
        ).count(),
        chart=checkins_per_week(programme, today=today),
        recent_actions=list(
            CoordinatorAction.objects.filter(programme=programme)
            .select_related("actor", "partnership__mentor__user", "partnership__mentee__user")
            .order_by("-created_at", "-id")[:8]
        ),
    )
