"""The load scenario in short (20 partners for 10 s; `make load` runs 100 for 60 s)."""

import sys

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
]


def test_twenty_partners_for_ten_seconds_with_the_reminder_sweep_running(production_like):
    with harness.reminder_workers(production_like), harness.web(production_like) as base:
        run = run_in_own_thread(
            run_partners(
                base, credentials(), seconds=10, run_id="short", ramp_seconds=2, think=(0.2, 0.8)
            )
        )
    connection.close()
    verification = harness.verify(run)
    harness.print_report(harness.report(run, verification), out=sys.stderr)

    assert [p.email for p in run.partners if p.logged_in_at is None] == []
    assert run.server_errors() == []
    assert {s.status for s in run.samples} <= {200, 302}
    assert verification.problems == []
    assert verification.checkins_unsure == 0
    # Every partner was told their check-in was saved, and the database agrees.
    assert all(partner.saved for partner in run.partners)
    assert verification.checkins_saved == sum(len(p.saved) for p in run.partners)
