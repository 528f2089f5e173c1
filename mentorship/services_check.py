"""Can we reach the services the settings point at? Used by `make test` and /healthz."""

from urllib.parse import urlsplit

import psycopg
import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.utils import OperationalError
from psycopg import sql

DATABASE_HELP = (
    "Cannot connect to the database at DATABASE_URL ({url}).\n"
    "  {error}\n"
    "Start PostgreSQL (on Debian: pg_ctlcluster --skip-systemctl-redirect "
    "$(ls /etc/postgresql) main start), or set DATABASE_URL to a server you can reach, "
    "e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorship make test"
)
REDIS_HELP = (
    "Cannot connect to Redis at REDIS_URL ({url}).\n"
    "  {error}\n"
    "Start it (redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' "
    "--appendonly no), or set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0"
)


def database_error() -> str | None:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except (OperationalError, DatabaseError) as error:
        connection.close_if_unusable_or_obsolete()
        return str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
    return None


def create_database_if_missing() -> bool:
    """Create the configured PostgreSQL database when the server answers but lacks it,
    from the server's maintenance database ("postgres"), with the same credentials."""
    if connection.vendor != "postgresql" or database_error() is None:
        return False
    database = settings.DATABASES["default"]
    server = {
        key.lower(): database[key]
        for key in ("HOST", "PORT", "USER", "PASSWORD")
        if database.get(key)
    }
    name = database["NAME"]
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as maintenance:
            found = maintenance.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if found.fetchone():
                return False
            maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError:
        return False  # the server itself is unreachable: reported by database_error()
    connection.close()
    return True


def redis_error() -> str | None:
    if not settings.REDIS_URL:
        return None
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as error:
        return str(error)
    return None


def _safe_url(url: str) -> str:
    # Never print a password from the URL.
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        parts = parts._replace(netloc=netloc)
    return parts.geturl()


def unreachable_services() -> list[str]:
    problems = []
    db = settings.DATABASES["default"]
    if (error := database_error()) is not None:
        url = f"{db['ENGINE'].rsplit('.', 1)[-1]}://{db.get('HOST') or ''}:{db.get('PORT') or ''}"
        url += f"/{db.get('NAME')}"
        problems.append(DATABASE_HELP.format(url=_safe_url(url), error=error))
    if (error := redis_error()) is not None:
        problems.append(REDIS_HELP.format(url=_safe_url(settings.REDIS_URL), error=error))
    return problems
