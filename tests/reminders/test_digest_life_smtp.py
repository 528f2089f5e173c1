"""The coordinator's Monday digest tells the programme's life, over real SMTP (on
loopback) with the real sweep: the wrap-up that began, a survey round opening that week,
and, after the end, the retention setting about to run."""

import datetime

import pytest
import time_machine

from goals.tasks import close_programmes
from partnerships.models import Partnership, Programme, Survey
from partnerships.services.surveys import survey_copy
from tests.builders import builtin_survey
from tests.reminders.conftest import due_on, local

STARTED = datetime.date(2026, 11, 2)
ENDS = datetime.date(2026, 12, 31)  # the wrap-up (14 days) opens on 17 December


@pytest.fixture
def ending(programme, partnership, coordinator):
    Programme.objects.filter(pk=programme.pk).update(
        starts_on=datetime.date(2026, 10, 1), ends_on=ENDS, wrap_up_days=14, retention_months=1
    )
    Partnership.objects.filter(pk=partnership.pk).update(started_on=STARTED)
    programme.refresh_from_db()
    pulse = survey_copy(survey=builtin_survey("pulse"), programme=programme, by=coordinator)
    Survey.objects.filter(pk=pulse.pk).update(pulse_days="50")  # opens on 22 December
    return due_on(partnership, datetime.date(2027, 1, 14))


def digests(server, coordinator) -> list[str]:
    return [
        message.get_body(preferencelist=("plain",)).get_content()
        for message in server.inbox.messages
        if message["X-Mentorship-Reminder"].startswith("coordinator_digest")
        and message["To"] == coordinator.email
    ]


def test_the_digest_tells_the_wrap_up_the_survey_due_and_the_retention_to_come(
    ending, coordinator, smtp_server, run_sweep
):
    run_sweep(local("UTC", 2026, 12, 21, 9))  # a Monday in the wrap-up
    [december] = digests(smtp_server, coordinator)
    text = " ".join(december.split())
    assert (
        "The wrap-up began on 17 December: the partners of 1 open partnership are asked for "
        "closing reflections and the closing survey." in text
    )
    assert "Survey due this week: Pulse check (at 50 days) opens for 1 partnership." in text
    assert "Retention" not in text

    with time_machine.travel(local("UTC", 2027, 1, 1, 9), tick=False):
        close_programmes()  # the beat task acts on the end date
    run_sweep(local("UTC", 2027, 1, 4, 9))  # the Monday after the end
    january = digests(smtp_server, coordinator)[1]
    text = " ".join(january.split())
    assert "The programme ended on 31 December: 1 partnership completed" in text
    assert (
        "Retention: private reflections will be deleted on 31 January 2027, as the "
        "programme's setting says; participants were told a month before." in text
    )
    assert "Survey due this week" not in text
