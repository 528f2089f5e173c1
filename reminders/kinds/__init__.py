"""The kinds of reminder. Each module finds what is due (``candidates``), says whether a
row is still worth sending when its moment comes (``still_due``) and what the email needs
(``context``)."""

from types import ModuleType

from partnerships.models.reminder import ReminderKind
from reminders.kinds import (
    agreements,
    checkin_parts,
    checkins,
    digest,
    goals,
    matches,
    meetings,
    notifications,
    retention,
    surveys,
    wrap_up,
)

# Modules that find due reminders; checkins finds two kinds in one pass.
FINDERS: tuple[ModuleType, ...] = (
    checkins,
    checkin_parts,
    goals,
    agreements,
    digest,
    wrap_up,
    surveys,
    retention,
    matches,
)

MODULE_OF: dict[str, ModuleType] = {
    ReminderKind.CHECKIN_UPCOMING: checkins,
    ReminderKind.CHECKIN_OVERDUE: checkins,
    ReminderKind.CHECKIN_PART: checkin_parts,
    ReminderKind.GOAL_REVISIT: goals,
    ReminderKind.AGREEMENT_SIGNATURE: agreements,
    ReminderKind.COORDINATOR_DIGEST: digest,
    ReminderKind.WRAP_UP: wrap_up,
    ReminderKind.SURVEY: surveys,
    ReminderKind.RETENTION_NOTICE: retention,
    ReminderKind.MATCH_WAITING: matches,
    ReminderKind.MEETING_INVITATION: meetings,
    ReminderKind.MEETING_TOMORROW: meetings,
    ReminderKind.MEETING_LOG: meetings,
    ReminderKind.NOTIFICATION: notifications,
    ReminderKind.NOTIFICATION_DIGEST: notifications,
}

# One line in every email: why this person got it.
WHY: dict[str, str] = {
    ReminderKind.CHECKIN_UPCOMING: "You are in this partnership; its next check-in is due soon.",
    ReminderKind.CHECKIN_OVERDUE: "You are in this partnership, and its check-in is overdue.",
    ReminderKind.CHECKIN_PART: "Your partner logged a check-in, and it is waiting for your part.",
    ReminderKind.GOAL_REVISIT: "This is your goal, and its target date is near or has passed.",
    ReminderKind.AGREEMENT_SIGNATURE: "Your partnership's agreement is waiting for your signature.",
    ReminderKind.COORDINATOR_DIGEST: "You coordinate this programme; this digest comes weekly.",
    ReminderKind.WRAP_UP: "You are in this partnership, and its programme ends soon.",
    ReminderKind.SURVEY: "Your programme asks its participants this survey.",
    ReminderKind.RETENTION_NOTICE: "You took part in this programme, and its retention "
    "setting deletes reflections on the day given.",
    ReminderKind.MATCH_WAITING: matches.WHY,
    ReminderKind.MEETING_INVITATION: "You are one of the two partners this meeting is for.",
    ReminderKind.MEETING_TOMORROW: "You and your partner scheduled this meeting for tomorrow.",
    ReminderKind.MEETING_LOG: "Your meeting has ended and its check-in is not logged yet.",
    ReminderKind.NOTIFICATION: "Something happened that concerns you.",
    ReminderKind.NOTIFICATION_DIGEST: notifications.DIGEST_WHY,
}
