"""Benchmark: one reminder sweep over 100,000 active partnerships, 10% of them due.

Prints (does not assert) rows created per second, the number of queries, and the EXPLAIN
of the due query, which should show partnership_checkin_due_idx in use. Run it with
``make bench`` (PostgreSQL at BENCH_DATABASE_URL; the data is built once and kept).
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from partnerships.models import Participant, Partnership, Programme, Reminder  # noqa: E402
from partnerships.reminders.kinds import checkins  # noqa: E402
from partnerships.reminders.sweep import sweep  # noqa: E402

PARTNERSHIPS = int(os.environ.get("BENCH_PARTNERSHIPS", 100_000))
DUE_SHARE = 0.10
MENTOR_CAPACITY = 10
SLUG = "bench"
CHUNK = 5_000


def build(today: datetime.date) -> Programme:
    """100,000 active partnerships (10,000 mentors with 10 mentees each)."""
    User = get_user_model()
    programme = Programme.objects.create(
        name="Benchmark",
        slug=SLUG,
        starts_on=today - datetime.timedelta(days=365),
        ends_on=today + datetime.timedelta(days=365),
        deliver_any_hour=True,
    )
    mentors_needed = PARTNERSHIPS // MENTOR_CAPACITY
    print(f"building {PARTNERSHIPS:,} partnerships (once; kept for the next run)...", flush=True)
    users = [
        User(email=f"bench-mentor-{n}@example.org", name=f"Mentor {n}", password="!")
        for n in range(mentors_needed)
    ] + [
        User(email=f"bench-mentee-{n}@example.org", name=f"Mentee {n}", password="!")
        for n in range(PARTNERSHIPS)
    ]
    User.objects.bulk_create(users, batch_size=CHUNK)
    users = list(
        User.objects.filter(email__startswith="bench-").order_by("pk").values_list("pk", "email")
    )
    mentor_ids = [pk for pk, email in users if email.startswith("bench-mentor-")]
    mentee_ids = [pk for pk, email in users if email.startswith("bench-mentee-")]
    Participant.objects.bulk_create(
        [
            Participant(programme=programme, user_id=u, role="mentor", capacity=MENTOR_CAPACITY)
            for u in mentor_ids
        ]
        + [Participant(programme=programme, user_id=u, role="mentee") for u in mentee_ids],
        batch_size=CHUNK,
    )
    ids = dict(Participant.objects.filter(programme=programme).values_list("user_id", "pk"))
    every = int(1 / DUE_SHARE)
    partnerships = []
    for n, mentee in enumerate(mentee_ids):
        is_due = n % every == 0
        partnerships.append(
            Partnership(
                programme=programme,
                mentor_id=ids[mentor_ids[n // MENTOR_CAPACITY]],
                mentee_id=ids[mentee],
                status="active",
                started_on=today - datetime.timedelta(days=60),
                checkin_cadence_days=7 if is_due else 14,  # make_current() tells them apart
            )
        )
    Partnership.objects.bulk_create(partnerships, batch_size=CHUNK)
    return programme


def make_current(programme: Programme, today: datetime.date) -> None:
    """Every run sees the same picture today: the due tenth (cadence 7) three days
    overdue, the rest (cadence 14) due 20 to 200 days from now; no reminders yet."""
    Reminder.objects.filter(programme=programme).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE partnerships_partnership SET next_checkin_due_on = CASE"
            " WHEN checkin_cadence_days = 7 THEN %s::date - 3"
            " ELSE %s::date + (20 + id %% 180)::integer END WHERE programme_id = %s",
            [today, today, programme.pk],
        )
        cursor.execute("ANALYZE partnerships_partnership")
        cursor.execute("ANALYZE partnerships_reminder")


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("The benchmark needs PostgreSQL: set BENCH_DATABASE_URL (make bench).")
    today = datetime.datetime.now(datetime.UTC).date()
    programme = Programme.objects.filter(slug=SLUG).first()
    if programme is None:
        programme = build(today)
    elif Partnership.objects.filter(programme=programme).count() != PARTNERSHIPS:
        sys.exit("A benchmark programme of another size exists; drop the bench database first.")
    make_current(programme, today)
    due = Partnership.objects.filter(programme=programme, next_checkin_due_on__lte=today).count()
    print(f"\n{PARTNERSHIPS:,} active partnerships, {due:,} overdue ({due / PARTNERSHIPS:.0%})")

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = sweep(dispatch=lambda ids: None)
        elapsed = time.perf_counter() - started
    created = result.created_total
    print(f"one sweep: {elapsed:.2f} s, {len(queries)} queries")
    print(f"  reminders created: {created:,} ({created / elapsed:,.0f} rows/s)")
    print(f"  queued for sending: {len(result.queued):,}")

    with CaptureQueriesContext(connection) as again:
        started = time.perf_counter()
        repeat = sweep(dispatch=lambda ids: None)
        repeat_elapsed = time.perf_counter() - started
    print(
        f"the next sweep (nothing new): {repeat_elapsed:.2f} s, "
        f"created {repeat.created_total}, {len(again)} queries"
    )

    print("\nEXPLAIN ANALYZE of the due query (the first batch of check-in candidates):")
    print(explain_due_query(datetime.datetime.now(datetime.UTC)))


def explain_due_query(now: datetime.datetime) -> str:
    """EXPLAIN the exact SQL the check-in finder ran for its first batch."""
    with CaptureQueriesContext(connection) as ctx:
        next(checkins.candidates(now, batch_size=1000))
    sql = next(q["sql"] for q in ctx.captured_queries if "next_checkin_due_on" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


if __name__ == "__main__":
    main()
