"""What partners write for each other, marked once per model.

A model holding partners' own words lists those fields in ``PRIVATE_FIELDS``. Every check
is derived from that one list: the admin refuses to show, filter, search, sort or export
them, the workspace's "What your coordinator sees" panel names them as never seen, and the
tests enumerate them. Coordinators see the rest: dates, counts, statuses and ratings.
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

# The apps whose models hold partnerships and what happens in them.
DATA_APPS = ("partnerships", "goals")


def private_fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(getattr(model, "PRIVATE_FIELDS", ()))


def private_field_reached(model: type[models.Model], path: str) -> str | None:
    """The private field that a lookup path such as ``checkin__agenda__gte`` reaches from
    ``model``, as ``"CheckIn.agenda"``, or None. Whatever follows the field (``gte``,
    ``regex``, ``lower``) does not matter: any comparison with a private value reveals it."""
    current = model
    for part in path.split("__"):
        if part in private_fields(current):
            return f"{current.__name__}.{part}"
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None  # a lookup or transform: the path has left the fields
        if not field.is_relation:
            return None
        current = field.related_model
    return None


def models_with_private_fields() -> list[type[models.Model]]:
    return [
        model
        for app in DATA_APPS
        for model in apps.get_app_config(app).get_models()
        if private_fields(model)
    ]
