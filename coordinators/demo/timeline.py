"""Demo data that tells the time right: whatever the services record inside
``happened_at(moment)`` is dated ``moment``, not the moment the demo was loaded. So a goal
set in September reads "created in September" above its September revisions, and an
agreement proposed in August was signed in August."""

import contextlib
import datetime
import functools

from django.apps import apps
from django.db import models
from django.utils import timezone

# What the services write while the demo is seeded (every model costs a query per field
# per block: all of the data apps' models made loading the demo twice as slow).
DATED_MODELS = (
    "partnerships.Programme",
    "partnerships.Participant",
    "partnerships.Partnership",
    "partnerships.Agreement",
    "partnerships.CheckIn",
    "partnerships.Reflection",
    "partnerships.Feedback",
    "partnerships.ClosingReflection",
    "partnerships.Activity",
    "partnerships.CoordinatorAction",
    "partnerships.Notification",
    "partnerships.Survey",
    "partnerships.SurveyResponse",
    "goals.Goal",
    "goals.GoalRevision",
    "goals.GoalChangeProposal",
    "goals.NextStep",
    "goals.GoalReview",
)


@functools.cache
def _dated_fields() -> list[tuple[type[models.Model], str]]:
    return [
        (model, field.name)
        for model in map(apps.get_model, DATED_MODELS)
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateTimeField)
    ]


def moment_on(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@contextlib.contextmanager
def happened_at(moment: datetime.datetime):
    """Every date-and-time written inside the block (created, signed, decided, done…)
    becomes ``moment``. The demo runs in one transaction in a few seconds, so a row
    stamped at or after the block began was stamped inside it."""
    began = timezone.now()
    yield
    for model, name in _dated_fields():
        model.objects.filter(**{f"{name}__gte": began}).update(**{name: moment})
