"""A person's private calendar feed: made, replaced and turned off by its owner.

The address is a long random token; only its hash is kept, so the address is shown once,
when it is made. Making a new one, or turning the feed off, stops the old one at once.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from partnerships.models import CalendarFeed, Meeting, Partnership
from partnerships.models.calendar_feed import feed_token_hash, new_feed_token

# Meetings older than this drop out of the feed.
FEED_HISTORY = datetime.timedelta(days=90)
# A feed read again within this time is not written down again (apps poll often).
READ_STAMP_EVERY = datetime.timedelta(hours=1)


@transaction.atomic
def calendar_feed_make(*, user) -> str:
    """A new feed address for ``user`` (the token), replacing any earlier one."""
    token = new_feed_token()
    CalendarFeed.objects.update_or_create(
        user=user,
        defaults={
            "token_hash": feed_token_hash(token),
            "created_at": timezone.now(),
            "last_read_at": None,
        },
    )
    return token


def calendar_feed_stop(*, user) -> bool:
    """Turn the feed off; its address stops working. True if there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_feed_owner(token: str):
    """The active person whose feed this token opens, or None (unknown, replaced, off)."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=feed_token_hash(token), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    now = timezone.now()
    if feed.last_read_at is None or feed.last_read_at < now - READ_STAMP_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    return feed.user


def feed_meetings(user) -> list[Meeting]:
    """The person's scheduled and held meetings in all their partnerships, recent first."""
    return list(
        Meeting.objects.filter(
            partnership__in=Partnership.objects.for_user(user),
            status__in=(Meeting.Status.SCHEDULED, Meeting.Status.HELD),
            starts_at__gte=timezone.now() - FEED_HISTORY,
        )
        .select_related("proposed_by", "partnership__mentor__user", "partnership__mentee__user")
        .order_by("starts_at")
    )
