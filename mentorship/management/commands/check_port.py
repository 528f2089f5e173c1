import socket
import sys

from django.core.management.base import BaseCommand, CommandError

# How far past a taken port to look for a free one to suggest.
LOOK_AHEAD = 100


def port_is_free(host: str, port: int) -> bool:
    """True if the web server could listen on host:port. Binds as runserver does
    (SO_REUSEADDR), so a port left in TIME_WAIT by a server just stopped counts as free."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


class Command(BaseCommand):
    help = (
        "Exit non-zero with one clear line if the web server's port is taken (`make run` "
        "runs it first, so the stack does not start only to stop on runserver's error)."
    )
    requires_system_checks = []  # about a port, not the project: answer at once

    def add_arguments(self, parser):
        parser.add_argument("port", type=int)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port: int, host: str, **options):
        if not 0 < port < 65536:
            raise CommandError(f"PORT must be a number from 1 to 65535, not {port}.")
        if port_is_free(host, port):
            return
        free = next(
            (
                candidate
                for candidate in range(port + 1, min(port + LOOK_AHEAD, 65535) + 1)
                if port_is_free(host, candidate)
            ),
            None,
        )
        suggestion = f"make run PORT={free}" if free else "make run PORT=<a free port>"
        # One plain line without CommandError's "CommandError:" prefix: a person starting
        # the demo reads it, and what to type next is all it needs to say.
        self.stderr.write(f"Port {port} is in use; run `{suggestion}`")
        sys.exit(1)
