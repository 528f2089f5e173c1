"""A seconds-long run of `make bench-cohort` at tiny scale, so that it never rots: the
solver, the proposal and the coordinator's page on 40 mentees and 16 mentors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_cohort_benchmark_runs_at_tiny_scale_and_writes_its_json(tmp_path):
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}_cohort"
    output = tmp_path / "cohort.json"
    result = subprocess.run(
        [sys.executable, "bench/cohort.py", "--tiny", "--database-url", url, "--json", str(output)],
        cwd=ROOT,
        env={**os.environ, "MEASURING": "true", "REDIS_URL": settings.REDIS_URL},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    cohort = json.loads(output.read_text())["cohort"]
    assert (cohort["mentees"], cohort["mentors"], cohort["matched"]) == (40, 16, 40)
    assert cohort["solver_seconds"] > 0 and cohort["page_seconds"] > 0
    assert cohort["summary"][0].startswith("Propose matches for everyone: 40 unmatched mentees")
