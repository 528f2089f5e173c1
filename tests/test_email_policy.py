"""The cached header factory is only about CPU: messages come out byte for byte the same
as with the standard library's own policies."""

import email.policy
import random

import pytest
from django.core.mail import EmailMultiAlternatives

from mentorship.email import Email
from mentorship.email_policy import CachedHeaderRegistry, with_cached_headers

LONG_LINK = "https://mentoring.example.org/reminders/unsubscribe/" + "x" * 120 + "/"


def build(cls):
    message = cls(
        "Check-in with Zoë due tomorrow (Wed 16 Dec)",
        "Hello Zoë,\n\nYour check-in is due.\n",
        from_email="Mentorship <mentorship@example.org>",
        to=["Mara Mentor <mara@example.org>", "milo@exämple.org"],
        headers={
            "Message-ID": "<reminder-1@mentoring.example.org>",
            "Date": "Wed, 16 Dec 2026 09:00:00 +0000",
            "List-Unsubscribe": f"<{LONG_LINK}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative("<p>Hello Zoë,</p>", "text/html")
    message.attach("checkin.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    return message


@pytest.mark.parametrize("policy", [email.policy.default, email.policy.SMTP])
def test_an_email_is_the_same_bytes_as_djangos_own(settings, policy):
    random.seed(7)  # the MIME boundaries
    expected = build(EmailMultiAlternatives).message(policy=policy).as_bytes()
    random.seed(7)
    assert build(Email).message(policy=policy).as_bytes() == expected


def test_each_header_name_gets_one_class_reused_by_every_message():
    policy = with_cached_headers(email.policy.SMTP)
    assert with_cached_headers(email.policy.SMTP) is policy
    assert policy.header_factory["Subject"] is policy.header_factory["subject"]
    assert policy.header_factory["To"] is not policy.header_factory["Subject"]


def test_a_policy_with_a_header_factory_of_its_own_is_left_alone():
    custom = email.policy.SMTP.clone(header_factory=CachedHeaderRegistry())
    assert with_cached_headers(custom) is custom
