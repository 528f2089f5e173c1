"""The backup and restore commands of docs/operations.md, run for real on this machine's
PostgreSQL."""

import shutil
import subprocess
import uuid

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs the PostgreSQL client tools"),
]


def url_of(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def run(command: str, **env) -> None:
    result = subprocess.run(
        ["bash", "-c", command],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def counts(database_url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        return {
            model._meta.db_table: conn.execute(
                f'SELECT count(*) FROM "{model._meta.db_table}"'
            ).fetchone()[0]
            for model in apps.get_models()
            if model._meta.managed
        }


def test_a_dump_of_a_seeded_database_restores_into_a_new_one(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    call_command("seed_demo", verbosity=0)
    source = url_of(connection.settings_dict["NAME"])
    restored = f"mentorship_restored_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "backup.dump"
    # Exactly the commands of docs/operations.md ("Backup and restore").
    run(
        'pg_dump --format=custom --no-owner --no-privileges --file="$DUMP" "$DATABASE_URL"',
        DATABASE_URL=source,
        DUMP=str(dump),
    )
    try:
        run(
            'psql "$DATABASE_URL" -c "CREATE DATABASE $NEW_DB" && '
            "pg_restore --no-owner --no-privileges --exit-on-error --single-transaction "
            '--dbname="${DATABASE_URL%/*}/$NEW_DB" "$DUMP"',
            DATABASE_URL=source,
            NEW_DB=restored,
            DUMP=str(dump),
        )
        before, after = counts(source), counts(url_of(restored))
        assert after == before
        assert before["partnerships_checkin"] > 20 and before["mentorship_user"] > 10
    finally:
        run(f'psql "{source}" -c "DROP DATABASE IF EXISTS {restored}"')
