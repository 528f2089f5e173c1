from django import template
from django.apps import apps

from workspace.coordinator_view import coordinators_see, shareable_fields

register = template.Library()

FIELD_LABELS = {
    "title": "Title",
    "description": "Description",
    "success_measure": "How we'll know",
    "target_date": "Target date",
    "status": "Status",
}


@register.filter
def field_label(name: str) -> str:
    """A goal field's name as people read it."""
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def _words(items: list[str], conjunction: str) -> str:
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


@register.simple_tag
def coordinator_sees(model_label: str, **labels: str) -> str:
    """Which of a form's fields the coordinator may read, in one sentence without its
    full stop: ``{% coordinator_sees "partnerships.Feedback" rating="the rating"
    comment="the note" %}`` reads "Your coordinator can see the rating, never the note".

    Each keyword names a model field and says it as the form does; which side it falls on
    comes from the model's PRIVATE_FIELDS, so the sentence follows the definition. A name
    that is not a field of the model is an error, so a renamed field cannot go unnoticed.
    """
    model = apps.get_model(model_label)
    seen, never = [], []
    for name, label in labels.items():
        if coordinators_see(model, name):
            seen.append(label)
        elif name in shareable_fields(model):
            never.append(f"{label} unless you share it")
        else:
            never.append(label)
    if seen and never:
        return f"Your coordinator can see {_words(seen, 'and')}, never {_words(never, 'or')}"
    if seen:
        return f"Your coordinator can see {_words(seen, 'and')}"
    return f"Your coordinator never sees {_words(never, 'or')}"


@register.filter
def iso(moment) -> str:
    """A date-time for a ``<time datetime>``: ISO 8601 to the second (the HTML checker
    refuses microseconds)."""
    if not moment:
        return ""
    return moment.replace(microsecond=0).isoformat()


@register.filter
def is_link(text: str) -> bool:
    """A place that is a web address (a video call's link) is shown as a link."""
    return str(text).startswith(("https://", "http://"))


@register.filter
def zone_name(name: str) -> str:
    return str(name).replace("_", " ")


@register.filter
def field_value(goal, name: str):
    """A goal's current value of one field, as a proposal's text would read it."""
    value = getattr(goal, name, "")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
