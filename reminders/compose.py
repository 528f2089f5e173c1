"""One reminder row → one email message, with the headers that make it behave well:
a deterministic Message-ID, RFC 8058 one-click unsubscribe, and auto-generated marks."""

from django.core.mail import EmailMultiAlternatives

from mentorship.email import build_email
from partnerships.models import Reminder
from reminders import links
from reminders.kinds import MODULE_OF, WHY


def compose(reminder: Reminder) -> EmailMultiAlternatives:
    recipient = reminder.recipient
    module = MODULE_OF[reminder.kind]
    kind_context = module.context(reminder)
    # A notification's email names its own kind, reason and unsubscribe link.
    unsubscribe = kind_context.get("unsubscribe_url") or links.unsubscribe_url(
        recipient, reminder.kind
    )
    context = {
        **kind_context,
        "reminder": reminder,
        "recipient": recipient,
        "kind_label": kind_context.get("kind_label") or reminder.get_kind_display(),
        "why": kind_context.get("why") or WHY[reminder.kind],
        "unsubscribe_url": unsubscribe,
        "preferences_url": links.preferences_url(),
        "dashboard_url": links.dashboard_url(),
    }
    attachments = []
    # A kind may attach a calendar file: (filename, content, content type).
    calendar = getattr(module, "calendar", None)
    invite = calendar(reminder) if calendar else None
    if invite:
        attachments.append(invite)
    return build_email(
        reminder.kind,
        context,
        to=[recipient.email],
        headers={
            "Message-ID": links.message_id(reminder),
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
            "X-Mentorship-Reminder": f"{reminder.kind} {reminder.code}",
        },
        attachments=attachments,
    )
