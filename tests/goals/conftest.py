"""The goals' and health tests: a partnership started on a fixed day (START)."""

import datetime

import pytest

from partnerships.models import Partnership
from tests.goals.health_world import START


@pytest.fixture
def started_partnership(partnership):
    """The partnership fixture, started on START with its first check-in due 14 days on."""
    Partnership.objects.filter(pk=partnership.pk).update(
        started_on=START, next_checkin_due_on=START + datetime.timedelta(days=14)
    )
    partnership.refresh_from_db()
    return partnership
