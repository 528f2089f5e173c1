"""One mail connection per batch of reminders: opened by the first send, reused by the
rest of the batch, closed when the batch ends.

Opening an SMTP connection per message (connect, EHLO, QUIT: what ``message.send()``
does) costs more than sending a reminder over an open one. A batch is short (it stops at
half its lease), so its connection needs no keep-alive checks; one whose send failed is
in an unknown state and is closed, and the next send opens another. The same holds for
every backend: the file backend of ``make run`` writes a batch's reminders to one file.
"""

import contextlib
import smtplib

from django.core import mail


class BatchMailer:
    """The default mailer (MAILERS) for one batch: ``with BatchMailer() as mailer:``."""

    def __init__(self):
        self.backend = None

    def __enter__(self) -> "BatchMailer":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def send(self, message) -> None:
        """Send ``message`` over the batch's connection, opening one if there is none.
        Any failure (to connect as well as to send) is raised for the caller to retry."""
        try:
            if self.backend is None:
                self.backend = mail.mailers.default
                # Opened here, send_messages leaves it open (it closes only what it opens).
                self.backend.open()
            self.backend.send_messages([message])
        except BaseException:
            self.close()  # its state is unknown: never send over it again
            raise

    def close(self) -> None:
        backend, self.backend = self.backend, None
        if backend is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                backend.close()
