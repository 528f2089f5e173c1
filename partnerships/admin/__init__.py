from partnerships.admin import checkins, partnerships, programmes, reminders  # noqa: F401  (registers)
