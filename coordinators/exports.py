"""CSV exports of a programme, streamed a chunk at a time so memory stays flat.

Metadata only: names, dates, statuses, counts, ratings and goal titles; never reflections,
agendas, agreement terms, goal descriptions or feedback comments.
"""

import csv
import re
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

from goals.health import health_in_order
from goals.health_facts import ensure_facts
from goals.models import Goal

CHUNK = 500

PARTNERSHIP_COLUMNS = [
    "programme",
    "mentor",
    "mentor email",
    "mentee",
    "mentee email",
    "status",
    "started on",
    "ended on",
    "cadence (days)",
    "last check-in",
    "next check-in due",
    "days since check-in",
    "days overdue",
    "recent check-ins",
    "mentor took part in",
    "mentee took part in",
    "latest rating for mentor",
    "latest rating for mentee",
    "goals active",
    "goals achieved",
    "at risk",
    "why",
]

GOAL_COLUMNS = [
    "programme",
    "mentor",
    "mentee",
    "goal",
    "owner",
    "status",
    "target date",
    "created",
    "last changed",
    "revisions",
]


# Where a spreadsheet may start reading a cell: the cell's start, and inside it each list
# separator (a semicolon locale splits "Plan;=1+1" in two whatever the quotes around it) and
# line break. A formula character there, after any spaces or stray quotes, is a formula.
_FORMULA_START = re.compile(r'(^|[;\t\r\n])(?=[\s"]*[=+\-@])')


def _safe(value):
    """Text a spreadsheet shows and never runs: a ' before every place a formula could start.

    Numbers stay numbers. (defusedcsv looks at a cell's first character only, which the
    semicolon case above gets past, so the rule is written here.)
    """
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    return _FORMULA_START.sub(r"\1'", str(value))


def _date(value) -> str:
    return value.isoformat() if value else ""


def partnership_rows(partnerships, *, today=None) -> Iterator[list]:
    yield PARTNERSHIP_COLUMNS
    today = today or timezone.localdate()
    ensure_facts(partnerships)
    last_pk = 0
    while True:
        # Keyset pages: each chunk is a fixed number of queries, and nothing accumulates.
        ids = list(
            partnerships.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:CHUNK]
        )
        if not ids:
            return
        last_pk = ids[-1]
        for h in health_in_order(ids, today=today):
            p = h.partnership
            yield [
                p.programme.name,
                p.mentor.user.name,
                p.mentor.user.email,
                p.mentee.user.name,
                p.mentee.user.email,
                p.get_status_display(),
                _date(p.started_on),
                _date(p.ended_on),
                p.checkin_cadence_days,
                _date(p.last_checkin_on),
                _date(p.next_checkin_due_on),
                "" if h.days_since_checkin is None else h.days_since_checkin,
                h.overdue_days,
                h.recent_checkins,
                h.mentor_took_part,
                h.mentee_took_part,
                h.latest_rating_for_mentor or "",
                h.latest_rating_for_mentee or "",
                h.goals_active,
                h.goals_achieved,
                "yes" if h.at_risk else "no",
                "; ".join(h.reasons),
            ]


def goal_rows(partnerships) -> Iterator[list]:
    yield GOAL_COLUMNS
    goals = (
        Goal.objects.filter(partnership__in=partnerships)
        .order_by("partnership_id", "pk")
        .values_list(
            "partnership__programme__name",
            "partnership__mentor__user__name",
            "partnership__mentee__user__name",
            "title",
            "owner_role",
            "status",
            "target_date",
            "created_at",
            "updated_at",
            "version",
        )
    )
    for (
        programme,
        mentor,
        mentee,
        title,
        owner,
        status,
        target,
        created,
        updated,
        version,
    ) in goals.iterator(chunk_size=2000):
        yield [
            programme,
            mentor,
            mentee,
            title,
            owner,
            status,
            _date(target),
            created.date().isoformat(),
            updated.date().isoformat(),
            version,
        ]


class _Echo:
    """A file-like object whose write() hands back the line, for csv.writer."""

    def write(self, value):
        return value


def csv_response(rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    # Every cell quoted: a separator or line break inside one stays inside it.
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    response = StreamingHttpResponse(
        (writer.writerow([_safe(cell) for cell in row]) for row in rows),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
