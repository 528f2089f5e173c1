"""Deleting an account without deleting a partner's history."""

import uuid

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from mentorship.models import RecoveryCodeDevice
from partnerships.models import (
    Application,
    ClosingReflection,
    Invitation,
    MatchRequest,
    Participant,
    Partnership,
    Reflection,
    Reminder,
)
from partnerships.models.partnership import EndReason
from partnerships.models.visibility import Visibility
from partnerships.services import partnership_end
from partnerships.services.health_facts import health_facts_clear

FORMER_NAME = "Former participant"
END_REASON = "A partner closed their account."


@transaction.atomic
def account_delete(*, user) -> None:
    """Anonymise the person and remove what only they could read.

    - Private reflections (check-in and closing) are deleted; shared ones stay, so the
      partner keeps their history, now written by "Former participant".
    - Open partnerships end early, without fault; pending match requests are withdrawn.
    - Profile text in programmes (bio, interests), unsent reminders, second-factor devices
      and coordinator rights go; so do the login records (email and IP addresses) and the
      name and email on the invitations sent to them, and on their sign-ups with the
      answers.
    - The user row stays (history points at it with PROTECT) but names nobody: a fixed
      name, a random unroutable email, no usable password, inactive. Changing the password
      hash also ends every session the person had.
    """
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    for partnership in Partnership.objects.for_user(user).open().with_people():
        partnership_end(partnership=partnership, by=user, reason=EndReason.LEFT, note=END_REASON)

    private = Reflection.objects.filter(author=user, visibility=Visibility.PRIVATE)
    for partnership_id in set(private.values_list("checkin__partnership_id", flat=True)):
        health_facts_clear(partnership_id=partnership_id)  # a reflection is a contribution
    private.delete()
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
    RecoveryCodeDevice.objects.filter(user=user).delete()
    for record in (AccessAttempt, AccessLog, AccessFailureLog):
        record.objects.filter(username__iexact=user.email).delete()
    for invitation in Invitation.objects.filter(email__iexact=user.email):
        # The row stays (coordinators count invitations); it names nobody any more.
        invitation.email = f"former-{uuid.uuid4().hex}@deleted.invalid"
        invitation.name = FORMER_NAME
        invitation.interests = ""
        invitation.save(update_fields=["email", "name", "interests"])
    for application in Application.objects.filter(Q(user=user) | Q(email__iexact=user.email)):
        # Sign-ups too: the row stays (it counted in a programme); its words and address go.
        application.answers.all().delete()
        application.email = f"former-{uuid.uuid4().hex}@deleted.invalid"
        application.name = FORMER_NAME
        application.save(update_fields=["email", "name"])
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
