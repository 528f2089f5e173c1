"""Waiting for something another process or thread does: poll for the condition itself,
with a deadline, instead of sleeping for a time that is usually enough."""

import time
from collections.abc import Callable


def wait_until[T](
    condition: Callable[[], T],
    *,
    timeout: float,
    message: str | Callable[[], str],
    interval: float = 0.05,
) -> T:
    """Call ``condition`` until it returns something true, and return that. After ``timeout``
    seconds, fail the test with ``message`` (a callable is called only then: reading logs
    is for failures). The condition is checked once more at the deadline, so a slow last
    poll never fails a test whose condition did come true."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(
                f"waited {timeout:g} s: {message() if callable(message) else message}"
            )
        time.sleep(min(interval, max(deadline - time.monotonic(), 0)))
