"""Our email policy writes List-Unsubscribe as a plain link; every other byte is the same
as with the standard library's own policies (the cached header classes are only CPU)."""

import email.policy

import pytest
from django.core.mail import EmailMultiAlternatives

from mentorship.email import Email
from mentorship.email_policy import CachedHeaderRegistry, for_our_emails

LONG_LINK = "https://mentoring.example.org/reminders/unsubscribe/" + "x" * 120 + "/"


def build(cls, *, unsubscribe=f"<{LONG_LINK}>"):
    message = cls(
        "Check-in with Zoë due tomorrow (Wed 16 Dec)",
        "Hello Zoë,\n\nYour check-in is due.\n",
        from_email="Mentorship <mentorship@example.org>",
        to=["Mara Mentor <mara@example.org>", "milo@exämple.org"],
        headers={
            "Message-ID": "<reminder-1@mentoring.example.org>",
            "Date": "Wed, 16 Dec 2026 09:00:00 +0000",
            "List-Unsubscribe": unsubscribe,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative("<p>Hello Zoë,</p>", "text/html")
    message.attach("checkin.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    return message


def as_bytes(message) -> bytes:
    """The message's bytes with fixed MIME boundaries (otherwise random) to compare."""
    for number, part in enumerate(p for p in message.walk() if p.is_multipart()):
        part.set_boundary(f"boundary-{number}")
    return message.as_bytes()


def without_unsubscribe(raw: bytes) -> bytes:
    """The message with its List-Unsubscribe header (and continuation lines) cut out."""
    kept, cutting = [], False
    for line in raw.splitlines(keepends=True):
        cutting = line.startswith(b"List-Unsubscribe:") or (cutting and line[:1] in b" \t")
        if not cutting:
            kept.append(line)
    return b"".join(kept)


@pytest.mark.parametrize("policy", [email.policy.default, email.policy.SMTP])
def test_an_email_is_the_same_bytes_as_djangos_own_but_for_its_unsubscribe_link(policy):
    standard = as_bytes(build(EmailMultiAlternatives).message(policy=policy))
    ours = as_bytes(build(Email).message(policy=policy))
    assert b"=?utf-8?q?=3Chttps" in standard  # a link mail providers would not find
    assert f"List-Unsubscribe: <{LONG_LINK}>{policy.linesep}".encode() in ours
    assert without_unsubscribe(ours) == without_unsubscribe(standard)


def test_several_unsubscribe_links_go_one_a_line():
    both = f"<mailto:unsubscribe@example.org>, <{LONG_LINK}>"
    raw = build(Email, unsubscribe=both).message(policy=email.policy.SMTP).as_bytes()
    assert (
        f"List-Unsubscribe: <mailto:unsubscribe@example.org>,\r\n <{LONG_LINK}>\r\n".encode() in raw
    )


def test_a_short_or_plain_message_is_byte_for_byte_djangos_own():
    standard = as_bytes(build(EmailMultiAlternatives, unsubscribe="<https://e.org/u/>").message())
    assert as_bytes(build(Email, unsubscribe="<https://e.org/u/>").message()) == standard


def test_each_header_name_gets_one_class_reused_by_every_message():
    policy = for_our_emails(email.policy.SMTP)
    assert for_our_emails(email.policy.SMTP) is policy
    assert policy.header_factory["Subject"] is policy.header_factory["subject"]
    assert policy.header_factory["To"] is not policy.header_factory["Subject"]


def test_a_policy_with_a_header_factory_of_its_own_is_left_alone():
    custom = email.policy.SMTP.clone(header_factory=CachedHeaderRegistry())
    assert for_our_emails(custom) is custom
