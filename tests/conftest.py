"""Shared fixtures: a programme with a coordinator, a mentor, a mentee and outsiders."""

import datetime
import os

import pytest
import time_machine

from tests.builders import make_coordinator_of, make_partnership, make_programme, make_user

# The W3C Nu HTML checker as a session fixture, `html_checker`, for every folder.
pytest_plugins = ("tests.html_validity",)


def pytest_sessionstart(session):
    """Fail at once, with how to fix it, when PostgreSQL or Redis is not there."""
    from pytest_django.plugin import blocking_manager_key

    from mentorship.services_check import unreachable_services

    with session.config.stash[blocking_manager_key].unblock():
        problems = unreachable_services()
    if problems:
        pytest.exit("\n\n".join(problems), returncode=2)


@pytest.fixture(autouse=True, scope="session")
def test_clock():
    """TEST_CLOCK=2026-11-30T02:00Z runs the tests as if started then (the clock ticks on),
    to find tests that pass only at some hours: CI runs at any time of day. Only this
    process moves; tests that start servers or workers in subprocesses are not meant for it."""
    moment = os.environ.get("TEST_CLOCK")
    if not moment:
        yield
        return
    with time_machine.travel(datetime.datetime.fromisoformat(moment), tick=True):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(request, settings):
    """Every test hashes passwords with MD5: production's PBKDF2 is slow on purpose (about
    0.4 s a password) and the tests create many people. A test that needs production's
    hashers asks for them with ``@pytest.mark.real_password_hashing(reason=...)``, saying why;
    then nothing here changes the settings, and its people get production's hashes too."""
    marker = request.node.get_closest_marker("real_password_hashing")
    if marker is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    elif not marker.kwargs.get("reason"):
        pytest.fail("@pytest.mark.real_password_hashing needs a reason= saying why")


@pytest.fixture
def programme(db):
    return make_programme("Spring Cohort")


@pytest.fixture
def coordinator(programme):
    return make_coordinator_of(programme, "Cora Coordinator")


@pytest.fixture
def mentor(db):
    return make_user("Mara Mentor", time_zone="Europe/London")


@pytest.fixture
def mentee(db):
    return make_user("Milo Mentee", time_zone="America/New_York")


@pytest.fixture
def outsider(db):
    """Logged in, but in no partnership and no programme."""
    return make_user("Olga Outsider")


@pytest.fixture
def partnership(programme, mentor, mentee):
    return make_partnership(programme, mentor, mentee)


@pytest.fixture
def other_programme(db):
    return make_programme("Autumn Cohort")


@pytest.fixture
def other_coordinator(other_programme):
    return make_coordinator_of(other_programme, "Otto Coordinator")


@pytest.fixture
def other_partnership(other_programme):
    return make_partnership(
        other_programme, make_user("Nina Othermentor"), make_user("Neil Othermentee")
    )
