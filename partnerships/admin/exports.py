from django.utils import timezone

from partnerships.admin.pages import programme_for
from partnerships.exports import csv_response, goal_rows, partnership_rows
from partnerships.models import CoordinatorAction, Partnership


def _export(modeladmin, request, object_id, what: str, rows_of):
    programme = programme_for(modeladmin, request, object_id)
    CoordinatorAction.record(
        actor=request.user, programme=programme, verb="exported", summary=f"exported {what}"
    )
    rows = rows_of(Partnership.objects.filter(programme=programme))
    filename = f"{programme.slug}-{what}-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(rows, filename)


def export_partnerships_view(modeladmin, request, object_id):
    return _export(modeladmin, request, object_id, "partnerships", partnership_rows)


def export_goals_view(modeladmin, request, object_id):
    return _export(modeladmin, request, object_id, "goals", goal_rows)
