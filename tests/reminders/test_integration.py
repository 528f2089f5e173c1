"""On the real components: Celery worker(s) and beat as processes, the real Redis, a real
SMTP server on loopback. The expected messages arrive once, whatever we do to them:
kill -9 the worker mid-send, run two beats at once, take the SMTP server down and up."""

import datetime
from collections import defaultdict

import pytest
from django.utils import timezone

from partnerships.models import Partnership, Reminder
from reminders.links import message_id
from tests.builders import make_partnership, make_user
from tests.reminders.processes import Processes
from tests.reminders.smtp import SMTPServer
from tests.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

OVERDUE_PAIRS = 4


@pytest.fixture
def due_reminders(programme):
    """Four overdue partnerships and one whose check-in is coming up: ten emails are due
    now (the programme delivers at any hour, so the test does not depend on the clock)."""
    programme.deliver_any_hour = True
    programme.save()
    today = datetime.datetime.now(datetime.UTC).date()
    for n in range(OVERDUE_PAIRS):
        p = make_partnership(programme, make_user(f"Ola Mentor{n}"), make_user(f"Ian Mentee{n}"))
        Partnership.objects.filter(pk=p.pk).update(
            next_checkin_due_on=today - datetime.timedelta(days=3)
        )
    coming = make_partnership(programme, make_user("Uma Mentor"), make_user("Ugo Mentee"))
    Partnership.objects.filter(pk=coming.pk).update(
        next_checkin_due_on=today + datetime.timedelta(days=2)
    )
    return 2 * OVERDUE_PAIRS + 2


@pytest.fixture
def smtp_server():
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def processes(tmp_path, smtp_server, request):
    procs = Processes(tmp_path, smtp_server.port)
    yield procs
    procs.stop_all()
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        print(procs.logs())


def by_reminder(messages) -> dict[tuple[str, str], set[str]]:
    """(recipient, subject) → the Message-IDs it arrived with."""
    seen = defaultdict(set)
    for message in messages:
        seen[(message["To"], message["Subject"])].add(message["Message-ID"].strip())
    return seen


def all_sent(expected: int):
    return Reminder.objects.filter(status="sent").count() == expected


def expected_message_ids() -> set[str]:
    return {message_id(r) for r in Reminder.objects.all()}


def test_worker_and_beat_deliver_every_due_reminder_once_with_both_parts_and_headers(
    due_reminders, smtp_server, processes
):
    processes.worker()
    processes.beat()
    messages = smtp_server.inbox.wait_for(due_reminders, timeout=60)
    wait_until(lambda: all_sent(due_reminders), timeout=20, message=processes.logs)
    swept = processes.sweeps_done()
    wait_until(  # two more sweeps: nothing else may arrive
        lambda: processes.sweeps_done() >= swept + 2, timeout=30, message=processes.logs
    )
    messages = smtp_server.inbox.messages
    assert len(messages) == due_reminders
    assert {m["Message-ID"].strip() for m in messages} == expected_message_ids()
    kinds = sorted(m["X-Mentorship-Reminder"].split()[0] for m in messages)
    assert kinds == ["checkin_overdue"] * 8 + ["checkin_upcoming"] * 2
    for message in messages:
        assert message.get_body(("plain",)).get_content().startswith("Hello ")
        assert message.get_body(("html",)).get_content().lstrip().startswith("<!doctype html>")
        assert message["List-Unsubscribe"].startswith(
            "<http://127.0.0.1:8000/reminders/unsubscribe/"
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        attachments = [a.get_filename() for a in message.iter_attachments()]
        expected = ["checkin.ics"] if "checkin_upcoming" in message["X-Mentorship-Reminder"] else []
        assert attachments == expected


def test_a_worker_killed_mid_send_loses_nothing_and_never_changes_a_message_id(
    due_reminders, smtp_server, processes
):
    smtp_server.inbox.stall_seconds = 60  # the worker hangs waiting for "250" ...
    first = processes.worker()
    processes.beat()
    assert smtp_server.inbox.data_started.wait(30), processes.logs()
    processes.kill_9(first)  # ... and is killed there, mid-send
    smtp_server.inbox.stall_seconds = 0
    in_flight = {m["Message-ID"].strip() for m in smtp_server.inbox.messages}
    assert 1 <= len(in_flight) <= 2  # concurrency 2
    processes.worker()
    wait_until(lambda: all_sent(due_reminders), timeout=60, message=processes.logs)
    seen = by_reminder(smtp_server.inbox.messages)
    assert len(seen) == due_reminders
    assert all(len(ids) == 1 for ids in seen.values())  # a re-send is the same message
    assert {next(iter(ids)) for ids in seen.values()} == expected_message_ids()
    resent = [r for r in Reminder.objects.all() if message_id(r) in in_flight]
    assert [r.attempts for r in resent] == [2] * len(in_flight)


def test_two_beats_at_once_send_nothing_twice(due_reminders, smtp_server, processes):
    processes.worker()
    processes.worker()
    processes.beat()
    processes.beat()
    wait_until(lambda: all_sent(due_reminders), timeout=60, message=processes.logs)
    sent, swept = processes.sweeps_sent(), processes.sweeps_done()
    wait_until(  # several more sweeps from each beat: nothing may arrive twice
        lambda: (
            all(now >= then + 2 for now, then in zip(processes.sweeps_sent(), sent, strict=True))
            and processes.sweeps_done() >= swept + 4
        ),
        timeout=30,
        message=processes.logs,
    )
    messages = smtp_server.inbox.messages
    assert len(messages) == due_reminders
    assert len({m["Message-ID"].strip() for m in messages}) == due_reminders
    assert Reminder.objects.count() == due_reminders
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}


def test_smtp_down_then_up_delivers_everything_after_retries(due_reminders, smtp_server, processes):
    smtp_server.stop()
    processes.worker()
    processes.beat()
    wait_until(
        lambda: (
            Reminder.objects.filter(last_error__contains="ConnectionRefusedError").count()
            == due_reminders
        ),
        timeout=60,
        message=processes.logs,
    )
    assert Reminder.objects.filter(status="sent").count() == 0
    smtp_server.start()
    wait_until(lambda: all_sent(due_reminders), timeout=60, message=processes.logs)
    messages = smtp_server.inbox.wait_for(due_reminders, timeout=5)
    assert len(messages) == due_reminders
    assert len({m["Message-ID"].strip() for m in messages}) == due_reminders
    assert min(Reminder.objects.values_list("attempts", flat=True)) >= 2
    assert Reminder.objects.filter(sent_at__lte=timezone.now()).count() == due_reminders
