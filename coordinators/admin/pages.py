"""Shared plumbing for the pages the admin adds to each programme (dashboard, invitations,
matching, exports): the programme is looked up through the admin's own scoped queryset,
so a coordinator of another programme gets a 404, exactly as on the change page."""

from django.core.exceptions import PermissionDenied

from partnerships.lookups import get_or_404
from partnerships.models import Programme


def programme_for(modeladmin, request, object_id, *, change: bool = False) -> Programme:
    programme = get_or_404(modeladmin.coordinated_programmes(request), pk=object_id)
    allowed = (
        modeladmin.has_change_permission(request, programme)
        if change
        else modeladmin.has_view_permission(request, programme)
    )
    if not allowed:
        raise PermissionDenied
    return programme


def page_context(modeladmin, request, programme: Programme, title: str, **extra) -> dict:
    return {
        **modeladmin.admin_site.each_context(request),
        "opts": Programme._meta,
        "programme": programme,
        "original": programme,
        "title": title,
        **extra,
    }
