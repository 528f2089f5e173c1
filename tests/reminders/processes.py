"""Real Celery workers and beats as subprocesses, pointed at the test database, the real
Redis, and a loopback SMTP server; each test gets its own queue so runs never mix."""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

from reminders.tasks import sweep_reminders

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
# A beat's log line for each sweep it sent, and a worker's for each sweep it finished.
SWEEP_SENT = re.compile(rf"Sending due task \S+ \({re.escape(sweep_reminders.name)}\)")
SWEEP_DONE = re.compile(rf"\] Task {re.escape(sweep_reminders.name)}\[[-0-9a-f]+\] succeeded in ")


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Processes:
    def __init__(self, tmp_path: Path, smtp_port: int, **extra_env):
        self.tmp_path = tmp_path
        self.queue = f"reminders-test-{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "CELERY_QUEUE": self.queue,
            "SITE_URL": settings.SITE_URL,
            "SECRET_KEY": settings.SECRET_KEY,
            "REMINDER_SWEEP_SECONDS": "1",
            "REMINDER_QUEUE_LEASE_SECONDS": "5",
            "REMINDER_SEND_LEASE_SECONDS": "4",
            "REMINDER_RETRY_BASE_SECONDS": "1",
            "LOG_LEVEL": "INFO",
            **{key: str(value) for key, value in extra_env.items()},
        }
        self.running: list[subprocess.Popen] = []
        self.count = 0

    def _start(self, name: str, args: list[str]) -> subprocess.Popen:
        self.count += 1
        log = open(self.tmp_path / f"{self.count:02d}-{name}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [CELERY, "-A", "mentorship", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill -9 takes its children too
        )
        self.running.append(process)
        return process

    def worker(self) -> subprocess.Popen:
        return self._start(
            "worker",
            [
                "worker",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}-{self.count}@%h",
                "--concurrency=2",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
        )

    def beat(self) -> subprocess.Popen:
        n = self.count + 1
        return self._start(
            "beat",
            [
                "beat",
                "--schedule",
                str(self.tmp_path / f"beat-{n}-schedule"),
                "--pidfile",
                str(self.tmp_path / f"beat-{n}.pid"),
                "--loglevel=INFO",
            ],
        )

    @staticmethod
    def kill_9(process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in self.running:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)

    def sweeps_done(self) -> int:
        """How many sweeps the workers have finished so far, read from their logs."""
        return sum(
            len(SWEEP_DONE.findall(log.read_text(errors="replace")))
            for log in self.tmp_path.glob("*-worker.log")
        )

    def sweeps_sent(self) -> list[int]:
        """How many sweeps each beat has sent so far, beat by beat, read from their logs."""
        return [
            len(SWEEP_SENT.findall(log.read_text(errors="replace")))
            for log in sorted(self.tmp_path.glob("*-beat.log"))
        ]

    def logs(self) -> str:
        return "\n".join(
            f"===== {path.name}\n{path.read_text(errors='replace')[-4000:]}"
            for path in sorted(self.tmp_path.glob("*.log"))
        )
