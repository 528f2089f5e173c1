"""The load scenario against real processes: gunicorn with production settings, a Celery
worker and beat, on the test database (committed data: transactional_db)."""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from load import harness


@pytest.fixture
def production_like(request, transactional_db):
    """The test database, seeded with 10 partnerships, and production-like settings for
    the processes that serve it."""
    from load.management.commands.seed_load import seed_load

    assert request.node.get_closest_marker("real_password_hashing"), (
        "mark the test real_password_hashing: the served app checks passwords with "
        "production's hashers, so the people must be seeded with them"
    )
    seed_load(pairs=10)
    url = urlsplit(os.environ["DATABASE_URL"])
    test_url = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    env = harness.production_env(database_url=test_url, redis_url=os.environ["REDIS_URL"])
    harness.prepare(env)
    yield env
    connection.close()  # a restarted server may have cut it; flushing opens a fresh one


def credentials(pairs: int = 10):
    from load.management.commands.seed_load import LOAD_PASSWORD, load_emails

    return [(email, LOAD_PASSWORD) for email in load_emails(pairs)]
