"""A goal's progress over time, as both partners saw it: a small SVG drawn on the server
(like the coordinators' programme chart), with the same points as a table beside it."""

from dataclasses import dataclass

from goals.models import Progress
from goals.progress import ProgressPoint

WIDTH, HEIGHT = 640, 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 104, 16, 14, 30
STEPS = list(Progress)


@dataclass
class Dot:
    x: float
    y: float
    label: str  # what a pointer's tooltip says


@dataclass
class Line:
    who: str  # "owner" or "partner": the CSS class and the legend
    name: str
    dots: list[Dot]

    @property
    def points(self) -> str:
        return " ".join(f"{d.x},{d.y}" for d in self.dots)


@dataclass
class ProgressChart:
    lines: list[Line]
    gridlines: list[tuple[str, float]]  # (step label, y)
    ticks: list[tuple[str, float]]  # (check-in date, x)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = PAD_LEFT
    right: int = WIDTH - PAD_RIGHT
    baseline: float = HEIGHT - PAD_BOTTOM


def progress_chart(points: list[ProgressPoint], *, owner_name: str, partner_name: str):
    """The chart of these points (oldest first), or None when there is nothing to draw."""
    if not points:
        return None
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    top = len(STEPS) - 1

    def y_of(step: int) -> float:
        return round(PAD_TOP + plot_h - plot_h * step / top, 1)

    def x_of(index: int) -> float:
        if len(points) == 1:
            return round(PAD_LEFT + plot_w / 2, 1)
        return round(PAD_LEFT + plot_w * index / (len(points) - 1), 1)

    lines = []
    for who, name in (("owner", owner_name), ("partner", partner_name)):
        dots = []
        for index, point in enumerate(points):
            rating = getattr(point, who)
            if rating is not None:
                day = point.checkin.held_on.strftime("%-d %b %Y")
                dots.append(
                    Dot(
                        x=x_of(index),
                        y=y_of(rating.progress),
                        label=f"{name}, {day}: {rating.get_progress_display().lower()}",
                    )
                )
        if dots:
            lines.append(Line(who=who, name=name, dots=dots))
    every = max(1, round(len(points) / 6))
    ticks = [
        (point.checkin.held_on.strftime("%-d %b"), x_of(i))
        for i, point in enumerate(points)
        if i % every == 0 or i == len(points) - 1
    ]
    gridlines = [(step.label, y_of(step.value)) for step in STEPS]
    return ProgressChart(lines=lines, gridlines=gridlines, ticks=ticks)
