"""A seconds-long run of `make bench-reminders` at tiny scale, so that it never rots: a
sweep over 1,000 partnerships against the raw INSERT, and 50 reminders through a real
Celery worker to a loopback SMTP server against smtplib."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def bench_database_url() -> str:
    """A database of its own beside the test database (kept between runs)."""
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{db['NAME']}_benchrem"


@pytest.mark.slow
def test_the_reminders_benchmark_runs_at_tiny_scale_and_writes_its_json(tmp_path):
    output = tmp_path / "reminders.json"
    result = subprocess.run(
        [
            sys.executable,
            "bench/reminders.py",
            "--tiny",
            "--database-url",
            bench_database_url(),
            "--json",
            str(output),
        ],
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": settings.REDIS_URL},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(output.read_text())
    sweep, send = report["sweep"], report["send"]
    assert (sweep["partnerships"], sweep["due_partnerships"], sweep["rows"]) == (1000, 100, 200)
    assert sweep["sweep_rows_per_second"] > 0 and sweep["raw_rows_per_second"] > 0
    assert sweep["explain_uses_due_index"] is True
    assert send["messages"] == 50
    assert send["celery_messages_per_second"] > 0 and send["smtplib_messages_per_second"] > 0
    assert send["summary"][0].startswith("Reminder sending: 50 messages")
    assert "Reminder sweep: 1,000 active partnerships" in result.stdout
