"""The load scenario against real processes: gunicorn with production settings, a Celery
worker and beat, on the test database (committed data: transactional_db)."""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import global_settings
from django.db import connection

from load import harness


@pytest.fixture
def production_like(transactional_db, settings):
    """The test database, seeded with 10 partnerships, and production-like settings for
    the processes that serve it."""
    from load.management.commands.seed_load import seed_load

    # The served app checks passwords with the production hasher: seed with that one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
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
