"""Template tags of the people pages: the navigation's counts, a person's initials."""

from django import template

from workspace.navigation import navigation_for

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation(context):
    """The navigation's counts for the logged-in person (one query; base.html asks once)."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return None
    return navigation_for(user)


@register.filter
def initials(name: str) -> str:
    """Up to two initials of a name, for a profile without a photo."""
    parts = [part for part in str(name).split() if part[:1].isalpha()]
    if not parts:
        return "?"
    letters = parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")
    return letters.upper()
