"""What the admin's own templates need to know of the coordinator: their programmes (the
index links each to its dashboard) and where "View site" should take them."""

from django import template
from django.db.models import Exists
from django.urls import reverse

from partnerships.models import Participant, Programme

register = template.Library()

# The index lists the programmes one by one; a superuser's whole office is the
# Programmes list's to show.
INDEX_LIMIT = 20


def _own_programmes(user):
    # Whether the user also takes part somewhere rides along: one query for both tags.
    return (
        Programme.objects.filter(coordinators=user)
        .not_archived()
        .annotate(viewer_takes_part=Exists(Participant.objects.filter(user=user)))
        .order_by("-starts_on", "name")
    )


@register.simple_tag(takes_context=True)
def admin_programmes(context):
    """The coordinator's current programmes, newest first (one query, cached per request)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(request, "_coordinator_programmes", None)
    if cached is None:
        cached = list(
            _own_programmes(user).only("pk", "name", "starts_on", "ends_on")[:INDEX_LIMIT]
        )
        request._coordinator_programmes = cached
    return cached


@register.simple_tag(takes_context=True)
def view_site_url(context):
    """Where "View site" goes. A participant's home is the site's dashboard; a coordinator
    who takes part in no programme would find it empty, so theirs is their programme's
    dashboard (or, with several, the list of their programmes to choose from)."""
    site_url = context.get("site_url") or "/"
    programmes = admin_programmes(context)
    if not programmes:
        return site_url
    if programmes[0].viewer_takes_part:
        return site_url
    if len(programmes) == 1:
        return reverse("admin:partnerships_programme_dashboard", args=[programmes[0].pk])
    return reverse("admin:index") + "#your-programmes"
