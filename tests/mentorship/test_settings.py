"""Settings read the environment strictly and refuse unsafe production setups."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import mentorship.settings as s; print(s.DEBUG, s.SITE_URL)"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_a_typo_in_a_boolean_is_an_error_not_false():
    result = load_settings(DEBUG="flase")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr and "Not a valid boolean" in result.stderr


def test_production_refuses_the_default_secret_key():
    result = load_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set to a long random value when DEBUG is off" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = load_settings(DEBUG="false", SECRET_KEY="x" * 50, SITE_URL="https://mentor.example")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "https://mentor.example"]


def test_every_user_has_a_time_zone(db):
    from tests.builders import make_user

    assert make_user("Zed Zone").time_zone == "UTC"
    assert str(make_user("Tia Tokyo", time_zone="Asia/Tokyo").tzinfo) == "Asia/Tokyo"


def test_an_unknown_time_zone_is_refused(db):
    import pytest
    from django.core.exceptions import ValidationError

    from tests.builders import make_user

    person = make_user("Tom Typo")
    person.time_zone = "Europe/Lodnon"
    with pytest.raises(ValidationError) as refused:
        person.full_clean()
    assert "time_zone" in refused.value.message_dict


def test_emails_are_unique_whatever_their_case(db):
    import pytest
    from django.db import IntegrityError

    from tests.builders import make_user

    make_user("Ada", email="ada@example.org")
    with pytest.raises(IntegrityError):
        make_user("Ada Again", email="Ada@example.org")


def test_beat_runs_its_schedule_in_utc():
    from mentorship.celery import app

    assert app.conf.timezone == "UTC"
    assert app.conf.beat_schedule["heartbeat"]["task"] == "mentorship.tasks.heartbeat"


def test_the_deploy_checklist_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            # Browser tests allow Django's ORM inside Playwright's loop; production never does.
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DEBUG": "false",
            "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmn",
            "EMAIL_HOST": "smtp.example.org",
            "ALLOWED_HOSTS": "mentor.example.org",
            "SITE_URL": "https://mentor.example.org",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
