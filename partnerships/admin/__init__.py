from partnerships.admin import (  # noqa: F401  (registers)
    action_log,
    checkins,
    invitations,
    matching,
    partnerships,
    programmes,
    reminders,
)
