"""The admin site, by what it shows. Importing each module registers its admins (the
reminders' admin lives in reminders/admin.py, with the rest of the reminders)."""

from coordinators.admin import (  # noqa: F401  (registers)
    action_log,
    checkins,
    goals,
    invitations,
    matching,
    partnerships,
    people,
    programmes,
    surveys,
)
