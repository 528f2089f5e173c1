from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Agreement, Partnership
from partnerships.models.notification import NotificationKind
from partnerships.models.participant import Role
from partnerships.models.partnership import Status
from partnerships.services.notifications import notification_send_to_partners
from partnerships.services.rules import activity_record, require_member


def _notify_partner(partnership: Partnership, *, by, summary: str) -> None:
    notification_send_to_partners(
        partnership=partnership,
        by=by,
        kind=NotificationKind.AGREEMENT,
        summary=summary,
        link=reverse("partnerships:workspace", args=[partnership.code]) + "#agreement",
    )


def agreement_in_force(partnership: Partnership) -> Agreement | None:
    """The newest version both partners have signed."""
    return partnership.agreements.signed().order_by("-version").first()


@transaction.atomic
def agreement_propose(*, partnership: Partnership, by, change_note: str = "", **terms) -> Agreement:
    """Make a new version. It needs both signatures, even if only one term changed."""
    require_member(partnership, by)
    if partnership.status not in (Status.PROPOSED, Status.ACTIVE):
        raise ValidationError("The agreement can only change while the partnership is open.")
    unknown = set(terms) - set(Agreement.TERMS)
    if unknown:
        raise ValueError(f"Unknown agreement terms: {sorted(unknown)}")
    # Lock the partnership so that two proposals at once get consecutive version numbers.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).get()
    latest = partnership.agreements.aggregate(latest=Max("version"))["latest"] or 0
    agreement = Agreement(
        partnership=partnership,
        version=latest + 1,
        proposed_by=by,
        change_note=change_note,
        **{"checkin_cadence_days": partnership.checkin_cadence_days, **terms},
    )
    agreement.full_clean()
    agreement.save()
    activity_record(
        partnership=partnership,
        actor=by,
        verb="agreement_proposed",
        summary=f"proposed agreement version {agreement.version}",
    )
    _notify_partner(
        partnership,
        by=by,
        summary=f"proposed agreement version {agreement.version}; it waits for your signature",
    )
    return agreement


@transaction.atomic
def agreement_sign(*, agreement: Agreement, by) -> Agreement:
    partnership = agreement.partnership
    role = require_member(partnership, by)
    if partnership.status not in (Status.PROPOSED, Status.ACTIVE):
        raise ValidationError("The agreement can only be signed while the partnership is open.")
    newest = partnership.agreements.aggregate(newest=Max("version"))["newest"]
    if agreement.version != newest:
        raise ValidationError(
            "Version %(version)s has been replaced by version %(newest)s; sign that one instead.",
            code="superseded",
            params={"version": agreement.version, "newest": newest},
        )
    field = "mentor_signed_at" if role == Role.MENTOR else "mentee_signed_at"
    if getattr(agreement, field) is not None:
        raise ValidationError("You have already signed this version.", code="already_signed")
    Agreement.objects.filter(pk=agreement.pk, **{f"{field}__isnull": True}).update(
        **{field: timezone.now()}
    )
    agreement.refresh_from_db()
    activity_record(
        partnership=partnership,
        actor=by,
        verb="agreement_signed",
        summary=f"signed agreement version {agreement.version}",
    )
    _notify_partner(
        partnership,
        by=by,
        summary=f"signed agreement version {agreement.version}"
        + ("; it is now in force" if agreement.is_signed else "; it waits for your signature"),
    )
    if agreement.is_signed and agreement.checkin_cadence_days != partnership.checkin_cadence_days:
        # The agreed cadence now governs when check-ins are due.
        partnership.checkin_cadence_days = agreement.checkin_cadence_days
        partnership.refresh_due_date()
        partnership.save(
            update_fields=["checkin_cadence_days", "next_checkin_due_on", "updated_at"]
        )
    return agreement
