"""Agreement waiting for your signature: the newest version of a proposed or active
partnership's agreement, unsigned by this partner for two days or more."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from partnerships.models import Agreement, Partnership
from partnerships.models.reminder import ReminderKind
from reminders import links
from reminders.kinds.base import Due, has_ended, keyset_batches

WAITING = datetime.timedelta(days=2)
REMINDED_STATUSES = (Partnership.Status.PROPOSED, Partnership.Status.ACTIVE)


def _unsigned_newest():
    newer = Agreement.objects.filter(
        partnership=OuterRef("partnership"), version__gt=OuterRef("version")
    )
    return (
        Agreement.objects.filter(
            Q(mentor_signed_at__isnull=True) | Q(mentee_signed_at__isnull=True)
        )
        .filter(partnership__status__in=REMINDED_STATUSES)
        .exclude(Exists(newer))
    )


def candidates(now: datetime.datetime, *, batch_size: int):
    """Versions unsigned for two days, through agreement_unsigned_idx (which
    holds only unsigned versions). A row is made once the two days are up; the person's
    delivery hour on that local date (or now, if later) decides when it goes."""
    queryset = _unsigned_newest().filter(created_at__lte=now - WAITING)
    queryset = queryset.select_related(
        "partnership__programme", "partnership__mentor__user", "partnership__mentee__user"
    )
    for batch in keyset_batches(queryset, order=("created_at", "pk"), batch_size=batch_size):
        yield [
            due
            for agreement in batch
            if not has_ended(agreement.partnership, now)
            for due in dues_for(agreement)
        ]


def dues_for(agreement: Agreement):
    partnership = agreement.partnership
    waiting_since = agreement.created_at + WAITING
    for role in agreement.missing_signatures():
        user = getattr(partnership, role).user
        yield Due(
            recipient=user,
            kind=ReminderKind.AGREEMENT_SIGNATURE,
            programme=partnership.programme,
            partnership_id=partnership.pk,
            subject_key=f"agreement:{agreement.pk}",
            period=f"v{agreement.version}",
            due_on=waiting_since.astimezone(user.tzinfo).date(),
            last_day=None,  # one reminder per version, however late
        )


def _agreement(reminder) -> Agreement:
    return Agreement.objects.select_related(
        "partnership__programme",
        "partnership__mentor__user",
        "partnership__mentee__user",
        "proposed_by",
    ).get(pk=int(reminder.subject_key.split(":")[1]))


def still_due(reminder) -> str | None:
    agreement = _agreement(reminder)
    partnership = agreement.partnership
    if partnership.status not in REMINDED_STATUSES:
        return f"the partnership is {partnership.get_status_display().lower()}"
    if partnership.has_ended():
        return "the programme has ended"
    if not _unsigned_newest().filter(pk=agreement.pk).exists():
        return "a newer version replaced it, or it is signed"
    if partnership.role_of(reminder.recipient) not in agreement.missing_signatures():
        return "they have signed it"
    return None


def context(reminder) -> dict:
    agreement = _agreement(reminder)
    return {
        "agreement": agreement,
        "partnership": agreement.partnership,
        "partner": agreement.partnership.partner_of(reminder.recipient),
        "proposed_by": agreement.proposed_by,
        "days_waiting": (timezone.now() - agreement.created_at).days,
        "action_url": links.partnership_url(agreement.partnership),
    }
