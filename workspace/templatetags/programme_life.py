"""What the workspace shows of the programme's life and the pair's own health, for the
partials the workspace includes with one line each (partnerships/_health.html and
partnerships/_programme_life.html): a few queries, only when the full page renders."""

from django import template

from goals.health import pair_health
from partnerships.models import ClosingReflection
from partnerships.models.survey import round_label
from partnerships.services.surveys import rounds_waiting

register = template.Library()


@register.simple_tag
def health_for_pair(ws):
    """The pair's health as they see it (no grace period), or None when there is nothing
    to judge: a partnership that is not active."""
    partnership = ws.partnership
    if partnership.status != partnership.Status.ACTIVE:
        return None
    return pair_health(partnership, user=ws.user, today=partnership.programme.today())


@register.simple_tag
def programme_life(ws):
    """Where the programme is in its life, for this partner: ended (read-only), wrapping
    up, surveys waiting, and the retention day if one is set."""
    partnership, user = ws.partnership, ws.user
    programme = partnership.programme
    today = programme.today()
    ended = partnership.has_ended(today)
    waiting = [] if ended else rounds_waiting(partnership, user=user, today=today)
    wrap_up = not ended and partnership.in_wrap_up(today)
    return {
        "today": today,
        "ended": ended,
        "ends_on": partnership.ends_on,
        "extended": partnership.extended_until is not None,
        "wrap_up": wrap_up,
        "wrote_closing": (
            wrap_up
            and ClosingReflection.objects.filter(partnership=partnership, author=user).exists()
        ),
        "surveys": [
            {"due": due, "label": round_label(due.round), "round": due.round} for due in waiting
        ],
        "deletes_on": programme.retention_deletes_on,
        "includes_shared": programme.retention_includes_shared,
        "retention_done": ended and hasattr(programme, "retention_run"),
    }
