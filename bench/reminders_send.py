"""Benchmark: sending reminders through Celery to an SMTP server on loopback, against a
plain smtplib loop sending the same messages to the same server.

One real Celery worker (a subprocess, prefork, ``--concurrency`` children) on Redis, and
an aiosmtpd server on a free 127.0.0.1 port in this process that only counts and keeps
what it receives. Each repeat records N overdue reminders afresh, then times the whole
path (queue_ready marks them queued and publishes one send_reminders task per batch of
REMINDER_SEND_BATCH_SIZE rows; the worker claims the batch, then renders, sends and marks
each sent) until the database says all N are sent.
Then the exact bytes the server received are sent again with smtplib, twice: over one
connection reused for all N (the ceiling; the headline ratio), and over a new
connection per message (what a send without a shared connection costs).

    bench/reminders_send.py [--tiny] [--messages 2000] [--repeat 3] [--json PATH]

Needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL). Prints (does not assert).
"""

import argparse
import datetime
import os
import signal
import smtplib
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from reminders_data import ROOT, median, setup, write_json

SLUG = "bench-send"
WARM_UP_MESSAGES = 40
CELERY = str(Path(sys.executable).with_name("celery"))
# The worker runs as in production: DEBUG off (no query log kept per task).
PRODUCTION_LIKE = {
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "LOG_LEVEL": "WARNING",
}


class Counter:
    """aiosmtpd handler: keeps each message's envelope and bytes, nothing more (parsing
    would take CPU from the senders being measured)."""

    def __init__(self):
        self.received: list[tuple[str, list[str], bytes]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def count(self) -> int:
        return len(self.received)

    def take(self) -> list:
        with self._lock:
            taken, self.received = self.received, []
        return taken


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help="50 messages, one repeat")
    parser.add_argument("--messages", type=int, default=None, help="default 2,000 (50 tiny)")
    parser.add_argument("--repeat", type=int, default=None, help="default 3 (1 with --tiny)")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--json", metavar="PATH", help="also write the results here")
    parser.add_argument("--database-url", help="default: $DATABASE_URL")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("Sending through Celery needs Redis: set REDIS_URL.")
    messages = args.messages or (50 if args.tiny else 2_000)
    messages += messages % 2  # two partners per partnership

    # This process publishes to the worker's own queue and mails through the same server.
    port = free_port()
    os.environ.update(
        CELERY_QUEUE=f"bench-reminders-{uuid.uuid4().hex[:8]}",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
    )
    setup(args.database_url)
    result = run(
        messages=messages,
        repeat=args.repeat or (1 if args.tiny else 3),
        concurrency=args.concurrency,
        port=port,
    )
    result["summary"] = summary(result).splitlines()
    print(summary(result))
    write_json(args.json, {"send": result})


def run(*, messages: int, repeat: int, concurrency: int, port: int) -> dict:
    from aiosmtpd.controller import Controller
    from reminders_data import programme_of

    today = datetime.datetime.now(datetime.UTC).date()
    programme = programme_of(SLUG, messages // 2, today)
    counter = Counter()
    server = Controller(counter, hostname="127.0.0.1", port=port)
    server.start()
    worker = start_worker(concurrency)
    try:
        wait_for_worker(worker)
        # Warm up the worker's children (imports, templates, connections), and count
        # what one send costs in queries, in this process.
        queries = queries_per_send(programme, today, messages, counter)
        celery_runs, reused_runs, fresh_runs = [], [], []
        worker_cpu = []
        for n in range(repeat):
            cpu_before = cpu_seconds(worker.pid)
            celery_runs.append(celery_round(programme, today, every=1, counter=counter))
            worker_cpu.append(cpu_seconds(worker.pid) - cpu_before)
            sent = counter.take()
            reused_runs.append(smtplib_loop(sent, port, counter, reuse=True))
            fresh_runs.append(smtplib_loop(sent, port, counter, reuse=False))
            print(
                f"  repeat {n + 1}: Celery {messages / celery_runs[-1]:,.0f} msg/s, "
                f"smtplib one connection {messages / reused_runs[-1]:,.0f} msg/s, "
                f"a connection each {messages / fresh_runs[-1]:,.0f} msg/s; "
                f"worker CPU {worker_cpu[-1] / messages * 1000:.1f} ms per message",
                flush=True,
            )
        sizes = [len(content) for _, _, content in sent]
    finally:
        stop_worker(worker)
        server.stop()
    celery_s, reused_s, fresh_s = median(celery_runs), median(reused_runs), median(fresh_runs)
    return {
        "messages": messages,
        "repeats": repeat,
        "worker_concurrency": concurrency,
        "message_bytes_mean": round(sum(sizes) / len(sizes)),
        "queries_per_send": queries,
        # CPU the worker (main process and children) spent per message: with the
        # elapsed time and the number of cores, it says whether sending is CPU-bound.
        "worker_cpu_ms_per_message": round(median(worker_cpu) / messages * 1000, 2),
        "celery_seconds": round(celery_s, 3),
        "celery_messages_per_second": round(messages / celery_s, 1),
        "smtplib_seconds": round(reused_s, 3),
        "smtplib_messages_per_second": round(messages / reused_s, 1),
        "smtplib_connection_each_seconds": round(fresh_s, 3),
        "smtplib_connection_each_messages_per_second": round(messages / fresh_s, 1),
        "ratio_celery_to_smtplib": round(reused_s / celery_s, 3),
        "ratio_celery_to_smtplib_connection_each": round(fresh_s / celery_s, 3),
        "target_ratio": 0.5,
    }


def record(programme, today, *, every: int) -> int:
    """A fresh copy of the same picture, and the sweep's recording of it: pending rows
    ready now, exactly as the sweep leaves them before it queues."""
    from django.utils import timezone
    from reminders_data import make_current

    from partnerships.models import Reminder
    from reminders.kinds import FINDERS
    from reminders.sweep import record_due

    make_current(programme, today, every=every)
    now = timezone.now()
    for finder in FINDERS:
        for batch in finder.candidates(now, batch_size=1000):
            record_due(batch, now=now)
    return Reminder.objects.filter(status="pending").count()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children, from /proc (Linux)."""
    total = 0.0
    for each in [pid, *children(pid)]:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def celery_round(programme, today, *, every: int, counter: Counter) -> float:
    """Seconds from queueing the ready rows until every one is marked sent."""
    from django.conf import settings
    from django.utils import timezone

    from partnerships.models import Reminder
    from reminders.sweep import queue_ready
    from reminders.tasks import queue_sends

    expected = record(programme, today, every=every)
    counter.take()
    started = time.perf_counter()
    queue_ready(now=timezone.now(), batch_size=settings.REMINDER_BATCH_SIZE, dispatch=queue_sends)
    deadline = started + 60 + expected * 0.2
    while counter.count() < expected and time.perf_counter() < deadline:
        time.sleep(0.01)
    while time.perf_counter() < deadline:
        if Reminder.objects.filter(status="sent").count() == expected:
            break
        time.sleep(0.01)
    else:
        raise SystemExit(
            f"Only {Reminder.objects.filter(status='sent').count()} of {expected} reminders "
            f"were sent in time; the SMTP server received {counter.count()}."
        )
    elapsed = time.perf_counter() - started
    if counter.count() != expected:
        raise SystemExit(f"The SMTP server received {counter.count()} messages, not {expected}.")
    return elapsed


def queries_per_send(programme, today, messages: int, counter: Counter) -> float:
    """Warm the worker up with a few sends, and deliver one batch here to count its
    queries per message (the claim is shared by the batch)."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from partnerships.models import Reminder
    from reminders.send import deliver_batch

    every = max(messages // WARM_UP_MESSAGES, 1)
    celery_round(programme, today, every=every, counter=counter)
    record(programme, today, every=every)
    batch = list(
        Reminder.objects.filter(status="pending")
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.REMINDER_SEND_BATCH_SIZE]
    )
    Reminder.objects.filter(pk__in=batch).update(
        status="queued", lease_until=timezone.now() + datetime.timedelta(minutes=5)
    )
    with CaptureQueriesContext(connection) as queries:
        outcomes = deliver_batch(batch)
    assert {str(o) for o in outcomes.values()} == {"sent"}, outcomes
    counter.take()
    return round(len(queries) / len(batch), 2)


def smtplib_loop(sent: list, port: int, counter: Counter, *, reuse: bool) -> float:
    """The same bytes to the same server: over one connection, or one per message."""
    counter.take()
    started = time.perf_counter()
    if reuse:
        with smtplib.SMTP("127.0.0.1", port, timeout=20) as smtp:
            for mail_from, rcpt_tos, content in sent:
                smtp.sendmail(mail_from, rcpt_tos, content)
    else:
        for mail_from, rcpt_tos, content in sent:
            with smtplib.SMTP("127.0.0.1", port, timeout=20) as smtp:
                smtp.sendmail(mail_from, rcpt_tos, content)
    elapsed = time.perf_counter() - started
    if counter.count() != len(sent):
        raise SystemExit(f"smtplib: the server received {counter.count()} of {len(sent)}.")
    return elapsed


def start_worker(concurrency: int) -> subprocess.Popen:
    log = open(os.environ.get("BENCH_WORKER_LOG", os.devnull), "wb")  # noqa: SIM115
    return subprocess.Popen(
        [
            CELERY,
            "-A",
            "mentorship",
            "worker",
            "-Q",
            os.environ["CELERY_QUEUE"],
            "-n",
            f"{os.environ['CELERY_QUEUE']}@%h",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
            f"--loglevel={os.environ.get('BENCH_WORKER_LOGLEVEL', 'WARNING')}",
        ],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION_LIKE},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopping it stops its children
    )


def wait_for_worker(worker: subprocess.Popen) -> None:
    from mentorship.celery import app

    name = f"{os.environ['CELERY_QUEUE']}@{socket.gethostname()}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit(f"The Celery worker exited ({worker.returncode}).")
        if app.control.ping(destination=[name], timeout=0.5):
            return
    raise SystemExit("The Celery worker did not answer within 60 s.")


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)


def summary(r: dict) -> str:
    return "\n".join(
        [
            f"Reminder sending: {r['messages']:,} messages of ~{r['message_bytes_mean']:,} bytes "
            f"to aiosmtpd on loopback (median of {r['repeats']})",
            f"  Celery (1 worker, {r['worker_concurrency']} processes)  "
            f"{r['celery_messages_per_second']:>7,.0f} msg/s  "
            f"{r['queries_per_send']:g} queries and "
            f"{r['worker_cpu_ms_per_message']:.1f} ms of worker CPU per send",
            f"  smtplib, one connection   {r['smtplib_messages_per_second']:>7,.0f} msg/s",
            f"  smtplib, one per message  "
            f"{r['smtplib_connection_each_messages_per_second']:>7,.0f} msg/s",
            f"  Celery/smtplib {r['ratio_celery_to_smtplib']:.0%} "
            f"(vs one connection per message {r['ratio_celery_to_smtplib_connection_each']:.0%}; "
            f"target ≥ {r['target_ratio']:.0%})",
        ]
    )


if __name__ == "__main__":
    main()
