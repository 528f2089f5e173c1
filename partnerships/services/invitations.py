"""Inviting people into a programme: signed links that expire, sending, and accepting.

A link carries the invitation's code and how many times it has been sent, signed with a
timestamp. So a link stops working when it expires, when anyone changes a character of it,
when the invitation has been used, or when a newer link was sent for the same invitation.

The email goes at once, so the coordinator hears at once that it went. If the mail server
fails for the moment (no connection, a 4xx answer), a task tries again after the
transaction commits, with growing waits (``partnerships.tasks.send_invitation``): the
invitation is neither lost nor a server error on the coordinator's page. A 5xx answer
(an address the server will never take) is final, and the coordinator is told.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentorship.email import SEND_ERRORS, email_send, is_temporary
from mentorship.models import has_control_characters
from partnerships.models import CoordinatorAction, Invitation, Participant, Programme
from partnerships.models.participant import Role

logger = logging.getLogger(__name__)

VALID_FOR = datetime.timedelta(days=14)
_SALT = "partnerships.invitation"


class InvitationLinkError(Exception):
    """Why a link cannot be used: ``kind`` is expired, tampered, superseded or used."""

    def __init__(self, kind: str, message: str, *, invitation: Invitation | None = None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.invitation = invitation  # the used one, for "used"


@dataclass
class Invitee:
    """One person to invite, as typed in the admin or read from one CSV row."""

    email: str
    name: str
    role: str
    interests: str = ""
    capacity: int = 1


# --- validation -----------------------------------------------------------------------


# The most mentees a mentor takes at once, whether invited one by one or from a CSV file.
MAX_CAPACITY = 20


def invitee_problems(invitee: Invitee, *, participant_emails: set[str]) -> list[str]:
    """Everything wrong with one invitee, as sentences a coordinator can act on."""
    problems = []
    try:
        validate_email(invitee.email)
    except ValidationError:
        problems.append(f"“{invitee.email}” is not a valid email address.")
    else:
        problems += _will_not_fit("email address", invitee.email, "email")
    if not invitee.name:
        problems.append("The name is empty.")
    problems += _will_not_fit("name", invitee.name, "name")
    if "\x00" not in invitee.name and has_control_characters(invitee.name):
        problems.append("The name contains a line break, tab or other control character.")
    problems += _will_not_fit("list of interests", invitee.interests, "interests")
    if invitee.role not in Role.values:
        problems.append(f"Unknown role “{invitee.role}”: use mentor or mentee.")
    elif invitee.role == Role.MENTEE and invitee.capacity != 1:
        problems.append("A mentee's capacity is always 1; leave it empty.")
    elif not 1 <= invitee.capacity <= MAX_CAPACITY:
        problems.append(f"A mentor's capacity is from 1 to {MAX_CAPACITY}.")
    if invitee.email.lower() in participant_emails:
        problems.append(f"{invitee.email} is already in this programme.")
    return problems


def _will_not_fit(label: str, value: str, field: str) -> list[str]:
    """What the invitation's column cannot hold: more characters than it has, or a NUL
    (PostgreSQL stores no text with one), both of which made saving a server error."""
    limit = Invitation._meta.get_field(field).max_length
    problems = []
    if len(value) > limit:
        problems.append(f"The {label} is longer than {limit} characters.")
    if "\x00" in value:
        problems.append(f"The {label} contains a NUL character.")
    return problems


def participant_emails(programme: Programme) -> set[str]:
    return {
        email.lower()
        for email in Participant.objects.filter(programme=programme).values_list(
            "user__email", flat=True
        )
    }


# --- links ------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object(
        {"code": str(invitation.code), "sent": invitation.sent_count}
    )


def invitation_link(invitation: Invitation) -> str:
    path = reverse("invitations:accept", args=[invitation_token(invitation)])
    return f"{settings.SITE_URL}{path}"


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link stands for, or InvitationLinkError saying why not."""
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        payload = signer.unsign_object(token, max_age=VALID_FOR)
    except signing.SignatureExpired as error:
        raise InvitationLinkError(
            "expired", "This invitation link has expired. Ask your coordinator to invite you again."
        ) from error
    except signing.BadSignature as error:
        raise InvitationLinkError(
            "tampered", "This invitation link is not valid. Check that you copied all of it."
        ) from error
    invitation = (
        Invitation.objects.select_related("programme").filter(code=payload.get("code")).first()
    )
    if invitation is None:
        raise InvitationLinkError("tampered", "This invitation no longer exists.")
    if invitation.is_accepted:
        raise InvitationLinkError(
            "used",
            "This invitation has already been used. Log in with your email and password.",
            invitation=invitation,
        )
    if payload.get("sent") != invitation.sent_count:
        raise InvitationLinkError(
            "superseded", "A newer invitation was sent to you; please use the link in that email."
        )
    return invitation


# --- sending ------------------------------------------------------------------------


def _upsert(programme: Programme, invitee: Invitee, by) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .filter(programme=programme, email__iexact=invitee.email)
        .first()
    )
    if invitation is not None and invitation.is_accepted:
        raise ValidationError(f"{invitee.email} has already accepted an invitation.")
    invitation = invitation or Invitation(programme=programme, invited_by=by)
    invitation.email = invitee.email.lower()
    invitation.name = invitee.name
    invitation.role = invitee.role
    invitation.interests = invitee.interests
    invitation.capacity = invitee.capacity
    invitation.sent_count += 1
    invitation.sent_at = timezone.now()
    invitation.save()
    return invitation


class Delivery:
    """What became of an invitation's email: sent now, tried again later, or refused."""

    SENT = "sent"
    RETRYING = "retrying"
    REFUSED = "refused"


def invitation_email_send(invitation: Invitation, by) -> None:
    """Send the invitation's email now; raises what the mail server raised."""
    link = invitation_link(invitation)
    email_send(
        "invitation",
        to=invitation.email,
        context={
            "invitation": invitation,
            "inviter": by,
            "link": link,
            "action_url": link,
            "valid_days": VALID_FOR.days,
            "why": f"{by} invited this address to {invitation.programme}; "
            "nothing happens unless you join.",
        },
    )


def _deliver(invitation: Invitation, by) -> str:
    """Send now; on a temporary failure, queue the task that tries again (after commit).
    Returns a Delivery, also kept on ``invitation.delivery`` for the coordinator's page."""
    from partnerships.tasks import send_invitation  # noqa: PLC0415 (the task imports this module)

    try:
        invitation_email_send(invitation, by)
    except SEND_ERRORS as error:
        if is_temporary(error):
            logger.warning("invitation %s: %s; trying again later", invitation.pk, error)
            sent, by_id = invitation.sent_count, by.pk
            transaction.on_commit(lambda: send_invitation.delay(invitation.pk, sent, by_id))
            invitation.delivery = Delivery.RETRYING
        else:
            logger.error("invitation %s: refused by the mail server: %s", invitation.pk, error)
            invitation.delivery = Delivery.REFUSED
    else:
        invitation.delivery = Delivery.SENT
    return invitation.delivery


def invitation_send_again(*, invitation_id: int, sent_count: int, by_id: int) -> str:
    """The task's attempt: send this link again unless a newer one replaced it or the
    invitation was used meanwhile. A temporary failure raises, for the task to retry."""
    invitation = Invitation.objects.select_related("programme").filter(pk=invitation_id).first()
    if invitation is None:
        return "gone"
    if invitation.is_accepted:
        return "accepted"
    if invitation.sent_count != sent_count:
        return "superseded"  # a newer link went out; this one no longer works
    by = get_user_model().objects.get(pk=by_id)
    try:
        invitation_email_send(invitation, by)
    except SEND_ERRORS as error:
        if is_temporary(error):
            raise
        logger.error("invitation %s: refused by the mail server: %s", invitation.pk, error)
        return Delivery.REFUSED
    return Delivery.SENT


def delivery_problems(invitations: list[Invitation]) -> str:
    """A sentence for the coordinator about emails that did not go at once, or ''."""
    retrying = [i.email for i in invitations if getattr(i, "delivery", "") == Delivery.RETRYING]
    refused = [i.email for i in invitations if getattr(i, "delivery", "") == Delivery.REFUSED]
    sentences = []
    if retrying:
        sentences.append(
            f"The mail server did not take the email to {', '.join(retrying)} just now; "
            "it will be tried again over the next hours, with the same link."
        )
    if refused:
        sentences.append(
            f"The mail server refused the email to {', '.join(refused)}: "
            "check the address, then send it again."
        )
    return " ".join(sentences)


def invitation_send(*, programme: Programme, invitee: Invitee, by) -> Invitation:
    """Invite one person, or invite them again with a fresh link (the old one stops working)."""
    problems = invitee_problems(invitee, participant_emails=participant_emails(programme))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        invitation = _upsert(programme, invitee, by)
        again = invitation.sent_count > 1
        CoordinatorAction.record(
            actor=by,
            programme=programme,
            verb="invited",
            summary=f"invited {invitation.email} as {invitation.role}" + (" again" * again),
        )
    _deliver(invitation, by)
    return invitation


def invitations_import(*, programme: Programme, invitees: list[Invitee], by) -> list[Invitation]:
    """Invite everyone in a validated CSV: all rows are saved together, then emailed."""
    with transaction.atomic():
        invitations = [_upsert(programme, invitee, by) for invitee in invitees]
        CoordinatorAction.record(
            actor=by,
            programme=programme,
            verb="invited_csv",
            summary=f"invited {len(invitations)} "
            f"{'person' if len(invitations) == 1 else 'people'} from a CSV file",
        )
    for invitation in invitations:
        _deliver(invitation, by)
    return invitations


# --- accepting ----------------------------------------------------------------------------


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user=None, name: str = "", password: str = ""):
    """Join the programme: as ``user`` if they already have an account, else a new account."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.is_accepted:
        raise InvitationLinkError(
            "used",
            "This invitation has already been used. Log in with your email and password.",
            invitation=locked,
        )
    if user is None:
        user = get_user_model().objects.create_user(
            email=locked.email, password=password, name=name or locked.name
        )
    elif user.email.lower() != locked.email.lower():
        raise ValidationError("This invitation was sent to a different email address.")
    Participant.objects.get_or_create(
        programme=locked.programme,
        user=user,
        defaults={"role": locked.role, "interests": locked.interests, "capacity": locked.capacity},
    )
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    return user
