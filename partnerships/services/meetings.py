"""Scheduling the next meeting, and the emails it takes.

Either partner proposes a time on their own clock; the other accepts it or suggests
another (a move); a scheduled meeting moves or is cancelled the same way. Every change
raises the meeting's iCalendar sequence and sends both partners the invitation again
(REQUEST, or CANCEL), so their calendars update the one event. A scheduled meeting's
date is what the next check-in is due on (Partnership.next_checkin_due), so the
dashboard, the reminder sweep and health follow it.

The emails are rows in the reminders' outbox, recorded here in the same transaction:
the invitations at once (the sweep queues them within a minute), and for a scheduled
meeting "tomorrow" 24 hours before it and "log this check-in" after it, each in the
person's quiet hours held until they end. A moved or cancelled meeting's reminders are
skipped; the sender checks again when their moment comes (reminders/kinds/meetings.py).
"""

import datetime
import zoneinfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from partnerships import timing
from partnerships.models import Meeting, Partnership, Reminder
from partnerships.models.meeting import MAX_MINUTES, MIN_MINUTES
from partnerships.models.notification import NotificationKind
from partnerships.models.reminder import ReminderKind, ReminderStatus
from partnerships.services.health_facts import health_facts_clear
from partnerships.services.notifications import notification_send_to_partners
from partnerships.services.rules import activity_record, require_member, require_workable

# How far ahead a meeting may be planned.
MAX_DAYS_AHEAD = 366
DAY_BEFORE = datetime.timedelta(hours=24)
# "Log this check-in" goes this long after the meeting ends.
LOG_AFTER = datetime.timedelta(minutes=30)
MEETING_KINDS = (ReminderKind.MEETING_TOMORROW, ReminderKind.MEETING_LOG)


def local_moment(day: datetime.date, time: datetime.time, tz: zoneinfo.ZoneInfo):
    """``time`` on ``day`` on the wall clock of ``tz``, as an aware datetime; refused
    clearly when that clock skips it (spring forward) or shows it twice (fall back)."""
    wall = datetime.datetime.combine(day, time.replace(tzinfo=None, fold=0), tzinfo=tz)
    real = wall.astimezone(datetime.UTC).astimezone(tz)
    when = f"{time:%H:%M} on {day:%-d %B %Y}"
    if real.replace(tzinfo=None) != wall.replace(tzinfo=None):
        raise ValidationError(
            {
                "start_time": ValidationError(
                    f"{when} does not exist in {tz.key}: the clocks go forward then. "
                    "Choose another time.",
                    code="nonexistent_time",
                )
            }
        )
    if wall.utcoffset() != wall.replace(fold=1).utcoffset():
        raise ValidationError(
            {
                "start_time": ValidationError(
                    f"{when} happens twice in {tz.key}: the clocks go back then. "
                    "Choose another time.",
                    code="ambiguous_time",
                )
            }
        )
    return wall


def _clean_time(
    *, by, day: datetime.date, start_time: datetime.time, duration_minutes: int
) -> datetime.datetime:
    if not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        raise ValidationError(
            {"duration_minutes": f"A meeting lasts {MIN_MINUTES} to {MAX_MINUTES} minutes."}
        )
    starts_at = local_moment(day, start_time, by.tzinfo)
    now = timezone.now()
    if starts_at <= now:
        raise ValidationError(
            {
                "day": ValidationError(
                    f"{start_time:%H:%M} on {day:%-d %B %Y} has passed. "
                    "Choose a time in the future.",
                    code="in_the_past",
                )
            }
        )
    if starts_at > now + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(
            {"day": ValidationError("Plan meetings up to a year ahead.", code="too_far")}
        )
    return starts_at


def _workspace_link(partnership: Partnership) -> str:
    return reverse("partnerships:workspace", args=[partnership.code]) + "#meeting"


def _when(meeting: Meeting, user) -> str:
    """The time on ``user``'s clock, for the activity feed and notifications."""
    start = meeting.start_for(user)
    return f"{start:%a %-d %b, %H:%M} ({user.time_zone.replace('_', ' ')})"


@transaction.atomic
def meeting_propose(
    *,
    partnership: Partnership,
    by,
    day: datetime.date,
    start_time: datetime.time,
    duration_minutes: int = 45,
    place: str = "",
    note: str = "",
) -> Meeting:
    """Propose the next meeting; the partner accepts it or suggests another time."""
    require_member(partnership, by)
    require_workable(partnership)
    starts_at = _clean_time(
        by=by, day=day, start_time=start_time, duration_minutes=duration_minutes
    )
    # One next meeting per partnership: the lock makes two proposals at once wait in turn.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).get()
    if partnership.meetings.upcoming().exists():
        raise ValidationError(
            "You already have a next meeting: move it or cancel it instead.", code="exists"
        )
    meeting = Meeting(
        partnership=partnership,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        time_zone=by.time_zone,
        place=place.strip(),
        note=note.strip(),
        proposed_by=by,
        created_by=by,
    )
    meeting.full_clean()
    meeting.save()
    _after_change(meeting, partnership, by=by, verb="meeting_proposed", said="proposed")
    return meeting


def _require_upcoming(meeting: Meeting) -> None:
    if not meeting.is_upcoming:
        raise ValidationError(
            "This meeting is %(status)s: it can no longer change.",
            code="not_upcoming",
            params={"status": meeting.get_status_display().lower()},
        )


def _locked(meeting: Meeting) -> Meeting:
    """The meeting's row, locked, so two answers at once cannot both apply."""
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_upcoming(current)
    return current


@transaction.atomic
def meeting_accept(*, meeting: Meeting, by) -> Meeting:
    """The partner who did not propose the time agrees to it: it is scheduled."""
    partnership = meeting.partnership
    require_member(partnership, by)
    require_workable(partnership)
    current = _locked(meeting)
    if current.status != Meeting.Status.PROPOSED:
        raise ValidationError("This meeting is already scheduled.", code="scheduled")
    if current.proposed_by_id == by.pk:
        raise PermissionDenied(
            f"You proposed this time: {partnership.partner_of(by).get_short_name()} accepts it."
        )
    if current.starts_at <= timezone.now():
        raise ValidationError(
            "This time has passed: suggest another one instead.", code="in_the_past"
        )
    current.status = Meeting.Status.SCHEDULED
    current.sequence += 1
    current.save(update_fields=["status", "sequence", "updated_at"])
    _after_change(current, partnership, by=by, verb="meeting_accepted", said="accepted")
    _copy(current, meeting)
    return meeting


@transaction.atomic
def meeting_move(
    *,
    meeting: Meeting,
    by,
    day: datetime.date,
    start_time: datetime.time,
    duration_minutes: int,
    place: str = "",
    note: str = "",
) -> Meeting:
    """Suggest another time (or place): it waits for the partner's answer again."""
    partnership = meeting.partnership
    require_member(partnership, by)
    require_workable(partnership)
    starts_at = _clean_time(
        by=by, day=day, start_time=start_time, duration_minutes=duration_minutes
    )
    current = _locked(meeting)
    same = (
        current.starts_at == starts_at
        and current.duration_minutes == duration_minutes
        and current.place == place.strip()
    )
    if same and current.status == Meeting.Status.SCHEDULED:
        raise ValidationError("Nothing changed: this is the meeting's time and place.", "same")
    current.starts_at = starts_at
    current.duration_minutes = duration_minutes
    current.time_zone = by.time_zone
    current.place = place.strip()
    current.note = note.strip()
    current.status = Meeting.Status.PROPOSED
    current.proposed_by = by
    current.sequence += 1
    current.full_clean()
    current.save()
    _after_change(current, partnership, by=by, verb="meeting_moved", said="suggested")
    _copy(current, meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by, note: str = "") -> Meeting:
    """Either partner calls the meeting off; both calendars remove it."""
    partnership = meeting.partnership
    require_member(partnership, by)
    current = _locked(meeting)
    current.status = Meeting.Status.CANCELLED
    current.note = note.strip()
    current.sequence += 1
    current.save(update_fields=["status", "note", "sequence", "updated_at"])
    _after_change(current, partnership, by=by, verb="meeting_cancelled", said="cancelled")
    _copy(current, meeting)
    return meeting


def meeting_mark_held(*, partnership: Partnership, checkin) -> Meeting | None:
    """A check-in logged on or after the scheduled meeting's day is that meeting: it is
    held (and no longer what is due). Called by the check-in's logging, in its
    transaction. A check-in of an earlier day leaves a later meeting as it is."""
    meeting = partnership.meetings.select_for_update().scheduled().order_by("starts_at").first()
    if meeting is None or meeting.local_date > checkin.held_on:
        return None
    meeting.status = Meeting.Status.HELD
    meeting.checkin = checkin
    meeting.save(update_fields=["status", "checkin", "updated_at"])
    _withdraw_reminders(meeting, kinds=MEETING_KINDS, why="its check-in was logged")
    return meeting


def meetings_cancel_on_close(*, partnership: Partnership, by) -> None:
    """A partnership that ends (or pauses) calls off its next meeting in both calendars."""
    for meeting in partnership.meetings.upcoming():
        meeting.partnership = partnership
        meeting_cancel(meeting=meeting, by=by)


def _copy(source: Meeting, target: Meeting) -> None:
    for field in Meeting._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _after_change(meeting: Meeting, partnership: Partnership, *, by, verb: str, said: str):
    """What every change does: due date, reminders, invitations, the feed and the partner."""
    meeting.partnership = partnership
    _refresh_due(partnership)
    _withdraw_reminders(meeting, kinds=MEETING_KINDS, why="the meeting changed")
    if meeting.status == Meeting.Status.SCHEDULED:
        _schedule_reminders(meeting, partnership)
        # Its invitation and "meeting tomorrow" say it better than an all-day "coming up".
        Reminder.objects.filter(
            partnership=partnership,
            kind=ReminderKind.CHECKIN_UPCOMING,
            status=ReminderStatus.PENDING,
        ).update(
            status=ReminderStatus.SKIPPED,
            last_error="Skipped: a meeting is scheduled; its invitation covers it.",
            updated_at=timezone.now(),
        )
    _queue_invitations(meeting, partnership)
    partner = partnership.partner_of(by)
    when = _when(meeting, partner)
    summary = {
        "proposed": f"proposed a meeting on {when}",
        "accepted": f"accepted the meeting on {when}",
        "suggested": f"suggested another time for your meeting: {when}",
        "cancelled": f"cancelled the meeting of {when}",
    }[said]
    activity_record(partnership=partnership, actor=by, verb=verb, summary=summary)
    # The invitation email tells the partner; the notification is the entry in the app.
    notification_send_to_partners(
        partnership=partnership,
        by=by,
        kind=NotificationKind.MEETING,
        summary=summary,
        link=_workspace_link(partnership),
        email=False,
    )


def _refresh_due(partnership: Partnership) -> None:
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    due = locked.next_checkin_due()
    if due != locked.next_checkin_due_on:
        locked.next_checkin_due_on = due
        locked.save(update_fields=["next_checkin_due_on", "updated_at"])
        health_facts_clear(partnership_id=partnership.pk)
    partnership.next_checkin_due_on = due


def _row(meeting, partnership, user, *, kind, period, moment) -> Reminder:
    tz = user.tzinfo
    return Reminder(
        recipient=user,
        kind=kind,
        programme_id=partnership.programme_id,
        partnership=partnership,
        subject_key=f"meeting:{meeting.pk}",
        period=period,
        due_on=moment.astimezone(tz).date(),
        send_after=moment,
    )


def _queue_invitations(meeting: Meeting, partnership: Partnership) -> None:
    """Both partners' invitations for this version of the meeting, due now."""
    now = timezone.now()
    Reminder.objects.bulk_create(
        [
            _row(
                meeting,
                partnership,
                user,
                kind=ReminderKind.MEETING_INVITATION,
                period=f"seq-{meeting.sequence}",
                moment=now,
            )
            for user in partnership.members
        ],
        ignore_conflicts=True,
    )


def _schedule_reminders(meeting: Meeting, partnership: Partnership) -> None:
    """Each partner's "tomorrow" reminder 24 hours before (held out of their quiet hours;
    none if that is already past or would land within the hour before the meeting) and
    "log this check-in" half an hour after it ends."""
    programme = partnership.programme
    now = timezone.now()
    period = f"{meeting.starts_at:%Y%m%dT%H%MZ}/{meeting.sequence}"
    rows = []
    for user in partnership.members:
        tz = user.tzinfo
        before = timing.next_allowed(meeting.starts_at - DAY_BEFORE, tz, programme)
        if (
            now <= meeting.starts_at - DAY_BEFORE
            and before <= meeting.starts_at - datetime.timedelta(hours=1)
        ):
            rows.append(
                _row(
                    meeting,
                    partnership,
                    user,
                    kind=ReminderKind.MEETING_TOMORROW,
                    period=period,
                    moment=before,
                )
            )
        after = timing.next_allowed(meeting.ends_at + LOG_AFTER, tz, programme)
        rows.append(
            _row(
                meeting,
                partnership,
                user,
                kind=ReminderKind.MEETING_LOG,
                period=period,
                moment=after,
            )
        )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)


def _withdraw_reminders(meeting: Meeting, *, kinds, why: str) -> None:
    Reminder.objects.filter(
        subject_key=f"meeting:{meeting.pk}", kind__in=kinds, status=ReminderStatus.PENDING
    ).update(
        status=ReminderStatus.SKIPPED,
        last_error=f"Skipped: {why}.",
        updated_at=timezone.now(),
    )
