"""Measure every page of one seeded database: queries per request, then throughput and
latency under wrk against gunicorn on loopback. Prints one JSON document.

Run by bench/run.py, once per database size.
"""

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

PRODUCTION_LIKE = {
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "MEASURING": "true",
    # The benchmark measures pages, not the second factor a coordinator types once a session.
    "REQUIRE_2FA_FOR_STAFF": "false",
    "LOG_LEVEL": "WARNING",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def setup_django(database_url: str):
    os.environ.update(PRODUCTION_LIKE, DATABASE_URL=database_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
    import django
    from django.core.management import call_command

    django.setup()
    # Production storage needs the hashed manifest, as after a deploy.
    call_command("collectstatic", interactive=False, verbosity=0)


def logged_in_client(email: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return client


def count_queries(client, url: str) -> tuple[int, int]:
    """Queries of a repeat visit, as under load: a first visit may store what later ones
    read (the dashboard's health facts, the page cache's page)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    b"".join(client.get(url))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), len(body)


def time_in_process(client, url: str, *, repeats: int) -> dict:
    """Median server time of a request in this process, and the database time of its
    queries (PostgreSQL plus the round trip, timed around each execute): a page cannot be
    faster than its own SQL, so their ratio says how much is Python."""
    from django.db import connection

    sql_seconds = 0.0

    def timed(execute, sql, params, many, context):
        nonlocal sql_seconds
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_seconds += time.perf_counter() - started

    server, sql = [], []
    with connection.execute_wrapper(timed):
        for _ in range(repeats):
            sql_seconds = 0.0
            started = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response)
            server.append(time.perf_counter() - started)
            sql.append(sql_seconds)
    server.sort()
    sql.sort()
    middle = repeats // 2
    return {"server_ms": server[middle] * 1000, "sql_ms": sql[middle] * 1000}


def wrk(url: str, cookie: str, *, seconds: int, connections: int) -> dict:
    script = Path(__file__).with_name("wrk_report.lua")
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            "-H",
            f"Cookie: sessionid={cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_pages(args) -> dict:
    from bench.pages import pages

    found = [p for p in pages() if not args.only or any(part in p.name for part in args.only)]
    clients = {}
    results = []
    for page in found:
        client = clients.setdefault(page.user_email, logged_in_client(page.user_email))
        queries, size = count_queries(client, page.url)
        timing = time_in_process(client, page.url, repeats=args.repeats)
        results.append(
            {
                **timing,
                "page": page.name,
                "kind": page.kind,
                "rows": page.rows,
                "url": page.url,
                "queries": queries,
                "bytes": size,
                "cookie": client.cookies["sessionid"].value,
            }
        )

    port = free_port()
    env = {**os.environ}
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "mentorship.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        for result in results:
            url = base + result["url"]
            wrk(url, result["cookie"], seconds=1, connections=2)  # warm up each worker
            result.update(
                wrk(url, result["cookie"], seconds=args.seconds, connections=args.connections)
            )
        worker_rss = [rss_mb(pid) for pid in children(server.pid)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    for result in results:
        del result["cookie"]
    return {"pages": results, "worker_rss_mb": max(worker_rss, default=0.0)}


def measure_export_peak(url: str, email: str) -> dict:
    """Peak RSS growth of this process while streaming one export."""
    client = logged_in_client(email)
    client.get("/healthz")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    response = client.get(url)
    size = sum(len(chunk) for chunk in response) if response.streaming else len(response.content)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "bytes": size,
        "peak_rss_mb": after,
        "growth_mb": after - before,
        "status": response.status_code,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=21, help="in-process timings per page")
    parser.add_argument("--export", action="store_true", help="measure the CSV export only")
    parser.add_argument(
        "--only", action="append", help="measure only the pages whose name contains this"
    )
    args = parser.parse_args()
    setup_django(args.database_url)
    if args.export:
        from bench.pages import pages

        export = next((p for p in pages() if p.name.startswith("CSV export")), None)
        result = measure_export_peak(export.url, export.user_email) if export else None
        print(json.dumps(result))
    else:
        print(json.dumps(measure_pages(args)))


if __name__ == "__main__":
    main()
