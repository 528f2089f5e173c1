"""PostgreSQL restarted under load: clean 503s while it is away, recovery on its own,
and no half-written check-in. Restarts this machine's cluster once, for a few seconds."""

import os
import sys
from urllib.parse import urlsplit

import pytest
from django.db import connection

from load import harness
from load.scenario import run_in_own_thread, run_partners
from tests.load.conftest import credentials

pytestmark = [
    pytest.mark.slow,
    pytest.mark.real_password_hashing(
        reason="the served app checks the partners' passwords with production's hashers"
    ),
    pytest.mark.skipif(
        harness.postgres_cluster() is None
        or urlsplit(os.environ.get("DATABASE_URL", "")).hostname not in ("127.0.0.1", "localhost"),
        reason="needs this machine's own PostgreSQL cluster (pg_ctlcluster) to restart",
    ),
]


def test_requests_fail_cleanly_and_recover_when_postgres_restarts(production_like):
    with harness.reminder_workers(production_like), harness.web(production_like) as base:
        during, outage = harness.postgres_restart_during(base, at=4, partners=len(credentials()))
        run = run_in_own_thread(
            run_partners(
                base,
                credentials(),
                seconds=20,
                run_id="fault",
                ramp_seconds=2,
                think=(0.2, 0.8),
                during=during,
            )
        )
    connection.close()  # cut by the restart
    verification = harness.verify(run)
    document = harness.report(run, verification, outage=outage.as_dict())
    harness.print_report(document, out=sys.stderr)

    assert harness.fault_problems(run, outage) == []
    assert outage.recovered_at - outage.at < 30
    assert verification.problems == []  # every saved check-in whole, none half-written
    assert [p.email for p in run.partners if p.logged_in_at is None] == []
    # After recovery the partners went on, and their pages answered again.
    assert any(s.status == 200 and s.at > outage.recovered_at for s in run.samples)
