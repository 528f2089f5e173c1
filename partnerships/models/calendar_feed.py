"""A person's private calendar feed: one secret address that calendar apps subscribe to.

Only a hash of the token is stored (like a password's), so the address is shown once,
when it is made; making a new one or turning the feed off makes the old one stop at once.
The token is 256 random bits, so a fast hash is enough: nobody can guess their way in.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    # The hash is a secret's: hidden in the admin like partners' words.
    PRIVATE_FIELDS = ("token_hash",)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
