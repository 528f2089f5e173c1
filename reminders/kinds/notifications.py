"""Notification emails: one at once per notification, or one daily summary per person.

Their rows are recorded by ``partnerships.services.notifications.notification_send`` when
something happens, not found by the sweep, so there are no ``candidates``; the sweep
queues them like any other row whose moment has come, and the sender holds them in quiet
hours. Each notification's email is skipped if the person read it in the app first, or
turned that kind's email off meanwhile; a summary lists only what is still unread.
"""

from django.urls import reverse

from partnerships.models import Notification
from partnerships.models.notification import EmailChoice, NotificationKind
from partnerships.models.reminder import ReminderKind
from partnerships.services.notifications import email_choices_of
from reminders import links

# "Why you got this", per kind of notification.
WHY: dict[str, str] = {
    NotificationKind.MATCH: "A match you are part of was proposed, answered or started.",
    NotificationKind.REQUEST: "A request to mentor that you made or received changed.",
    NotificationKind.APPLICATION: "A sign-up application you made or coordinate changed.",
    NotificationKind.GOAL: "Your partner proposed or decided on a goal in your partnership.",
    NotificationKind.AGREEMENT: "Your partner proposed or signed your partnership's agreement.",
    NotificationKind.CHECKIN: "Your partner logged a check-in of your partnership.",
    NotificationKind.FEEDBACK: "Your partner gave you feedback on a check-in.",
    NotificationKind.PARTNERSHIP: "Your partnership was paused, resumed or ended.",
    NotificationKind.MEETING: "A meeting of your partnership was proposed, moved or cancelled.",
    NotificationKind.PROGRAMME: "Your programme has news for its participants.",
}
DIGEST_WHY = "You chose a daily summary for some kinds of notification."


def candidates(now, *, batch_size: int):
    """Nothing to find: notification_send records these rows itself."""
    return iter(())


def _notifications(reminder):
    return list(
        Notification.objects.filter(reminder=reminder)
        .select_related("actor", "programme")
        .order_by("created_at", "pk")
    )


def still_due(reminder) -> str | None:
    unread = [n for n in _notifications(reminder) if not n.is_read]
    if not unread:
        return "they read it in the app already"
    if reminder.kind == ReminderKind.NOTIFICATION:
        choice = email_choices_of(reminder.recipient)[unread[0].kind]
        if choice != EmailChoice.IMMEDIATE:
            return "they changed how they get this kind of notification"
    return None


def context(reminder) -> dict:
    notifications = [n for n in _notifications(reminder) if not n.is_read]
    list_url = links.absolute(reverse("notifications:list"))
    if reminder.kind == ReminderKind.NOTIFICATION_DIGEST:
        return {
            "notifications": [
                {"notification": n, "url": links.absolute(n.link)} for n in notifications
            ],
            "programme": reminder.programme,
            "several_programmes": len({n.programme_id for n in notifications}) > 1,
            "action_url": list_url,
            "why": DIGEST_WHY,
        }
    # Its one notification (read or not: still_due has just found it unread).
    notification = _notifications(reminder)[0]
    kind = NotificationKind(notification.kind)
    return {
        "notification": notification,
        "actor": notification.actor,
        "programme": notification.programme,
        "action_url": links.absolute(notification.link),
        "list_url": list_url,
        "why": WHY[kind],
        "kind_label": f"Notifications: {kind.label}",
        "unsubscribe_url": links.unsubscribe_url(reminder.recipient, f"notification:{kind}"),
    }
