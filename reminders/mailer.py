"""One SMTP connection per worker process (per thread), kept open between reminders.

Opening a connection per message (connect, EHLO, QUIT: what ``message.send()`` does)
costs more than sending a reminder over an open one. A connection idle for a while is
checked with NOOP before it is trusted again, one that failed is never reused, and any
change to MAILERS (tests) drops it. Backends other than SMTP (files, memory) send as
before: one connection each, so each file-based email stays one file.
"""

import contextlib
import smtplib
import threading
import time

from django.core import mail
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.signals import setting_changed
from django.dispatch import receiver

# Streaming sends never pay for the NOOP; a connection idle longer is checked first.
CHECK_AFTER_IDLE_SECONDS = 2.0

_kept = threading.local()


def send(message) -> None:
    """Send ``message`` through the default mailer, over this thread's open connection."""
    backend = _connection()
    if backend is None:
        message.send()
        return
    try:
        backend.send_messages([message])
    except BaseException:
        close()  # its state is unknown: never send over it again
        raise
    _kept.last_used = time.monotonic()


def _connection() -> SMTPBackend | None:
    backend = getattr(_kept, "backend", None)
    idle = backend is not None and time.monotonic() - _kept.last_used > CHECK_AFTER_IDLE_SECONDS
    if idle and not _answers(backend):
        close()
        backend = None
    if backend is None:
        backend = mail.mailers.default
        if not isinstance(backend, SMTPBackend):
            return None
        backend.open()  # raises on failure (the caller retries later)
        _kept.backend, _kept.last_used = backend, time.monotonic()
    return backend


def _answers(backend: SMTPBackend) -> bool:
    try:
        return backend.connection is not None and backend.connection.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False


def close() -> None:
    backend = getattr(_kept, "backend", None)
    _kept.backend = None
    if backend is not None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            backend.close()


@receiver(setting_changed)
def _mailers_changed(*, setting, **kwargs):
    if setting == "MAILERS":
        close()
