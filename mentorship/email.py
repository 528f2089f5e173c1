"""The one email helper: every email is three templates — subject, text, HTML.

``templates/emails/<name>/subject.txt``, ``body.txt`` and ``body.html`` are rendered with
the same context; the subject is collapsed onto one line. The two text templates are
rendered without HTML escaping (they are not HTML), the HTML one with it.
"""

import email.policy
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine
from django.template.loader import render_to_string

from mentorship.email_policy import for_our_emails


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


class Email(EmailMultiAlternatives):
    """Django's message, written with our header factory: List-Unsubscribe as a plain
    link, and less CPU (see mentorship/email_policy.py)."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=for_our_emails(policy))


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template, not HTML-escaped: O'Neill <& Co> stays as typed (no &#x27;
    or &lt;). Only the HTML part of an email is escaped."""
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))


def render_email(name: str, context: dict) -> RenderedEmail:
    subject = render_text(f"emails/{name}/subject.txt", context)
    return RenderedEmail(
        subject=" ".join(subject.split()),
        text=render_text(f"emails/{name}/body.txt", context).strip() + "\n",
        html=render_to_string(f"emails/{name}/body.html", context),
    )


def build_email(
    name: str,
    context: dict,
    *,
    to: list[str],
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, str]] = (),
) -> EmailMultiAlternatives:
    """A ready-to-send message: text body, HTML alternative, headers and attachments.
    Send it with ``message.send()`` (the default mailer in MAILERS) or ``send(using=…)``."""
    rendered = render_email(name, context)
    message = Email(rendered.subject, rendered.text, to=to, headers=dict(headers or {}))
    message.attach_alternative(rendered.html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def email_send(name: str, *, to: str, context: dict) -> None:
    """Render ``emails/<name>/`` for one person, with ``site_url`` for links, and send it."""
    build_email(name, {"site_url": settings.SITE_URL, **context}, to=[to]).send()


# What sending can raise: no connection (OSError) or the server's answer.
SEND_ERRORS = (OSError, smtplib.SMTPException)


def is_temporary(error: Exception) -> bool:
    """Worth trying again: no connection, or a 4xx answer; a 5xx answer is final."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    return isinstance(error, SEND_ERRORS)
