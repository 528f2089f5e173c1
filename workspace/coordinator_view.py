"""What coordinators can read about a partnership, derived from the models' PRIVATE_FIELDS.

Partners are told who reads what in two places: the "What your coordinator sees" panel in
each workspace and a line under every form that asks for their words or ratings. Both are
generated here from the one list the admin's refusals are derived from
(``partnerships.privacy``), so a field marked private, or a new field that is not, changes
what partners are told without anyone rewriting a sentence.
"""

import functools
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.text import capfirst

from partnerships.privacy import models_with_private_fields, private_fields

# Keys and constant columns: how rows are found and checked, not anything about people.
INTERNAL_FIELDS = frozenset({"id", "code", "mentor_role", "mentee_role"})
# A record's link to the partnership, check-in or goal it belongs to says nothing more
# than the panel's grouping already does.
CONTAINERS = ("partnerships.Partnership", "partnerships.CheckIn", "goals.Goal")
# Records without partners' words that coordinators read about a partnership: the feed.
ALSO_SHOWN = ("partnerships.Activity",)
# The panel's reading order; a model that is not named here still appears, last.
READING_ORDER = (
    "partnerships.Partnership",
    "partnerships.Agreement",
    "goals.Goal",
    "goals.GoalRevision",
    "goals.GoalChangeProposal",
    "partnerships.CheckIn",
    "goals.GoalReview",
    "partnerships.Reflection",
    "partnerships.Feedback",
    "goals.NextStep",
    "partnerships.ClosingReflection",
    "partnerships.Activity",
)


def shareable_fields(model: type[models.Model]) -> dict[str, str]:
    """Private fields whose writer may show them to the coordinator, with the flag field."""
    return dict(getattr(model, "SHAREABLE_FIELDS", {}))


@dataclass(frozen=True)
class Record:
    """One kind of record, as coordinators see it: what they can read and what never."""

    label: str
    name: str
    seen: tuple[str, ...]
    never: tuple[str, ...]
    if_shared: tuple[str, ...]


def _describes(field) -> bool:
    if not field.concrete or field.primary_key or field.name in INTERNAL_FIELDS:
        return False
    return not (field.is_relation and field.related_model._meta.label in CONTAINERS)


def record_of(model: type[models.Model]) -> Record:
    private = set(private_fields(model))
    shareable = shareable_fields(model)
    names = [f for f in model._meta.get_fields() if _describes(f)]
    return Record(
        label=model._meta.label,
        name=capfirst(model._meta.verbose_name_plural),
        seen=tuple(str(f.verbose_name) for f in names if f.name not in private),
        never=tuple(
            str(f.verbose_name) for f in names if f.name in private and f.name not in shareable
        ),
        if_shared=tuple(str(f.verbose_name) for f in names if f.name in shareable),
    )


@functools.cache
def what_coordinators_see() -> tuple[Record, ...]:
    """Every record partners write, and the feed, as coordinators may read them."""
    chosen = {m._meta.label: m for m in models_with_private_fields()}
    chosen.update({label: apps.get_model(label) for label in ALSO_SHOWN})
    rank = {label: index for index, label in enumerate(READING_ORDER)}
    ordered = sorted(chosen, key=lambda label: (rank.get(label, len(rank)), label))
    return tuple(record_of(chosen[label]) for label in ordered)


def coordinators_see(model: type[models.Model], name: str) -> bool:
    """Whether coordinators may read this field (a missing field is an error, not a no)."""
    model._meta.get_field(name)
    return name not in private_fields(model)
