import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from partnerships.models import CheckIn, Feedback, Partnership, Reflection
from partnerships.models.notification import NotificationKind
from partnerships.models.participant import Role
from partnerships.models.visibility import Visibility
from partnerships.services.health_facts import checkin_week_clear, health_facts_clear
from partnerships.services.meetings import meeting_mark_held
from partnerships.services.notifications import notification_send_to_partners
from partnerships.services.rules import (
    activity_record,
    require_member,
    require_role,
    require_workable,
)


def first_day_on_calendar_of(day: datetime.date, person) -> datetime.date:
    """The date a person's own calendar showed when the server's `day` began.

    A partnership started at 01:00 UTC started on the 24th for a partner in New York,
    who may well log that first meeting as held on the 24th.
    """
    began = datetime.datetime.combine(
        day, datetime.time.min, tzinfo=timezone.get_default_timezone()
    )
    return timezone.localdate(began, timezone=person.tzinfo)


@transaction.atomic
def checkin_start(
    *, partnership: Partnership, by, held_on: datetime.date, agenda: str = ""
) -> CheckIn:
    """Either partner starts the record; only the mentee sets the agenda."""
    role = require_member(partnership, by)
    require_workable(partnership)
    if agenda and role != Role.MENTEE:
        raise PermissionDenied("The mentee sets the check-in agenda.")
    if held_on > timezone.localdate(timezone=by.tzinfo):
        raise ValidationError({"held_on": "A check-in is logged on or after the day it was held."})
    if partnership.started_on and held_on < first_day_on_calendar_of(partnership.started_on, by):
        raise ValidationError({"held_on": "This date is before the partnership started."})
    checkin = CheckIn.objects.create(
        partnership=partnership, held_on=held_on, agenda=agenda, started_by=by
    )
    health_facts_clear(partnership_id=partnership.pk)
    checkin_week_clear(partnership_id=partnership.pk, held_on=held_on)
    # A check-in on or after the scheduled meeting's day is that meeting, no longer due.
    held = meeting_mark_held(partnership=partnership, checkin=checkin)
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    newer = locked.last_checkin_on is None or held_on > locked.last_checkin_on
    if newer or held is not None:
        if newer:
            locked.last_checkin_on = held_on
        locked.refresh_due_date()
        locked.save(update_fields=["last_checkin_on", "next_checkin_due_on", "updated_at"])
        partnership.last_checkin_on = locked.last_checkin_on
        partnership.next_checkin_due_on = locked.next_checkin_due_on
    activity_record(
        partnership=partnership,
        actor=by,
        verb="checkin_logged",
        summary=f"logged the check-in of {held_on:%-d %b %Y}",
    )
    notification_send_to_partners(
        partnership=partnership,
        by=by,
        kind=NotificationKind.CHECKIN,
        summary=f"logged the check-in of {held_on:%-d %b %Y}; add your part to it",
        link=reverse("partnerships:checkin", args=[checkin.code]),
    )
    return checkin


@transaction.atomic
def checkin_set_agenda(*, checkin: CheckIn, by, agenda: str) -> CheckIn:
    require_role(checkin.partnership, by, Role.MENTEE, "set the agenda")
    require_workable(checkin.partnership)
    checkin.agenda = agenda
    checkin.save(update_fields=["agenda", "updated_at"])
    health_facts_clear(checkin_id=checkin.pk)  # the mentee's agenda is a contribution
    return checkin


@transaction.atomic
def reflection_write(
    *, checkin: CheckIn, by, text: str, visibility: str = Visibility.PRIVATE
) -> Reflection:
    """Write or rewrite one's own reflection on a check-in."""
    require_member(checkin.partnership, by)
    require_workable(checkin.partnership)
    if not text.strip():
        raise ValidationError({"text": "Write a few words before saving."})
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": "Choose private or shared."})
    was_shared = Reflection.objects.filter(
        checkin=checkin, author=by, visibility=Visibility.SHARED
    ).exists()
    reflection, created = Reflection.objects.update_or_create(
        checkin=checkin, author=by, defaults={"text": text, "visibility": visibility}
    )
    health_facts_clear(checkin_id=checkin.pk)
    # The feed is the partner's (and coordinators read it): a private reflection is nobody
    # else's business, not even that it exists. A shared one is announced when it is shared.
    if visibility == Visibility.SHARED and not was_shared:
        activity_record(
            partnership=checkin.partnership,
            actor=by,
            verb="reflection_written" if created else "reflection_shared",
            summary=f"{'reflected on' if created else 'shared their reflection on'} "
            f"the check-in of {checkin.held_on:%-d %b %Y}",
        )
    return reflection


@transaction.atomic
def feedback_give(*, checkin: CheckIn, by, rating: int, comment: str = "") -> Feedback:
    partnership = checkin.partnership
    require_member(partnership, by)
    if not partnership.is_open:
        raise ValidationError("Feedback is closed for this partnership.")
    if Feedback.objects.filter(checkin=checkin, author=by).exists():
        raise ValidationError("You have already given feedback on this check-in.", code="duplicate")
    feedback = Feedback(
        checkin=checkin,
        author=by,
        recipient=partnership.partner_of(by),
        rating=rating,
        comment=comment,
    )
    feedback.full_clean()
    feedback.save()
    health_facts_clear(partnership_id=partnership.pk)
    activity_record(
        partnership=partnership,
        actor=by,
        verb="feedback_given",
        summary=f"gave feedback on the check-in of {checkin.held_on:%-d %b %Y}",
    )
    notification_send_to_partners(
        partnership=partnership,
        by=by,
        kind=NotificationKind.FEEDBACK,
        summary=f"gave you feedback on the check-in of {checkin.held_on:%-d %b %Y}",
        link=reverse("partnerships:checkin", args=[checkin.code]),
    )
    return feedback
