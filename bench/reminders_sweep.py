"""Benchmark: one reminder sweep over 100,000 active partnerships, 10% of them due,
against one raw SQL statement that inserts the same rows.

Each repeat makes a fresh copy of the same picture (no reminders, the same tenth three
days overdue), runs one sweep, checks what it recorded, then makes the picture fresh
again and runs ``INSERT … SELECT … ON CONFLICT DO NOTHING`` over the same partnerships,
and checks it produced the same rows. The median of the repeats is reported, with the
ratio sweep/raw (target: within 2x) and the EXPLAIN ANALYZE of the due query.

    bench/reminders_sweep.py [--tiny] [--repeat 3] [--json PATH] [--database-url URL]

Prints (does not assert); run by ``make bench-reminders``.
"""

import argparse
import datetime
import time

from reminders_data import median, setup, write_json

SLUG = "bench"
DUE_EVERY = 10  # one partnership in ten is due

# The same reminder rows the sweep records for an overdue or coming-up check-in (see
# reminders/kinds/checkins.py), computed by PostgreSQL in one statement. It
# covers programmes that deliver at any hour (the benchmark's): send_after is the start
# of the recipient's local day, or now if that has passed.
RAW_INSERT = """
WITH members AS (
    SELECT p.id AS partnership_id, p.programme_id, p.next_checkin_due_on AS due,
           pr.reminder_lead_days AS lead, u.id AS recipient_id, u.time_zone,
           (%(now)s::timestamptz AT TIME ZONE u.time_zone)::date AS today
    FROM partnerships_partnership p
    JOIN partnerships_programme pr ON pr.id = p.programme_id AND pr.deliver_any_hour
    CROSS JOIN LATERAL (VALUES (p.mentor_id), (p.mentee_id)) AS side (participant_id)
    JOIN partnerships_participant pa ON pa.id = side.participant_id
    JOIN mentorship_user u ON u.id = pa.user_id AND u.is_active AND u.email_reminders
    WHERE p.status = 'active'
      AND p.next_checkin_due_on BETWEEN %(first)s AND %(last)s
), due AS (
    SELECT m.*, k.kind, k.period, k.due_on, k.last_day
    FROM members m, LATERAL (VALUES
        ('checkin_upcoming', m.due::text, m.due - m.lead, m.due - 1),
        ('checkin_overdue', m.due::text || '/1', m.due + 1, m.due + 7),
        ('checkin_overdue', m.due::text || '/2', m.due + 8, m.due + 90)
    ) AS k (kind, period, due_on, last_day)
    WHERE (k.kind <> 'checkin_upcoming' OR m.lead > 0)
      AND k.due_on <= m.today AND m.today <= k.last_day
      AND NOT EXISTS (
          SELECT 1 FROM partnerships_reminderoptout o
          WHERE o.user_id = m.recipient_id AND o.kind = k.kind
      )
)
INSERT INTO partnerships_reminder (
    code, recipient_id, kind, programme_id, partnership_id, subject_key, period, due_on,
    send_after, status, attempts, last_error, created_at, updated_at
)
SELECT gen_random_uuid(), recipient_id, kind, programme_id, partnership_id,
       'partnership:' || partnership_id, period, due_on,
       GREATEST((GREATEST(due_on, today)::timestamp AT TIME ZONE time_zone), %(now)s),
       'pending', 0, '', %(now)s, %(now)s
FROM due
ON CONFLICT DO NOTHING
"""

# What makes two reminder rows the same (not the random code or the timestamps).
SAME = (
    "recipient_id",
    "kind",
    "programme_id",
    "partnership_id",
    "subject_key",
    "period",
    "due_on",
    "send_after",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help="1,000 partnerships, one repeat")
    parser.add_argument("--repeat", type=int, default=None, help="default 3 (1 with --tiny)")
    parser.add_argument("--json", metavar="PATH", help="also write the results here")
    parser.add_argument("--database-url", help="default: $DATABASE_URL")
    args = parser.parse_args()
    setup(args.database_url)
    result = run(
        size=1_000 if args.tiny else 100_000,
        repeat=args.repeat or (1 if args.tiny else 3),
    )
    result["summary"] = summary(result).splitlines()
    print(summary(result))
    print("\nEXPLAIN ANALYZE of the due query (the first batch of check-in candidates):")
    print(result["explain_text"])
    write_json(args.json, {"sweep": result})


def run(*, size: int, repeat: int) -> dict:
    from django.db import connection
    from reminders_data import make_current, programme_of

    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark needs PostgreSQL (DATABASE_URL=postgres://...).")
    today = datetime.datetime.now(datetime.UTC).date()
    programme = programme_of(SLUG, size, today)
    sweeps, raws = [], []
    for n in range(repeat):
        now = datetime.datetime.now(datetime.UTC)
        due = make_current(programme, today, every=DUE_EVERY)
        sweeps.append(time_sweep(now))
        rows = same_rows()
        make_current(programme, today, every=DUE_EVERY)
        raws.append(time_raw(now))
        if same_rows() != rows:
            raise SystemExit("The raw INSERT did not produce the same rows as the sweep.")
        print(
            f"  repeat {n + 1}: sweep {sweeps[-1]['seconds']:.2f} s "
            f"(recording {sweeps[-1]['recording_seconds']:.2f} s), "
            f"raw INSERT {raws[-1]['seconds']:.3f} s, {len(rows):,} rows",
            flush=True,
        )
    sweep_s = median(s["seconds"] for s in sweeps)
    recording_s = median(s["recording_seconds"] for s in sweeps)
    raw_s = median(r["seconds"] for r in raws)
    created = sweeps[0]["created"]
    explain = explain_due_query(datetime.datetime.now(datetime.UTC))
    return {
        "partnerships": size,
        "due_partnerships": due,
        "rows": created,
        "repeats": repeat,
        "sweep_seconds": round(sweep_s, 4),
        "sweep_recording_seconds": round(recording_s, 4),
        "sweep_rows_per_second": round(created / sweep_s),
        "sweep_queries": sweeps[0]["queries"],
        "idle_sweep_queries": sweeps[0]["idle_queries"],
        "raw_seconds": round(raw_s, 4),
        "raw_rows_per_second": round(created / raw_s),
        "ratio_sweep_to_raw": round(sweep_s / raw_s, 2),
        "ratio_recording_to_raw": round(recording_s / raw_s, 2),
        "target_ratio": 2.0,
        "explain_scan": explain["index"],
        "explain_uses_due_index": "partnership_checkin_due_idx" in explain["text"],
        "explain_ms": explain["ms"],
        "explain_text": explain["text"],
    }


def time_sweep(now: datetime.datetime) -> dict:
    """One sweep (queueing to nowhere), and how long its recording part took: all but
    queue_ready, which marks the rows queued for Celery."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reminders import sweep as sweep_module

    queue_ready = sweep_module.queue_ready
    queueing = []

    def timed_queue_ready(**kwargs):
        started = time.perf_counter()
        try:
            return queue_ready(**kwargs)
        finally:
            queueing.append(time.perf_counter() - started)

    sweep_module.queue_ready = timed_queue_ready
    try:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = sweep_module.sweep(now=now, dispatch=lambda ids: None)
            elapsed = time.perf_counter() - started
        with CaptureQueriesContext(connection) as idle:
            again = sweep_module.sweep(now=now, dispatch=lambda ids: None)
    finally:
        sweep_module.queue_ready = queue_ready
    assert again.created_total == 0, "a second sweep recorded reminders again"
    return {
        "seconds": elapsed,
        "recording_seconds": elapsed - queueing[0],
        "created": result.created_total,
        "queries": len(queries),
        "idle_queries": len(idle),
    }


def time_raw(now: datetime.datetime) -> dict:
    from django.db import connection, transaction

    from reminders.kinds.base import MAX_LEAD_DAYS, OVERDUE_CATCH_UP_DAYS

    today = now.date()
    # The same ranges as checkins.candidates: overdue catch-up through the longest lead.
    params = {
        "now": now,
        "first": today - datetime.timedelta(days=OVERDUE_CATCH_UP_DAYS + 1),
        "last": today + datetime.timedelta(days=MAX_LEAD_DAYS + 1),
    }
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RAW_INSERT, params)
        inserted = cursor.rowcount
    return {"seconds": time.perf_counter() - started, "created": inserted}


def same_rows() -> set[tuple]:
    from partnerships.models import Reminder

    return set(Reminder.objects.values_list(*SAME))


def explain_due_query(now: datetime.datetime) -> dict:
    """EXPLAIN ANALYZE the exact SQL the check-in finder ran for its first batch."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reminders.kinds import checkins

    with CaptureQueriesContext(connection) as ctx:
        next(checkins.candidates(now, batch_size=1000))
    sql = next(q["sql"] for q in ctx.captured_queries if "next_checkin_due_on" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        lines = [row[0] for row in cursor.fetchall()]
    # The node that reads partnerships: an index scan on the due index, or a bitmap scan
    # fed by it; either way, name it without its costs.
    scans = [
        line.split("->")[-1].split("  (")[0].strip()
        for line in lines
        if "partnership_checkin_due_idx" in line or " on partnerships_partnership " in line
    ]
    index = scans[0] if scans else None
    ms = next(
        (float(line.split(":")[1].split()[0]) for line in lines if "Execution Time" in line),
        None,
    )
    return {"index": index, "ms": ms, "text": "\n".join(lines)}


def summary(r: dict) -> str:
    return "\n".join(
        [
            f"Reminder sweep: {r['partnerships']:,} active partnerships, "
            f"{r['due_partnerships']:,} overdue, {r['rows']:,} reminders "
            f"(median of {r['repeats']})",
            f"  sweep       {r['sweep_seconds']:.2f} s  {r['sweep_rows_per_second']:>9,} rows/s  "
            f"{r['sweep_queries']} queries (idle sweep: {r['idle_sweep_queries']})",
            f"  raw INSERT  {r['raw_seconds']:.2f} s  {r['raw_rows_per_second']:>9,} rows/s  "
            f"1 query",
            f"  sweep/raw {r['ratio_sweep_to_raw']:.1f}x (recording alone "
            f"{r['ratio_recording_to_raw']:.1f}x; target ≤ {r['target_ratio']:.0f}x)",
            f"  due query: {r['explain_scan']}, {r['explain_ms']} ms for the first batch",
        ]
    )


if __name__ == "__main__":
    main()
