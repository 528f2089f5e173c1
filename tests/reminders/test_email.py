"""What each email is: subject, text and HTML from one set of templates, the right links,
"why you got this", a visible unsubscribe link, the RFC 8058 headers, a Message-ID that is
the same on every attempt, and an .ics for "check-in coming up"."""

import datetime
from pathlib import Path
from types import SimpleNamespace

import icalendar
import pytest
import time_machine
from django.contrib.auth import get_user_model

from mentorship.email import render_email, render_text
from partnerships.models import Partnership, Reminder
from reminders.compose import compose
from reminders.links import message_id
from reminders.send import deliver, resend
from reminders.sweep import sweep
from tests.reminders.conftest import due_on, local

EMAILS = Path(__file__).resolve().parents[2] / "templates" / "emails"
DUE = datetime.date(2026, 12, 16)
MONDAY_9_LONDON = local("Europe/London", 2026, 12, 14, 9)


@pytest.fixture
def upcoming_reminder(partnership, mentor):
    Partnership.objects.filter(pk=partnership.pk).update(started_on=datetime.date(2026, 11, 2))
    due_on(partnership, DUE)
    with time_machine.travel(MONDAY_9_LONDON, tick=False):
        sweep(dispatch=lambda ids: None)
    return Reminder.objects.get(recipient=mentor, kind="checkin_upcoming")


def send(reminder) -> None:
    with time_machine.travel(MONDAY_9_LONDON, tick=False):
        assert deliver(reminder.pk) == "sent"


def test_check_in_coming_up_arrives_with_text_html_links_and_a_calendar_entry(
    upcoming_reminder, partnership, smtp_server
):
    send(upcoming_reminder)
    [message] = smtp_server.inbox.messages
    assert message["Subject"] == "Check-in with Milo Mentee due in 2 days (Wed 16 Dec)"
    assert message["To"] == upcoming_reminder.recipient.email
    assert (
        message["Message-ID"].strip()
        == f"<reminder-{upcoming_reminder.code}@mentoring.example.org>"
    )
    assert message.get_content_type() == "multipart/mixed"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    workspace = f"https://mentoring.example.org/partnerships/{partnership.code}/"
    assert (
        "Your next check-in with Milo Mentee is due on Wednesday 16 December (in 2 days)." in text
    )
    assert f"Open your partnership: {workspace}" in text
    assert "Why you got this: You are in this partnership; its next check-in is due soon." in text
    assert f'href="{workspace}"' in html
    assert "Unsubscribe from “Check-in coming up”" in html
    [invite] = list(message.iter_attachments())
    assert invite.get_content_type() == "text/calendar"
    assert invite.get_filename() == "checkin.ics"
    ics = invite.get_content().replace("\r\n ", "")  # RFC 5545 folds lines over 75 octets
    assert "DTSTART;VALUE=DATE:20261216\r\n" in ics
    assert f"UID:checkin-{partnership.code}-20261216@mentoring.example.org\r\n" in ics
    assert "SUMMARY:Mentoring check-in with Milo Mentee\r\n" in ics


def calendar_of(message) -> str:
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("checkin.ics", "text/calendar")
    return content


def test_the_calendar_entry_reads_back_as_one_all_day_event(
    upcoming_reminder, partnership, settings
):
    settings.SITE_URL = "https://mentoring.example.org"
    parsed = icalendar.Calendar.from_ical(calendar_of(compose(upcoming_reminder)))
    [event] = parsed.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Mentoring check-in with Milo Mentee"
    assert event.decoded("DTSTART") == DUE
    assert event.decoded("DTEND") == DUE + datetime.timedelta(days=1)
    assert str(event["UID"]) == f"checkin-{partnership.code}-20261216@mentoring.example.org"
    assert str(event["URL"]) == f"https://mentoring.example.org/partnerships/{partnership.code}/"


def test_a_line_break_in_a_name_cannot_add_a_second_event(upcoming_reminder, mentee, settings):
    """Names refuse control characters, but the calendar must not trust that: older rows,
    the admin, a shell."""
    settings.SITE_URL = "https://mentoring.example.org"
    get_user_model().objects.filter(pk=mentee.pk).update(
        name="Milo\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Free money\x0bDTSTART:20261217"
    )
    upcoming_reminder.refresh_from_db()
    ics = calendar_of(compose(upcoming_reminder))
    lines = ics.removesuffix("\r\n").split("\r\n")
    assert [line for line in lines if any(ord(c) < 32 or ord(c) == 127 for c in line)] == []
    [event] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["SUMMARY"]) == (
        "Mentoring check-in with Milo END:VEVENT BEGIN:VEVENT SUMMARY:Free money DTSTART:20261217"
    )


def test_every_email_carries_one_click_unsubscribe_headers_that_match_its_visible_link(
    upcoming_reminder, smtp_server
):
    send(upcoming_reminder)
    [message] = smtp_server.inbox.messages
    url = message["List-Unsubscribe"].removeprefix("<").removesuffix(">")
    assert url.startswith("https://mentoring.example.org/reminders/unsubscribe/")
    # Mail providers read the header as sent: a plain <URL>, not an RFC 2047 encoded word.
    [raw] = smtp_server.inbox.raw
    header = raw.split(b"\r\nList-Unsubscribe: ")[1].split(b"\r\nList-Unsubscribe-Post")[0]
    assert header.replace(b"\r\n ", b"").replace(b"\r\n\t", b"") == f"<{url}>".encode()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    assert (
        f'Unsubscribe from "Check-in coming up": {url}'
        in message.get_body(("plain",)).get_content()
    )
    assert f'href="{url}"' in message.get_body(("html",)).get_content()


def test_a_resent_reminder_has_the_same_message_id(upcoming_reminder, smtp_server):
    send(upcoming_reminder)
    Reminder.objects.filter(pk=upcoming_reminder.pk).update(status="failed")
    with time_machine.travel(MONDAY_9_LONDON, tick=False):
        assert resend(Reminder.objects.filter(pk=upcoming_reminder.pk)) == 1  # pending from now
        assert sweep(dispatch=lambda ids: None).queued == [upcoming_reminder.pk]
    send(upcoming_reminder)
    first, second = smtp_server.inbox.messages
    assert (
        first["Message-ID"].strip() == second["Message-ID"].strip() == message_id(upcoming_reminder)
    )


def test_only_check_in_coming_up_carries_a_calendar_entry(upcoming_reminder, mentor, smtp_server):
    Reminder.objects.filter(pk=upcoming_reminder.pk).update(
        kind="checkin_overdue", period=f"{DUE}/1"
    )
    upcoming_reminder.refresh_from_db()
    message = compose(upcoming_reminder)
    assert message.attachments == []
    assert message.subject == "Your check-in with Milo Mentee is overdue"


def test_the_helper_renders_subject_text_and_html_from_the_three_templates(upcoming_reminder):
    from reminders.compose import compose as build

    message = build(upcoming_reminder)
    rendered = render_email(
        "checkin_upcoming",
        {
            "partner": "Milo Mentee",
            "due": DUE,
            "days_until": 1,
            "recipient": upcoming_reminder.recipient,
            "partnership": upcoming_reminder.partnership,
            "cadence": 14,
            "why": "because",
        },
    )
    assert rendered.subject == "Check-in with Milo Mentee due tomorrow (Wed 16 Dec)"
    assert rendered.text.startswith("Hello Mara,\n\nYour next check-in with Milo Mentee")
    assert "<strong>Wednesday 16 December</strong> (tomorrow)" in rendered.html
    assert [mimetype for _, mimetype in message.alternatives] == ["text/html"]


class Named:
    """Any attribute of any depth, shown as a name that HTML would escape."""

    def __getattr__(self, name):
        return Named()

    def __str__(self):
        return "Seán O'Neill & <Co>"


@pytest.mark.parametrize(
    "name",
    sorted(
        path.parent.name
        for path in EMAILS.glob("*/subject.txt")
        if "{{" in path.read_text()  # a subject that names someone or something
    ),
)
def test_a_subject_is_plain_text_so_names_are_not_html_escaped(name):
    people = ("partner", "partnership", "programme", "goal", "invitation", "request")
    context = {key: Named() for key in people}
    context |= {"checkin": SimpleNamespace(held_on=DUE), "due": DUE}
    subject = render_text(f"emails/{name}/subject.txt", context)
    assert "O'Neill & <Co>" in subject, subject
