"""`make run` takes PORT, and says so in one line when that port is taken, instead of the
whole stack starting only to stop on the web server's error."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_ports(count: int) -> int:
    """The first of `count` consecutive ports that are free now."""
    for _ in range(50):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            first = sock.getsockname()[1]
        if first + count <= 65535 and all(bindable(port) for port in range(first, first + count)):
            return first
    raise AssertionError("no run of free ports found")


def bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def occupy(stack: ExitStack, port: int, host: str = "127.0.0.1") -> None:
    """Listen on the port as another program would, until the test ends."""
    sock = stack.enter_context(socket.socket())
    sock.bind((host, port))
    sock.listen()


@pytest.fixture
def embedded_env(tmp_path):
    """No services and a var/ of its own: whatever runs by mistake touches nothing shared."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "EMAIL_HOST", "DJANGO_SETTINGS_MODULE", "PORT")
    }
    env["VAR_DIR"] = str(tmp_path / "var")
    return env


def check_port(env, port: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check_port", str(port)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_taken_port_is_named_with_the_next_free_one_to_use(embedded_env):
    port = free_ports(3)
    with ExitStack() as stack:
        occupy(stack, port)
        occupy(stack, port + 1)
        result = check_port(embedded_env, port)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        f"Port {port} is in use; run `make run PORT={port + 2}`"
    )


def test_a_port_taken_on_every_address_counts_as_taken(embedded_env):
    port = free_ports(2)
    with ExitStack() as stack:
        occupy(stack, port, host="0.0.0.0")
        result = check_port(embedded_env, port)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"Port {port} is in use; run `make run PORT={port + 1}`"
    )


def test_a_free_port_passes_without_a_word(embedded_env):
    result = check_port(embedded_env, free_ports(1))
    assert (result.returncode, result.stdout) == (0, "")
    assert "in use" not in result.stderr


def test_a_port_out_of_range_is_refused_with_its_range(embedded_env):
    result = check_port(embedded_env, 70000)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "CommandError: PORT must be a number from 1 to 65535, not 70000."
    )


def run_make(env, *args, timeout=120) -> subprocess.CompletedProcess:
    """`make` in its own process group, so that anything it started by mistake is stopped."""
    process = subprocess.Popen(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        stdout, stderr = process.communicate()
        raise AssertionError(f"make {' '.join(args)} did not stop:\n{stdout}\n{stderr}") from None
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.slow
def test_make_run_on_a_taken_port_says_which_and_starts_nothing(embedded_env, tmp_path):
    port = free_ports(2)
    with ExitStack() as stack:
        occupy(stack, port)
        result = run_make(embedded_env, "run", f"PORT={port}")
    assert result.returncode != 0
    assert f"Port {port} is in use; run `make run PORT={port + 1}`" in result.stderr.splitlines()
    # Stopped before migrating: no database was made, no demo seeded, nothing started.
    assert not (tmp_path / "var" / "db.sqlite3").exists()
    assert "manage.py migrate" not in result.stdout
    assert "honcho" not in result.stdout


@pytest.mark.slow
def test_the_web_process_listens_on_the_port_make_run_passes(embedded_env):
    port = free_ports(1)
    env = {**embedded_env, "WEB_PORT": str(port)}
    honcho = subprocess.Popen(
        [sys.executable, "-m", "honcho", "start", "-f", "Procfile.dev", "web"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    try:
        # runserver answers once its checks have run; wait for that, up to a minute.
        deadline, page = time.monotonic() + 60, b""
        while not page and time.monotonic() < deadline and honcho.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as r:
                    page = r.read()
            except OSError:
                time.sleep(0.2)
        assert b"Log in" in page, f"nothing answered on port {port}"
    finally:
        os.killpg(honcho.pid, signal.SIGTERM)
        honcho.wait(timeout=30)
