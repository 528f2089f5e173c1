"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and can be
told to answer "try again later", to stall, or be stopped and started on the same port."""

import asyncio
import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller

from tests.waiting import wait_until


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """The SMTP handler: received messages, parsed, in arrival order."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.raw: list[bytes] = []  # the same messages, as received
        self.reply: str | None = None  # e.g. "451 4.3.0 Try again later"
        self.stall_seconds = 0.0  # hold the DATA reply this long (to kill a sender mid-send)
        self.data_started = threading.Event()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.reply:
            return self.reply
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            # Accepted the moment the data is in: a sender that dies before our 250 and
            # sends again produces a second copy, as with a real server.
            self.messages.append(message)
            self.raw.append(envelope.content)
        self.data_started.set()
        if self.stall_seconds:
            # The stall is the behaviour under test (a server slow to say "250"), not a wait.
            await asyncio.sleep(self.stall_seconds)
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, *, timeout: float) -> list:
        """The messages received, once there are at least ``count`` of them."""

        def received():
            with self._lock:
                return list(self.messages) if len(self.messages) >= count else None

        return wait_until(
            received,
            timeout=timeout,
            message=lambda: f"{len(self.messages)} of {count} messages arrived",
        )


class SMTPServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> "SMTPServer":
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller:
            self._controller.stop()
            self._controller = None

    def mailer(self) -> dict:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }
