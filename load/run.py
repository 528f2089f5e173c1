"""The load scenario, full size: ``make load`` (100 partners for 60 s; ``--fault`` restarts
PostgreSQL in the middle). Prints latencies per request type and what the database holds,
writes the same as JSON to var/load/report.json, and exits 1 on any failure.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from load import harness  # noqa: E402
from load.scenario import run_in_own_thread, run_partners  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL"))
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--ramp", type=float, default=30, help="seconds to start everyone")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--fault", type=float, default=None, help="restart PostgreSQL at t=")
    args = parser.parse_args()
    if not (args.database_url and args.redis_url):
        parser.error("set DATABASE_URL and REDIS_URL (PostgreSQL and Redis)")

    env = harness.production_env(database_url=args.database_url, redis_url=args.redis_url)
    harness.manage(env, "check_services", "--create-database")
    harness.manage(env, "migrate", "--noinput", "-v", "0")
    harness.manage(env, "seed_load", "--pairs", str((args.users + 1) // 2))
    harness.prepare(env)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "mentorship.settings"
    import django

    django.setup()
    from load.management.commands.seed_load import LOAD_PASSWORD, load_emails

    credentials = [
        (email, LOAD_PASSWORD) for email in load_emails((args.users + 1) // 2)[: args.users]
    ]
    run_id = f"load-{time.strftime('%Y%m%dT%H%M%S')}"
    outage = None
    with harness.reminder_workers(env), harness.web(env, workers=args.workers) as base:
        during = None
        if args.fault is not None:
            during, outage = harness.postgres_restart_during(
                base, at=args.fault, partners=len(credentials)
            )
        run = run_in_own_thread(
            run_partners(
                base,
                credentials,
                seconds=args.seconds,
                run_id=run_id,
                ramp_seconds=args.ramp,
                during=during,
            )
        )
        time.sleep(6)  # one more sweep, so the reminders due during the run are sent
    from django.db import connection

    connection.close()
    verification = harness.verify(run)
    extra = {"seconds": args.seconds, "gunicorn_workers": args.workers}
    problems = list(verification.problems)
    if outage is not None:
        extra["outage"] = outage.as_dict()
        problems += harness.fault_problems(run, outage)
    else:
        problems += [
            f"{s.name}: status {s.status} at {s.at:.1f}s"
            for s in run.samples
            if s.status not in (200, 302)
        ]
    problems += [f"{p.email} never logged in" for p in run.partners if p.logged_in_at is None]
    document = harness.report(run, verification, **extra, problems=problems)
    harness.print_report(document)
    (harness.VAR_DIR / "report.json").write_text(json.dumps(document, indent=2))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
