"""Deleting an account without deleting a partner's history."""

import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

FORMER_NAME = "Former participant"
END_REASON = "A partner closed their account."


@transaction.atomic
def account_delete(*, user) -> None:
    """Anonymise the person and remove what only they could read.

    - Private reflections (check-in and closing) are deleted; shared ones stay, so the
      partner keeps their history, now written by "Former participant".
    - Open partnerships end early, without fault; pending match requests are withdrawn.
    - Profile text in programmes (bio, interests), unsent reminders, second-factor devices
      and coordinator rights go.
    - The user row stays (history points at it with PROTECT) but names nobody: a fixed
      name, a random unroutable email, no usable password, inactive. Changing the password
      hash also ends every session the person had.
    """
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from partnerships.models import (
        ClosingReflection,
        MatchRequest,
        Participant,
        Partnership,
        Reflection,
        Reminder,
    )
    from partnerships.models.visibility import Visibility
    from partnerships.services import partnership_end

    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    for partnership in Partnership.objects.for_user(user).open().with_people():
        partnership_end(partnership=partnership, by=user, reason=END_REASON)

    Reflection.objects.filter(author=user, visibility=Visibility.PRIVATE).delete()
    ClosingReflection.objects.filter(author=user, visibility=Visibility.PRIVATE).delete()
    MatchRequest.objects.filter(status=MatchRequest.Status.PENDING, mentee__user=user).update(
        status=MatchRequest.Status.WITHDRAWN
    )
    MatchRequest.objects.filter(status=MatchRequest.Status.PENDING, mentor__user=user).update(
        status=MatchRequest.Status.DECLINED
    )
    Participant.objects.filter(user=user).update(bio="", interests="")
    Reminder.objects.filter(
        recipient=user, status__in=[Reminder.Status.PENDING, Reminder.Status.QUEUED]
    ).update(status=Reminder.Status.SKIPPED, last_error="Skipped: the account was closed.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.coordinated_programmes.clear()
    user.groups.clear()
    user.user_permissions.clear()

    user.name = FORMER_NAME
    user.email = f"former-{uuid.uuid4().hex}@deleted.invalid"
    user.password = make_password(None)  # unusable
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.email_reminders = False
    user.save()
