"""With nothing configured, the product runs on SQLite and a filesystem broker."""

import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def embedded_env(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "EMAIL_HOST", "DJANGO_SETTINGS_MODULE")
    }
    env["VAR_DIR"] = str(tmp_path / "var")
    return env


def manage(env, *args, timeout=120):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


HEALTH_AGREES_WITH_PYTHON = """
from django.utils import timezone
from goals.health import health_of
from partnerships.models import Partnership
today = timezone.localdate()
report = health_of(Partnership.objects.all(), today=today)
for h in report:
    p = h.partnership
    since = p.last_checkin_on or p.started_on
    assert h.days_since_checkin == (since and (today - since).days), (p.pk, h)
    due = p.next_checkin_due_on
    assert h.overdue_days == (max((today - due).days, 0) if due else 0), (p.pk, h)
assert report and any(h.at_risk for h in report)
print("health agrees", len(report))
"""


@pytest.mark.slow
def test_the_embedded_default_migrates_seeds_serves_and_runs_tasks(embedded_env, tmp_path):
    manage(embedded_env, "migrate", "--noinput")
    seeded = manage(embedded_env, "seed_demo")
    assert "coordinator@example.org" in seeded.stdout
    assert (tmp_path / "var" / "db.sqlite3").exists()
    # The health rules run in SQL; SQLite has its own date arithmetic.
    checked = manage(embedded_env, "shell", "-c", HEALTH_AGREES_WITH_PYTHON)
    assert "health agrees" in checked.stdout, checked.stdout + checked.stderr

    port = free_port()
    web = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=embedded_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker_log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [
            CELERY,
            "-A",
            "mentorship",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            f"--logfile={worker_log}",
        ],
        cwd=ROOT,
        env=embedded_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def login_page():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as r:
                    return r.status == 200 and b"Log in" in r.read()
            except OSError:
                return False

        wait_until(login_page, timeout=30, message="the login page never answered")

        manage(
            embedded_env,
            "shell",
            "-c",
            "from mentorship.tasks import heartbeat; heartbeat.delay()",
        )
        # The task travels through files under VAR_DIR/broker, with no server at all.
        wait_until(
            lambda: (
                worker_log.exists()
                and "mentorship.tasks.heartbeat" in worker_log.read_text()
                and "succeeded" in worker_log.read_text()
            ),
            timeout=60,
            message=lambda: worker_log.read_text() if worker_log.exists() else "no worker log",
        )
    finally:
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            process.wait(timeout=20)
