from django import template

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
