"""An invitation or a coordinator's nudge that the mail server does not take is neither
lost nor a server error: on a temporary refusal (4xx) the coordinator is told, and a real
Celery worker tries again until the real SMTP server on loopback accepts it, once; a
final refusal (5xx) is told to the coordinator and not tried again."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from mentorship.celery import app
from partnerships.models import CoordinatorAction, Invitation
from tests.coordinators.conftest import page
from tests.reminders.processes import Processes
from tests.reminders.smtp import Inbox, SMTPServer
from tests.waiting import wait_until

TRY_AGAIN = "451 4.3.0 Try again later"
NO_SUCH_USER = "550 5.1.1 No such user here"


class RefusingFirst(Inbox):
    """Answers "try again later" to the first ``refuse`` messages, then takes them."""

    def __init__(self, refuse: int):
        super().__init__()
        self.refuse = refuse
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.refuse:
            self.refused += 1
            return TRY_AGAIN
        return await super().handle_DATA(server, session, envelope)


def smtp_refusing(settings, refuse: int) -> SMTPServer:
    server = SMTPServer()
    server.inbox = RefusingFirst(refuse)
    settings.MAILERS = server.mailer()
    return server.start()


@pytest.fixture
def worker(tmp_path, request):
    """A real Celery worker on a queue of its own, with the test's tasks routed to it."""
    started = []

    def start(server: SMTPServer) -> Processes:
        procs = Processes(tmp_path, server.port)
        app.conf.task_default_queue = procs.queue
        procs.worker()
        started.append(procs)
        return procs

    yield start
    app.conf.task_default_queue = "celery"
    for procs in started:
        procs.stop_all()


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_invitation_the_server_refuses_for_now_is_sent_by_the_worker_once(
    settings, client, programme, coordinator, worker
):
    server = smtp_refusing(settings, refuse=2)  # our own try, then the worker's first
    procs = worker(server)
    client.force_login(coordinator)
    response = client.post(
        page("invitations", programme),
        {"email": "nia@example.org", "name": "Nia Newcomer", "role": "mentee", "capacity": "1"},
    )
    assert response.status_code == 302
    assert said(response) == [
        "Invited nia@example.org.",
        "The mail server did not take the email to nia@example.org just now; it will be "
        "tried again over the next hours, with the same link.",
    ]
    [message] = server.inbox.wait_for(1, timeout=60)
    assert server.inbox.refused == 2
    assert message["To"] == "nia@example.org"
    assert message["Subject"] == "You're invited to Spring Cohort as a mentee"
    text = message.get_body(("plain",)).get_content()
    link = next(line for line in text.splitlines() if "/invitations/" in line).strip()
    html = message.get_body(("html",)).get_content()
    assert f'<a href="{link}"' in html and "Set your password and join</a>" in html
    assert "Why you got this: Cora Coordinator invited this address to Spring Cohort" in text
    client.logout()
    join_page = client.get(link.removeprefix(settings.SITE_URL))
    assert join_page.status_code == 200
    assert "Nia Newcomer" in join_page.text
    wait_until(
        lambda: "succeeded" in procs.logs() and "send_invitation" in procs.logs(),
        timeout=20,
        message=procs.logs,
    )
    assert len(server.inbox.messages) == 1
    server.stop()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_nudge_the_server_refuses_for_now_reaches_both_partners_once(
    settings, client, coordinator, partnership, mentor, mentee, worker
):
    server = smtp_refusing(settings, refuse=3)  # both of ours, then one of the worker's
    worker(server)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:partnerships_partnership_changelist"),
        {"action": "nudge", "_selected_action": [partnership.pk]},
    )
    assert response.status_code == 302
    messages = server.inbox.wait_for(2, timeout=60)
    assert sorted(m["To"] for m in messages) == sorted([mentor.email, mentee.email])
    assert {m["Subject"] for m in messages} == {
        "Time for a check-in with Mara Mentor",
        "Time for a check-in with Milo Mentee",
    }
    action = CoordinatorAction.objects.get(verb="nudged")
    assert action.summary == f"sent a nudge to {partnership} (0 emails, 2 to be tried again)"
    assert server.inbox.refused == 3
    assert len(server.inbox.messages) == 2
    server.stop()


@pytest.mark.django_db
def test_an_address_the_server_will_never_take_is_told_and_not_tried_again(
    settings, client, programme, coordinator, partnership, mentor
):
    server = SMTPServer()
    server.inbox.reply = NO_SUCH_USER
    settings.MAILERS = server.mailer()
    server.start()
    try:
        client.force_login(coordinator)
        response = client.post(
            page("invitations", programme),
            {"email": "gone@example.org", "name": "Gus Gone", "role": "mentee", "capacity": "1"},
        )
        assert response.status_code == 302
        assert said(response)[-1] == (
            "The mail server refused the email to gone@example.org: check the address, "
            "then send it again."
        )
        assert Invitation.objects.get(email="gone@example.org").sent_count == 1
        nudged = client.post(
            reverse("admin:partnerships_partnership_changelist"),
            {"action": "nudge", "_selected_action": [partnership.pk]},
        )
        assert nudged.status_code == 302
        assert said(nudged)[-1].startswith(f"{partnership}: The mail server refused the nudge to")
        assert server.inbox.messages == []
    finally:
        server.stop()
