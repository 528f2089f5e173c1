from partnerships.admin import checkins, partnerships, programmes  # noqa: F401  (registers)
