"""The reminders admin (scoped to a coordinator's programmes, with a resend action and a
constant number of queries) and the sweep_reminders command."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Partnership, Reminder
from tests.builders import make_partnership, make_user

CHANGELIST = reverse("admin:partnerships_reminder_changelist")


def make_reminder(partnership, recipient, *, status="sent", period="2026-12-16", **extra):
    return Reminder.objects.create(
        recipient=recipient,
        kind="checkin_upcoming",
        programme=partnership.programme,
        partnership=partnership,
        subject_key=f"partnership:{partnership.pk}",
        period=period,
        due_on=datetime.date(2026, 12, 14),
        send_after=timezone.now(),
        status=status,
        **extra,
    )


def test_a_coordinator_sees_the_reminders_of_their_programmes_only(
    client, coordinator, partnership, other_partnership, mentor
):
    mine = make_reminder(partnership, mentor, status="failed", last_error="SMTPDataError: 550")
    make_reminder(other_partnership, other_partnership.mentor.user)
    client.force_login(coordinator)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert [r.pk for r in response.context["cl"].result_list] == [mine.pk]
    assert "SMTPDataError: 550" in response.text
    other = Reminder.objects.exclude(pk=mine.pk).get()
    detail = client.get(reverse("admin:partnerships_reminder_change", args=[other.pk]))
    assert detail.status_code == 302  # not theirs: "doesn't exist", back to the list


def test_the_resend_action_puts_failed_reminders_back_and_leaves_sent_ones(
    client, coordinator, partnership, mentor, mentee
):
    failed = make_reminder(partnership, mentor, status="failed", attempts=6, last_error="451")
    sent = make_reminder(partnership, mentee, status="sent", attempts=1)
    client.force_login(coordinator)
    response = client.post(
        CHANGELIST,
        {"action": "resend_failed", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )
    assert (
        "1 failed reminder will be sent again within a minute. 1 not failed, left alone."
        in response.text
    )
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts) == ("pending", 0)
    assert sent.status == "sent"


def test_the_list_takes_the_same_number_of_queries_for_one_reminder_as_for_many(
    client, coordinator, programme, partnership, mentor
):
    make_reminder(partnership, mentor)
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as one:
        client.get(CHANGELIST)
    for n in range(8):
        p = make_partnership(programme, make_user(f"Mentor {n}"), make_user(f"Mentee {n}"))
        make_reminder(p, p.mentee.user)
    with CaptureQueriesContext(connection) as many:
        response = client.get(CHANGELIST)
    assert response.context["cl"].result_count == 9
    assert len(many) == len(one)


@pytest.mark.django_db(transaction=True)
def test_sweep_reminders_says_what_it_created_and_sent(mentor, mentee, programme, mailoutbox):
    partnership = make_partnership(programme, mentor, mentee)
    today = timezone.localdate()
    Partnership.objects.filter(pk=partnership.pk).update(
        next_checkin_due_on=today - datetime.timedelta(days=3)
    )
    programme.deliver_any_hour = True
    programme.save()
    out = io.StringIO()
    call_command("sweep_reminders", stdout=out)
    assert (
        out.getvalue() == "Created 2 reminder(s): checkin_overdue 2.\nSent 2 of 2 ready (sent 2).\n"
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted([mentor.email, mentee.email])
    out = io.StringIO()
    call_command("sweep_reminders", stdout=out)
    assert out.getvalue() == "Created 0 reminder(s).\nSent 0 of 0 ready.\n"
