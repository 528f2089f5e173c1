"""Counting requests per key in a fixed window, in the shared cache (Redis in production,
so every worker process counts together).

For public forms that send email or write rows (sign-up): logins have django-axes, which
counts failures per account and address; here every attempt counts, failed or not.
"""

from django.core.cache import cache

_PREFIX = "rate:"


def rate_allows(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt under ``key``; False once more than ``limit`` were counted in the
    window that began with the first (the window does not slide: a burst at its end and
    one at the next window's start can both pass, which bounds the rate at twice the limit)."""
    full = _PREFIX + key
    # add() sets the window's expiry once; incr() never touches it.
    cache.add(full, 0, timeout=window_seconds)
    try:
        count = cache.incr(full)
    except ValueError:  # expired between the two calls: a fresh window
        cache.add(full, 1, timeout=window_seconds)
        count = 1
    return count <= limit


def rate_reset(key: str) -> None:
    cache.delete(_PREFIX + key)
