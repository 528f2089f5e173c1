from django.utils import timezone

from coordinators.admin.pages import programme_for
from coordinators.exports import csv_response, goal_rows, partnership_rows
from goals.models import Goal
from partnerships.models import CoordinatorAccess, CoordinatorAction, Partnership
from partnerships.services.coordinator_access import coordinator_access_record


def _export(modeladmin, request, object_id, what: str, rows_of, included):
    programme = programme_for(modeladmin, request, object_id)
    CoordinatorAction.record(
        actor=request.user, programme=programme, verb="exported", summary=f"exported {what}"
    )
    # Each partnership with a row in the file: its partners see that it was exported.
    coordinator_access_record(
        coordinator=request.user,
        partnership_ids=included(programme),
        page=CoordinatorAccess.Page.EXPORT,
    )
    rows = rows_of(Partnership.objects.filter(programme=programme))
    filename = f"{programme.slug}-{what}-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(rows, filename)


def export_partnerships_view(modeladmin, request, object_id):
    def included(programme):
        return Partnership.objects.filter(programme=programme).values_list("pk", flat=True)

    return _export(modeladmin, request, object_id, "partnerships", partnership_rows, included)


def export_goals_view(modeladmin, request, object_id):
    def included(programme):
        goals = Goal.objects.filter(partnership__programme=programme)
        return goals.values_list("partnership_id", flat=True).distinct()

    return _export(modeladmin, request, object_id, "goals", goal_rows, included)
