"""Telling a person what their partner (or coordinator) did: an entry in the app, and an
email by the person's choice for that kind, through the reminders' outbox.

``notification_send`` is called by the services that change things, inside their
transaction, so an action and its notifications are saved together or not at all. Each
recipient gets one ``Notification`` and, unless they turned the kind's email off:

- at once: one ``Reminder`` row of kind ``notification`` for this notification, to be sent
  now (the sweep queues it within a minute; quiet hours hold it, as any reminder);
- daily: the notification joins the person's one pending ``notification_digest`` row,
  made for their programme's next delivery hour if there is none yet.

Sent once, by the same claims as every reminder; skipped if the person read it in the app
first, or turned the email off meanwhile (reminders/kinds/notifications.py).

The summary is written by the caller from names, titles, dates and statuses, like the
activity feed's; never from what anyone wrote (notes, reflections, comments, answers).
"""

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from partnerships import timing
from partnerships.models import (
    Notification,
    NotificationPreference,
    Partnership,
    Programme,
    Reminder,
)
from partnerships.models.notification import EmailChoice, NotificationKind
from partnerships.models.reminder import ReminderKind, ReminderStatus

# The daily summary's identity: one per person per local delivery day.
DIGEST_SUBJECT = "notifications"


def email_choices_of(user) -> dict[str, str]:
    """Every notification kind with how this person gets it by email."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, EmailChoice.IMMEDIATE) for kind in NotificationKind.values}


def notification_preferences_set(*, user, choices: dict[str, str]) -> None:
    """Save how each kind reaches ``user`` by email; kinds not named keep their choice."""
    for kind, email in choices.items():
        kind, email = NotificationKind(kind), EmailChoice(email)
        if email == EmailChoice.IMMEDIATE:
            NotificationPreference.objects.filter(user=user, kind=kind).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"email": email}
            )


@transaction.atomic
def notification_send(
    *,
    recipients: Iterable,
    kind: str,
    programme: Programme,
    summary: str,
    link: str,
    partnership: Partnership | None = None,
    actor=None,
    email: bool = True,
) -> list[Notification]:
    """One notification for each recipient (never the actor, never an inactive account),
    and its email as each one chose. ``link`` is a path on this site; ``email=False``
    records the entry in the app only (for an event already emailed today)."""
    kind = NotificationKind(kind)
    if not link.startswith("/") or link.startswith("//"):
        raise ValueError(f"A notification links to a page of this site, not {link!r}.")
    now = timezone.now()
    sent = []
    seen = set()
    for recipient in recipients:
        if recipient is None or recipient.pk in seen or not recipient.is_active:
            continue
        seen.add(recipient.pk)
        if actor is not None and recipient.pk == actor.pk:
            continue  # nobody is told what they did themselves
        notification = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            programme=programme,
            partnership=partnership,
            actor=actor,
            summary=summary[:300],
            link=link[:200],
        )
        if email and recipient.email_reminders:
            choice = email_choices_of(recipient)[kind]
            row = None
            if choice == EmailChoice.IMMEDIATE:
                row = _immediate_row(notification, now=now)
            elif choice == EmailChoice.DAILY:
                row = _digest_row(recipient, programme, now=now)
            if row is not None:
                notification.reminder = row
                notification.save(update_fields=["reminder"])
        sent.append(notification)
    return sent


def notification_send_to_partners(
    *, partnership: Partnership, by, kind: str, summary: str, link: str, email: bool = True
) -> list[Notification]:
    """Tell the partner of ``by`` (both partners, if a coordinator or the programme did it)."""
    return notification_send(
        recipients=[partnership.mentor.user, partnership.mentee.user],
        kind=kind,
        programme=partnership.programme,
        partnership=partnership,
        actor=by,
        summary=summary,
        link=link,
        email=email,
    )


def _immediate_row(notification: Notification, *, now: datetime.datetime) -> Reminder:
    """The notification's own email, due now: the sweep queues it within a minute, and
    the sender holds it if it falls in the recipient's quiet hours."""
    tz = notification.recipient.tzinfo
    return Reminder.objects.create(
        recipient=notification.recipient,
        kind=ReminderKind.NOTIFICATION,
        programme=notification.programme,
        partnership=notification.partnership,
        subject_key=f"notification:{notification.pk}",
        period=timing.local_today(now, tz).isoformat(),
        due_on=timing.local_today(now, tz),
        send_after=now,
    )


def next_summary_moment(now: datetime.datetime, tz, programme: Programme) -> datetime.datetime:
    """The programme's next delivery hour in the person's time zone, after ``now`` (moved
    out of quiet hours): when the summary of what happens until then goes out."""
    day = timing.local_today(now, tz)
    moment = timing.at_local(day, programme.delivery_hour, tz)
    if moment <= now:
        moment = timing.at_local(day + datetime.timedelta(days=1), programme.delivery_hour, tz)
    return timing.next_allowed(moment, tz, programme)


def _digest_row(recipient, programme: Programme, *, now: datetime.datetime) -> Reminder:
    """The person's pending daily summary, or a new one for the next delivery hour.

    The pending row is locked, so the sweep (which queues with SKIP LOCKED) cannot take it
    while this notification joins it; one it already queued is not pending any more, and
    the notification waits for the next day's."""
    pending = (
        Reminder.objects.select_for_update()
        .filter(
            recipient=recipient,
            kind=ReminderKind.NOTIFICATION_DIGEST,
            status=ReminderStatus.PENDING,
        )
        .order_by("send_after")
        .first()
    )
    if pending is not None:
        return pending
    tz = recipient.tzinfo
    moment = next_summary_moment(now, tz, programme)
    for _ in range(2):
        day = moment.astimezone(tz).date()
        try:
            with transaction.atomic():
                row, _created = Reminder.objects.get_or_create(
                    recipient=recipient,
                    kind=ReminderKind.NOTIFICATION_DIGEST,
                    subject_key=DIGEST_SUBJECT,
                    period=day.isoformat(),
                    defaults={"programme": programme, "due_on": day, "send_after": moment},
                )
        except IntegrityError:  # made by a concurrent notification meanwhile
            row = Reminder.objects.get(
                recipient=recipient,
                kind=ReminderKind.NOTIFICATION_DIGEST,
                subject_key=DIGEST_SUBJECT,
                period=day.isoformat(),
            )
        if row.status == ReminderStatus.PENDING:
            return row
        # That day's summary is already on its way: the next one.
        moment = next_summary_moment(
            timing.at_local(day + datetime.timedelta(days=1), 0, tz), tz, programme
        )
    return row


def notifications_mark_read(*, user, codes: Iterable | None = None) -> int:
    """Mark this person's notifications read: those named, or all. Returns how many."""
    unread = Notification.objects.unread().filter(recipient=user)
    if codes is not None:
        unread = unread.filter(code__in=list(codes))
    return unread.update(read_at=timezone.now())
