"""Small builders for test data: named people in programmes and partnerships."""

import datetime
import importlib
import itertools

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from coordinators.group import make_coordinator
from partnerships import services
from partnerships.models import Participant, Programme, Survey

PASSWORD = "correct-horse-battery-staple"
_serial = itertools.count(1)


def make_user(name: str, *, email: str | None = None, time_zone: str = "UTC", **extra):
    email = email or f"{name.lower().replace(' ', '.')}.{next(_serial)}@example.org"
    return get_user_model().objects.create_user(
        email=email, password=PASSWORD, name=name, time_zone=time_zone, **extra
    )


def today_for(person) -> datetime.date:
    """The date on the person's own calendar: what a check-in they hold now is dated."""
    return timezone.localdate(timezone=person.tzinfo)


def make_programme(name: str = "Spring Cohort", **extra) -> Programme:
    today = timezone.localdate()
    defaults = {
        "slug": f"{name.lower().replace(' ', '-')}-{next(_serial)}",
        "starts_on": today - datetime.timedelta(days=90),
        "ends_on": today + datetime.timedelta(days=90),
    }
    return Programme.objects.create(name=name, **{**defaults, **extra})


def make_coordinator_of(programme: Programme, name: str = "Cora Coordinator"):
    user = make_user(name)
    make_coordinator(user, programme)
    return user


def join(programme: Programme, user, role: str, **extra) -> Participant:
    return Participant.objects.create(programme=programme, user=user, role=role, **extra)


def make_partnership(programme: Programme, mentor_user, mentee_user, *, active: bool = True):
    """A partnership between two people, joined to the programme on the way if needed."""
    mentor = Participant.objects.filter(programme=programme, user=mentor_user).first() or join(
        programme, mentor_user, "mentor", capacity=3
    )
    mentee = Participant.objects.filter(programme=programme, user=mentee_user).first() or join(
        programme, mentee_user, "mentee"
    )
    partnership = services.partnership_create(programme=programme, mentor=mentor, mentee=mentee)
    if active:
        services.partnership_activate(partnership=partnership, by=mentor_user)
        partnership.refresh_from_db()
    return partnership


def builtin_survey(kind: str) -> Survey:
    """A built-in survey template, as migration 0011 installs it.

    A browser or worker test empties every table when it ends, the migration's rows too,
    so the tests that run after one put the templates back with the migration's own code.
    """
    if not Survey.objects.templates().exists():
        migration = importlib.import_module(
            "partnerships.migrations.0011_programme_life_surveys_retention"
        )
        migration.add_templates(apps, schema_editor=None)
    return Survey.objects.templates().get(kind=kind)
