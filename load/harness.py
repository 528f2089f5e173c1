"""The processes of a load run, started as in production, and the checks made after it.

Used by ``load/run.py`` (``make load``) and by tests/load/ (the short form in ``make test``).
Everything listens on 127.0.0.1; every process started here is stopped here.
"""

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import PRODUCTION_LIKE, free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VAR_DIR = ROOT / "var" / "load"  # static files, emails and beat's schedule of load runs


def production_env(*, database_url: str, redis_url: str, **overrides) -> dict:
    """Production settings (DEBUG off, a real SECRET_KEY) on plain HTTP on loopback."""
    env = {
        **os.environ,
        **PRODUCTION_LIKE,
        "MEASURING": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "VAR_DIR": str(VAR_DIR),
        "SITE_URL": "http://127.0.0.1:8000",
        # A queue of this run's own, so that no message left by an earlier run is taken.
        "CELERY_QUEUE": f"load-{os.getpid()}-{time.time_ns()}",
        "REMINDER_SWEEP_SECONDS": "5",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(overrides)
    return env


def manage(env: dict, *args: str) -> None:
    """A management command with the measuring tools installed (seed_load is one of them)."""
    env = {**env, "MEASURING": "true"}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(env: dict) -> None:
    """What a deploy does before serving: the hashed static files; a clean mailbox."""
    shutil.rmtree(VAR_DIR / "mail", ignore_errors=True)
    manage(env, "collectstatic", "--noinput", "-v", "0")


def get(url: str, timeout: float = 3) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def wait_for(url: str, *, process: subprocess.Popen, seconds: float = 90) -> None:
    """Until ``url`` answers 200 (booting is slow on a busy machine)."""
    deadline = time.monotonic() + seconds
    while (answer := get(url))[0] != 200:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped with exit code {process.returncode}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer 200 within {seconds}s: {answer}")
        time.sleep(0.2)


def stop(process: subprocess.Popen, *, seconds: float = 20) -> None:
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def web(env: dict, *, workers: int = 3):
    """gunicorn as docker-compose.yml runs it (sync workers); yields its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "mentorship.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**env, "LOG_LEVEL": "ERROR"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/healthz", process=server)
        yield base
    finally:
        stop(server)


@contextmanager
def reminder_workers(env: dict):
    """A real Celery worker and beat against Redis: beat triggers a sweep every 5 s."""
    schedule = VAR_DIR / f"celerybeat-schedule-{os.getpid()}"
    celery = [str(BIN / "celery"), "-A", "mentorship"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    worker = subprocess.Popen(
        [*celery, "worker", "--concurrency=1", "--loglevel=WARNING", "--without-heartbeat"],
        cwd=ROOT,
        env=env,
        **quiet,
    )
    beat = subprocess.Popen(
        [*celery, "beat", "--loglevel=WARNING", f"--schedule={schedule}"],
        cwd=ROOT,
        env=env,
        **quiet,
    )
    try:
        yield
    finally:
        stop(beat)
        stop(worker, seconds=30)
        for leftover in VAR_DIR.glob(f"celerybeat-schedule-{os.getpid()}*"):
            leftover.unlink()


def postgres_cluster() -> str | None:
    """This machine's PostgreSQL version directory, if its cluster can be restarted here."""
    if shutil.which("pg_ctlcluster") is None or not Path("/etc/postgresql").is_dir():
        return None
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    return versions[0] if len(versions) == 1 else None


def restart_postgres() -> float:
    """Restart the cluster (fast shutdown: open connections are cut); returns seconds."""
    began = time.monotonic()
    subprocess.run(
        [
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            postgres_cluster(),
            "main",
            "restart",
        ],
        check=True,
        capture_output=True,
    )
    return time.monotonic() - began


@dataclass
class Verification:
    """What the database holds for a run, against what the partners were told."""

    checkins_saved: int = 0  # the partners saw the redirect
    checkins_unsure: int = 0  # the partners saw an error or no answer
    unsure_found_saved: int = 0  # ... of which the database has the whole check-in
    per_partner_mismatches: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)  # check-ins missing a part
    reminders_sent: int = 0

    @property
    def problems(self) -> list[str]:
        return self.per_partner_mismatches + self.incomplete

    def as_dict(self) -> dict:
        return {
            "checkins_saved": self.checkins_saved,
            "checkins_unsure": self.checkins_unsure,
            "unsure_found_saved": self.unsure_found_saved,
            "problems": self.problems,
            "reminders_sent": self.reminders_sent,
        }


def verify(run) -> Verification:
    """Compare the database with each partner's run, through the ORM (Django set up)."""
    from django.db.models import Count, Exists, OuterRef

    from goals.models import NextStep
    from load.management.commands.seed_load import LOAD_SLUG
    from partnerships.models import CheckIn, Reflection, Reminder

    result = Verification()
    checkins = (
        CheckIn.objects.filter(reflections__text__startswith=run.run_id)
        .annotate(
            reviews=Count("goal_reviews", distinct=True),
            reflections_n=Count("reflections", distinct=True),
        )
        .values("id", "started_by__email", "reviews", "reflections_n", "reflections__text")
    )
    found: dict[str, dict] = {}
    for row in checkins:
        token = row["reflections__text"]
        if token in found:
            result.per_partner_mismatches.append(f"{token!r} saved twice")
        found[token] = row
    steps = set(
        NextStep.objects.filter(description__startswith=run.run_id).values_list(
            "description", "checkin_id"
        )
    )
    for partner in run.partners:
        result.checkins_saved += len(partner.saved)
        result.checkins_unsure += len(partner.unsure)
        mine = {t for t in found if t.split(" ")[1] == partner.email}
        missing = set(partner.saved) - mine
        unexpected = mine - set(partner.saved) - set(partner.unsure)
        result.unsure_found_saved += len(mine & set(partner.unsure))
        if missing or unexpected:
            result.per_partner_mismatches.append(
                f"{partner.email}: told saved but missing {sorted(missing)}; "
                f"in the database but never posted {sorted(unexpected)}"
            )
        posted = {**partner.unsure, **partner.saved}
        for token in mine:
            row = found[token]
            if row["started_by__email"] != partner.email:
                result.incomplete.append(f"{token!r} started by {row['started_by__email']}")
            if row["reviews"] != posted.get(token):
                result.incomplete.append(
                    f"{token!r}: {row['reviews']} goal reviews, {posted.get(token)} posted"
                )
            if (token, row["id"]) not in steps:
                result.incomplete.append(f"{token!r}: its next step is missing")
    # Half-written check-ins, whoever made them: every load check-in has its reflection.
    own = Reflection.objects.filter(checkin=OuterRef("pk"), author=OuterRef("started_by"))
    bare = CheckIn.objects.filter(partnership__programme__slug=LOAD_SLUG).exclude(Exists(own))
    result.incomplete += [f"check-in {c} has no reflection" for c in bare.values_list("code")]
    result.reminders_sent = Reminder.objects.filter(
        programme__slug=LOAD_SLUG, status=Reminder.Status.SENT
    ).count()
    return result


def report(run, verification: Verification | None = None, **extra) -> dict:
    statuses = run.statuses()
    document = {
        "run": run.run_id,
        "partners": len(run.partners),
        "logged_in": sum(1 for p in run.partners if p.logged_in_at is not None),
        "requests": len(run.samples),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors_5xx": sum(v for k, v in statuses.items() if k >= 500),
        "no_answer": statuses.get(0, 0),
        "latency_ms": run.latencies(),
        **extra,
    }
    if verification is not None:
        document["database"] = verification.as_dict()
    return document


def print_report(document: dict, out=sys.stdout) -> None:
    print(
        f"{document['partners']} partners, {document['requests']} requests, "
        f"statuses {document['statuses']}",
        file=out,
    )
    print(f"{'request':<24}{'count':>7}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}", file=out)
    for name, row in document["latency_ms"].items():
        print(
            f"{name:<24}{row['count']:>7}{row['p50_ms']:>10}{row['p95_ms']:>10}{row['p99_ms']:>10}",
            file=out,
        )
    print(json.dumps(document, indent=2), file=out)


@dataclass
class Outage:
    """PostgreSQL restarted during a run: when, and what /healthz said around it."""

    at: float  # seconds into the run the restart began
    restart_seconds: float = 0.0  # how long `pg_ctlcluster restart` took
    health: list[tuple[float, int]] = field(default_factory=list)  # (seconds, status)

    @property
    def unhealthy(self) -> list[float]:
        return [t for t, status in self.health if status != 200]

    @property
    def recovered_at(self) -> float | None:
        """The first healthy answer after the last unhealthy one."""
        if not self.unhealthy:
            return None
        last_down = max(self.unhealthy)
        return next((t for t, status in self.health if t > last_down and status == 200), None)

    def as_dict(self) -> dict:
        recovered = self.recovered_at
        return {
            "restart_began_s": round(self.at, 2),
            "restart_command_s": round(self.restart_seconds, 2),
            "healthz_503_from_s": round(min(self.unhealthy), 2) if self.unhealthy else None,
            "healthz_ok_again_s": round(recovered, 2) if recovered else None,
            "healthz_changes": [
                (round(t, 2), status)
                for i, (t, status) in enumerate(self.health)
                if i == 0 or self.health[i - 1][1] != status
            ],
            "recovered_after_restart_began_s": round(recovered - self.at, 2) if recovered else None,
        }


def postgres_restart_during(base: str, *, at: float, partners: int = 0, watch_after: float = 3.0):
    """A ``during`` for run_partners: restart PostgreSQL ``at`` seconds in (and once
    ``partners`` have logged in: the fault hits browsing, not the login queue), watching
    /healthz every 0.1 s until it has been healthy again for ``watch_after`` seconds."""
    outage = Outage(at=at)

    async def during(run):
        await asyncio.sleep(max(0.0, run.started + at - time.monotonic()))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
            sum(p.logged_in_at is not None for p in run.partners) < partners
        ):
            await asyncio.sleep(0.1)
        outage.at = time.monotonic() - run.started
        restart = asyncio.create_task(asyncio.to_thread(restart_postgres))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status, _ = await asyncio.to_thread(get, base + "/healthz", 5)
            outage.health.append((time.monotonic() - run.started, status))
            recovered = outage.recovered_at
            if restart.done() and recovered and outage.health[-1][0] - recovered > watch_after:
                break
            await asyncio.sleep(0.1)
        outage.restart_seconds = await restart

    return during, outage


def fault_problems(run, outage: Outage, *, grace: float = 2.0) -> list[str]:
    """Only clean 503s, only while PostgreSQL was away; everything fine after it."""
    problems = []
    recovered = outage.recovered_at
    if not outage.unhealthy:
        problems.append("/healthz never reported the database down")
    if recovered is None:
        problems.append("/healthz never reported healthy again")
        return problems
    for sample in run.samples:
        started = sample.at - sample.seconds
        if sample.status == 0 or (sample.status >= 500 and sample.status != 503):
            problems.append(f"{sample.name}: status {sample.status} at {sample.at:.1f}s")
        elif sample.status == 503 and not (outage.at <= sample.at and started <= recovered + grace):
            problems.append(f"{sample.name}: 503 at {sample.at:.1f}s, outside the outage")
        elif started > recovered + grace and sample.status >= 400:
            problems.append(f"{sample.name}: {sample.status} at {sample.at:.1f}s, after recovery")
    return problems
