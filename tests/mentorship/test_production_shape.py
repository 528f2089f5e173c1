"""docker-compose.yml cannot run here (no Docker engine), so test what can be tested:
its services and health checks, and that its commands boot with production settings
against the real PostgreSQL and Redis."""

import json
import os
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(**overrides):
    """The compose file's environment for the app, pointed at this machine's services."""
    env = dict(os.environ)

    def interpolate(match):  # compose's ${NAME:-default} and ${NAME:?error}
        name, kind, rest = match.group(1), match.group(2), match.group(3)
        return os.environ.get(name) or (rest if kind == ":-" else "")

    for name, value in SERVICES["web"]["environment"].items():
        env[name] = re.sub(r"\$\{(\w+)(:[-?])?([^}]*)\}", interpolate, str(value))
    env.update(
        DATABASE_URL=os.environ["DATABASE_URL"],
        REDIS_URL=os.environ["REDIS_URL"],
        SECRET_KEY="a-production-like-secret-key-for-the-test-only-0123456789",
        ALLOWED_HOSTS="localhost,127.0.0.1",
        VAR_DIR=env.get("VAR_DIR", str(ROOT / "var")),
        **overrides,
    )
    return env


def test_compose_has_the_production_shape():
    assert set(SERVICES) == {"postgres", "redis", "migrate", "web", "worker", "beat"}
    for name in ("postgres", "redis", "web", "worker"):
        assert SERVICES[name]["healthcheck"]["test"], name
    assert SERVICES["web"]["command"][:2] == ["gunicorn", "mentorship.wsgi"]
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "mentorship", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "mentorship", "beat"]


def test_every_app_container_shares_one_directory_of_uploaded_photos():
    for name in ("migrate", "web", "worker", "beat"):
        service = SERVICES[name]
        assert f"media:{service['environment']['MEDIA_ROOT']}" in service["volumes"], name
    assert "media" in COMPOSE["volumes"]


def test_compose_configures_the_app_with_the_documented_variables():
    documented = {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "SITE_URL",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "DEFAULT_FROM_EMAIL",
    }
    environment = SERVICES["web"]["environment"]
    assert documented <= set(environment)
    assert environment["DEBUG"] == "false"
    assert "?" in environment["SECRET_KEY"], "compose must refuse to start without SECRET_KEY"
    settings_source = (ROOT / "mentorship" / "settings.py").read_text()
    for name in environment:
        assert f'"{name}"' in settings_source, f"{name} is not read by the settings"


@pytest.mark.slow
def test_the_web_command_serves_health_with_production_settings():
    port = free_port()
    command = [str(BIN / "gunicorn"), *SERVICES["web"]["command"][1:]]
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    web = subprocess.Popen(command, cwd=ROOT, env=production_env(), stderr=subprocess.DEVNULL)
    try:

        def health():
            try:
                with urllib.request.urlopen(f"http://localhost:{port}/healthz", timeout=2) as r:
                    return json.loads(r.read())
            except OSError:
                return None  # not listening yet

        body = wait_until(health, timeout=30, message="gunicorn never answered /healthz")
        assert body == {"database": "ok", "redis": "ok"}
    finally:
        web.terminate()
        web.wait(timeout=20)


@pytest.mark.slow
def test_the_worker_command_answers_a_ping_through_redis():
    command = [
        str(BIN / "celery"),
        *SERVICES["worker"]["command"][1:],
        "--pool=solo",
        "--hostname=compose-test@%h",
    ]
    env = production_env()
    worker = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:

        def answers_ping():
            ping = subprocess.run(
                [
                    str(BIN / "celery"),
                    "-A",
                    "mentorship",
                    "inspect",
                    "ping",
                    "--timeout",
                    "2",
                    "-d",
                    f"compose-test@{socket.gethostname()}",
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            return ping.returncode == 0 and "pong" in ping.stdout

        wait_until(answers_ping, timeout=40, message="the worker never answered a ping")
    finally:
        worker.terminate()
        worker.wait(timeout=20)


# --- .env.example (issue 7) --------------------------------------------------------------
def variables_read_by_the_settings() -> set[str]:
    source = (ROOT / "mentorship" / "settings.py").read_text()
    return set(re.findall(r'env\.\w+\(\s*"([A-Z][A-Z0-9_]*)"', source))


def variables_read_by_compose() -> set[str]:
    source = (ROOT / "docker-compose.yml").read_text()
    interpolated = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", source))
    return interpolated | set(SERVICES["web"]["environment"])


def variables_in_env_example() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {m[1] for line in lines if (m := re.match(r"#? ?([A-Z][A-Z0-9_]*)=", line))}


def test_the_settings_read_the_variables_we_expect():
    # Guards the parser below: if it found nothing, the next test would prove nothing.
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_HOST"} <= (
        variables_read_by_the_settings()
    )


def test_env_example_lists_every_variable_the_settings_and_compose_read():
    needed = variables_read_by_the_settings() | variables_read_by_compose()
    assert needed - variables_in_env_example() == set()


def test_env_example_names_only_variables_that_something_reads():
    read = variables_read_by_the_settings() | variables_read_by_compose()
    assert variables_in_env_example() - read == set()


def test_env_example_holds_no_secret_and_env_stays_out_of_the_image():
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert example["SECRET_KEY"] == ""
    assert example["EMAIL_HOST_PASSWORD"] == ""
    assert ".env" in (ROOT / ".dockerignore").read_text().splitlines()
