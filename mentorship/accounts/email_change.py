"""A person changes their own email address, proven by a link sent to the new one.

The email is the login and where password reset links go, so nobody else may change it
(coordinators cannot, in the admin), and the person may change it only to an address
they can read mail at. The link is signed and expires; it carries a keyed fingerprint of
the address it changes *from*, so it works once (afterwards the address is another) and
stops working if the address changed meanwhile by any other link. The old address is told.

Whether another account has the new address is not said when the link is asked for: the
page reads the same either way, and only a free address gets the link. The database's
unique constraint can still refuse at confirmation time, if someone took the address in
between; that is said then, to whoever can read mail at that address anyway.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from mentorship.email import email_send

logger = logging.getLogger(__name__)

VALID_FOR = datetime.timedelta(hours=24)
_SALT = "mentorship.accounts.email_change"


class EmailChangeLinkError(Exception):
    """Why a link cannot be used: ``kind`` is tampered, expired, other_account, used or
    taken."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def _fingerprint(email: str) -> str:
    """The address a link changes from, keyed: the link (seen in logs and mail) does not
    carry the old address, and cannot be made to fit another."""
    return salted_hmac(f"{_SALT}.from", email.lower(), algorithm="sha256").hexdigest()[:24]


def email_change_token(*, user, new_email: str) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object(
        {"user": user.pk, "from": _fingerprint(user.email), "to": new_email}
    )


def email_change_request(*, user, new_email: str) -> bool:
    """Email ``new_email`` a link that makes it ``user``'s address, unless another account
    has it. Returns whether a link went out, for tests and logs: the person is told the
    same either way."""
    new_email = new_email.lower()
    taken = get_user_model().objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists()
    if taken:
        return False
    path = reverse(
        "email_change_confirm", args=[email_change_token(user=user, new_email=new_email)]
    )
    email_send(
        "email_change",
        to=new_email,
        context={
            "recipient": user,
            "old_email": user.email,
            "new_email": new_email,
            "link": f"{settings.SITE_URL}{path}",
            "valid_hours": int(VALID_FOR.total_seconds() // 3600),
        },
    )
    return True


def email_change_from_token(*, user, token: str) -> str:
    """The new address a link offers ``user``, or EmailChangeLinkError saying why not."""
    try:
        payload = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=VALID_FOR)
    except signing.SignatureExpired as error:
        raise EmailChangeLinkError(
            "expired",
            "This link has expired: links work for 24 hours. Ask for a new one from your profile.",
        ) from error
    except (signing.BadSignature, ValueError) as error:
        raise EmailChangeLinkError(
            "tampered", "This link is not valid. Check that you copied all of it."
        ) from error
    if not isinstance(payload, dict) or payload.get("user") != user.pk:
        raise EmailChangeLinkError(
            "other_account",
            "This link was sent for another account. Log out, then log in as the person who "
            "asked for the change.",
        )
    if not constant_time_compare(str(payload.get("from")), _fingerprint(user.email)):
        raise EmailChangeLinkError(
            "used",
            "This link has been used already, or your email address has changed since it was "
            "sent. Your address is the one on your profile.",
        )
    return payload["to"]


def email_change_confirm(*, user, token: str) -> str:
    """Make the link's address ``user``'s; tell the old address. Returns the old address.

    The change is one conditional UPDATE on the address the link changes from: two clicks
    at once change it once, and the second is told the link was used."""
    new_email = email_change_from_token(user=user, token=token)
    old_email = user.email
    try:
        with transaction.atomic():
            changed = (
                get_user_model().objects.filter(pk=user.pk, email=old_email).update(email=new_email)
            )
    except IntegrityError as error:  # user_email_ci_unique: taken since the link was sent
        raise EmailChangeLinkError(
            "taken",
            "Another account now uses this address, so your email address was not changed.",
        ) from error
    if not changed:
        raise EmailChangeLinkError(
            "used", "This link has been used already. Your address is the one on your profile."
        )
    user.email = new_email
    try:
        email_send(
            "email_change_notice",
            to=old_email,
            context={
                "recipient": user,
                "old_email": old_email,
                "new_email": new_email,
                "changed_at": timezone.now(),
            },
        )
    except (smtplib.SMTPException, OSError):
        # The change is made and proven by the new address; a mail server that is away
        # must not turn it into an error page. Logged, for the operator to follow up.
        logger.exception("The notice of an email change to user %s was not sent", user.pk)
    return old_email
