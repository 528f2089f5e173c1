"""The stored facts behind partnership health and the dashboard's chart.

A programme's dashboard judged thousands of partnerships by reading every check-in,
feedback row and goal behind them on each request, so it slowed down as the programme
grew. It now reads one stored row per partnership (``HealthFacts``) and one per week
(``CheckInWeek``); the at-risk rules that depend on today run on those rows in SQL
(goals.health).

Every service that writes a check-in, reflection, goal review, feedback, next step or goal
deletes the stored row it changes, in its own transaction (one indexed DELETE, see
partnerships.services.health_facts). Readers
recompute whatever is missing before they read (``ensure_facts``, ``checkins_by_week``),
in a few set-based queries, so data loaded in bulk (seed_scale) needs nothing more.
Recomputed, never incremented, so a count cannot drift. The one gap, a reader recomputing
from a snapshot just before a writer commits, is closed by the nightly ``refresh_all``,
which also catches bulk SQL that bypasses the app.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber, TruncWeek

from goals.models import GoalReview, GoalStatus, NextStep
from partnerships.models import (
    CheckIn,
    CheckInWeek,
    Feedback,
    HealthFacts,
    Partnership,
    Programme,
    Reflection,
)

RECENT_CHECKINS = 3
# Where a partner's part of a check-in is stored, and who wrote it. Starting the check-in
# and the mentee's agenda count too; both live on the check-in itself.
CHECKIN_PARTS = (
    (Reflection, "author"),
    (GoalReview, "author"),
    (Feedback, "author"),
    (NextStep, "created_by"),
)
REFRESH_ALL_CHUNK = 2_000


# --- partnerships' facts --------------------------------------------------------------


def _recent_checkins_of(partnership_ids):
    """Each partnership's last RECENT_CHECKINS check-ins, as a queryset."""
    return (
        CheckIn.objects.filter(partnership_id__in=partnership_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("partnership_id")],
                order_by=[F("held_on").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=RECENT_CHECKINS)
    )


def _participation(partnerships, partnership_ids) -> dict[int, tuple[int, dict[int, int]]]:
    """Per partnership: how many recent check-ins it had, and per user in how many of
    them they took part at all.

    Taking part is starting the check-in, its agenda (the mentee's), a reflection, a goal
    review, a next step or feedback: counted once per check-in however many rows it made,
    so owning more goals does not make a partner look more (or less) engaged.
    """
    recent = _recent_checkins_of(partnership_ids).values_list(
        "partnership_id", "id", "started_by_id", "agenda"
    )
    mentee_of = {p.pk: p.mentee_user_id for p in partnerships}
    took_part: dict[int, set[int]] = defaultdict(set)  # check-in → who took part
    by_checkin = {}
    for partnership_id, checkin_id, started_by, agenda in recent:
        by_checkin[checkin_id] = partnership_id
        took_part[checkin_id].add(started_by)
        if agenda.strip():
            took_part[checkin_id].add(mentee_of[partnership_id])
    ids = _recent_checkins_of(partnership_ids).values("id")
    for model, author in CHECKIN_PARTS:
        parts = (
            model.objects.filter(checkin_id__in=ids)
            .values_list("checkin_id", f"{author}_id")
            .distinct()
        )
        for checkin_id, user_id in parts:
            took_part[checkin_id].add(user_id)
    result: dict[int, tuple[int, dict[int, int]]] = {}
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    checkins: dict[int, int] = defaultdict(int)
    for checkin_id, partnership_id in by_checkin.items():
        checkins[partnership_id] += 1
        for user_id in took_part[checkin_id]:
            counts[partnership_id][user_id] += 1
    for partnership_id in partnership_ids:
        result[partnership_id] = (checkins[partnership_id], counts[partnership_id])
    return result


def _latest_ratings(partnership_ids) -> dict[tuple[int, int], tuple[int, datetime.date]]:
    """(partnership id, recipient id) → the latest rating that recipient received, and the
    day of the check-in it was given on."""
    rows = (
        Feedback.objects.filter(checkin__partnership_id__in=partnership_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("checkin__partnership_id"), F("recipient_id")],
                order_by=[F("checkin__held_on").desc(), F("given_at").desc()],
            )
        )
        .filter(rank=1)
        .values_list("checkin__partnership_id", "recipient_id", "rating", "checkin__held_on")
    )
    return {(pid, recipient): (rating, day) for pid, recipient, rating, day in rows}


def refresh_facts(partnerships) -> int:
    """Recompute and store the facts of every partnership in the queryset (8 queries).

    Its ids are read once, in the first query: a queryset such as "those without facts"
    changes as soon as a concurrent refresh stores some, and must not change halfway."""
    rows = list(
        partnerships.order_by()
        .only("pk")
        .annotate(
            mentor_user_id=F("mentor__user_id"),
            mentee_user_id=F("mentee__user_id"),
            goals_active=Count("goals", filter=Q(goals__status=GoalStatus.ACTIVE)),
            goals_achieved=Count("goals", filter=Q(goals__status=GoalStatus.ACHIEVED)),
        )
    )
    ids = [p.pk for p in rows]
    participation = _participation(rows, ids)
    ratings = _latest_ratings(ids)
    facts = []
    for p in rows:
        recent, took_part = participation[p.pk]
        for_mentor = ratings.get((p.pk, p.mentor_user_id), (None, None))
        for_mentee = ratings.get((p.pk, p.mentee_user_id), (None, None))
        rated_on = [day for _, day in (for_mentor, for_mentee) if day is not None]
        facts.append(
            HealthFacts(
                partnership_id=p.pk,
                recent_checkins=recent,
                mentor_took_part=took_part[p.mentor_user_id],
                mentee_took_part=took_part[p.mentee_user_id],
                rating_for_mentor=for_mentor[0],
                rating_for_mentee=for_mentee[0],
                latest_rating_on=max(rated_on, default=None),
                goals_active=p.goals_active,
                goals_achieved=p.goals_achieved,
            )
        )
    HealthFacts.objects.bulk_create(
        facts,
        update_conflicts=True,
        unique_fields=["partnership"],
        update_fields=[f.name for f in HealthFacts._meta.concrete_fields if not f.primary_key],
    )
    return len(facts)


# --- the chart's weeks ------------------------------------------------------------------


def _store_weeks(programme_id: int, checkins, weeks: set[datetime.date] | None) -> dict:
    """Store the weekly counts of ``checkins`` for ``weeks`` (None: every week, and no
    others), and return them. A week left with no check-ins is stored as zero."""
    counted = {
        (week.date() if isinstance(week, datetime.datetime) else week): n
        for week, n in checkins.annotate(week=TruncWeek("held_on"))
        .values("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    }
    if weeks is None:
        CheckInWeek.objects.filter(programme_id=programme_id).exclude(
            week__in=list(counted)
        ).delete()
        weeks = set(counted)
    stored = {week: counted.get(week, 0) for week in sorted(weeks)}
    CheckInWeek.objects.bulk_create(
        [CheckInWeek(programme_id=programme_id, week=w, checkins=n) for w, n in stored.items()],
        update_conflicts=True,
        unique_fields=["programme", "week"],
        update_fields=["checkins"],
    )
    return stored


def refresh_weeks(weeks: set[tuple[int, datetime.date]]) -> dict:
    """Recount the given (programme id, Monday) weeks: one query and one upsert for each
    programme. Returns (programme id, Monday) → check-ins."""
    by_programme = defaultdict(set)
    for programme_id, week in weeks:
        by_programme[programme_id].add(week)
    counts = {}
    for programme_id, mondays in by_programme.items():
        checkins = CheckIn.objects.filter(
            partnership__programme_id=programme_id,
            held_on__gte=min(mondays),
            held_on__lt=max(mondays) + datetime.timedelta(weeks=1),
        )
        stored = _store_weeks(programme_id, checkins, mondays)
        counts.update({(programme_id, week): n for week, n in stored.items()})
    return counts


# --- keeping them current -------------------------------------------------------------


def refresh_all() -> None:
    """Rebuild every stored fact from the source rows (bulk loads, and nightly)."""
    last = 0
    while True:
        chunk = list(
            Partnership.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:REFRESH_ALL_CHUNK]
        )
        if not chunk:
            break
        refresh_facts(Partnership.objects.filter(pk__gte=chunk[0], pk__lte=chunk[-1]))
        last = chunk[-1]
    for programme_id in Programme.objects.values_list("pk", flat=True):
        _store_weeks(
            programme_id, CheckIn.objects.filter(partnership__programme_id=programme_id), None
        )


def ensure_facts(partnerships) -> None:
    """Recompute the facts that writes have cleared, for these partnerships."""
    missing = partnerships.filter(health_facts__isnull=True)
    if missing.exists():
        refresh_facts(missing)


def checkins_by_week(programme, first: datetime.date, last: datetime.date) -> dict:
    """Monday → check-ins held that week, from Monday ``first`` to Monday ``last``; the
    weeks that writes have cleared are recounted first."""
    counts = dict(
        CheckInWeek.objects.filter(programme=programme, week__range=(first, last)).values_list(
            "week", "checkins"
        )
    )
    weeks = (last - first).days // 7 + 1
    missing = {first + datetime.timedelta(weeks=i) for i in range(weeks)} - set(counts)
    if missing:
        recounted = refresh_weeks({(programme.pk, week) for week in missing})
        counts.update({week: n for (_, week), n in recounted.items()})
    return counts
