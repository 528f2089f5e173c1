"""Valid HTML, as the W3C Nu HTML checker reads it.

The checker is ``vnu.jar`` from npm's ``vnu-jar`` (pinned in package.json, installed by
``npm ci``), run on the machine's Java (17 or later). A JVM takes 3-4 s to start, so the
checker runs once per test session as a small HTTP service on loopback, and each page
then costs one POST (about 40 ms).

Use it through the ``html_checker`` fixture (tests/conftest.py loads this module as a
plugin, so every folder has it)::

    def test_my_page_is_valid_html(client, html_checker):
        assert html_checker.errors(client.get(url)) == []

``errors`` takes a response or a string, and returns one readable line per error (with
the line and an extract of the source); warnings are not errors. An htmx fragment is not
a document: ``html_checker.fragment_errors(html)`` checks it inside a minimal one.
"""

import json
import shutil
import socket
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
START_TIMEOUT = 60  # seconds: the first start reads its schemas (about 8 s on 2 cores)

FRAGMENT_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fragment</title>'
    "</head><body><main>{}</main></body></html>"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NuChecker:
    """The Nu checker as a local service: ``errors(html)`` asks it about one document."""

    def __init__(self):
        java = shutil.which("java")
        if java is None:
            pytest.fail("Java is missing: the HTML checker needs it (`make system-packages`).")
        if not VNU_JAR.exists():
            pytest.fail("vnu.jar is missing: run `npm ci` at the top of the project.")
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/?out=json"
        self.process = subprocess.Popen(
            [
                java,
                "-Xmx512m",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(
            self._answers,
            timeout=START_TIMEOUT,
            message=lambda: f"the HTML checker did not start on port {self.port}",
            interval=0.25,
        )

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"the HTML checker stopped at start (exit {self.process.returncode})")
        try:
            self.messages("<!doctype html><title>ready</title>")
        except (urllib.error.URLError, ConnectionError):
            return False
        return True

    def messages(self, html: str) -> list[dict]:
        request = urllib.request.Request(
            self.url,
            data=html.encode(),
            headers={"Content-Type": "text/html; charset=utf-8"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.load(answer)["messages"]

    def errors(self, page) -> list[str]:
        """The errors in a whole document (a string, or a Django or test-client response)."""
        html = page if isinstance(page, str) else page.content.decode()
        lines = html.splitlines()
        found = []
        for message in self.messages(html):
            if message["type"] not in ("error", "non-document-error"):
                continue
            line = message.get("lastLine")
            source = lines[line - 1].strip()[:160] if line and line <= len(lines) else ""
            found.append(f"line {line}: {message['message']} | {source}")
        return found

    def fragment_errors(self, fragment) -> list[str]:
        """The errors in an htmx fragment, checked inside a minimal document."""
        html = fragment if isinstance(fragment, str) else fragment.content.decode()
        return self.errors(FRAGMENT_PAGE.format(html))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="session")
def html_checker():
    checker = NuChecker()
    yield checker
    checker.stop()
