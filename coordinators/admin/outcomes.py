"""The programme's Outcomes page (every figure as an SVG chart with its table, and each as
CSV) and the comparison of a coordinator's programmes side by side."""

from django.http import Http404
from django.template.response import TemplateResponse

from coordinators.admin.pages import page_context, programme_for
from coordinators.exports import csv_response
from coordinators.outcomes import COMPARISON_COLUMNS, comparison, figure_of, programme_outcomes
from partnerships.models import Programme


def outcomes_view(modeladmin, request, object_id):
    programme = programme_for(modeladmin, request, object_id)
    outcomes = programme_outcomes(programme)
    context = page_context(
        modeladmin, request, programme, f"{programme.name}: outcomes", outcomes=outcomes
    )
    return TemplateResponse(request, "admin/partnerships/programme/outcomes.html", context)


def outcome_figure_csv_view(modeladmin, request, object_id):
    programme = programme_for(modeladmin, request, object_id)
    figure = figure_of(programme_outcomes(programme), request.GET.get("figure", ""))
    if figure is None:
        raise Http404("No such figure.")
    return csv_response(iter([figure.columns, *figure.rows]), f"{programme.slug}-{figure.key}.csv")


def comparison_view(modeladmin, request):
    """The coordinator's programmes side by side, newest first: one row each."""
    programmes = modeladmin.coordinated_programmes(request).order_by("-starts_on", "name")
    rows = [
        (outcomes.programme, [outcomes.numbers.get(key) for key, _ in COMPARISON_COLUMNS])
        for outcomes in comparison(programmes)
    ]
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": Programme._meta,
        "title": "Programmes side by side",
        "columns": [label for _, label in COMPARISON_COLUMNS],
        "rows": rows,
    }
    if request.GET.get("format") == "csv":
        return csv_response(
            iter(
                [
                    ["programme", "starts on", "ends on", *context["columns"]],
                    *([p.name, p.starts_on, p.ends_on, *values] for p, values in rows),
                ]
            ),
            "programmes-compared.csv",
        )
    return TemplateResponse(request, "admin/partnerships/programme/compare.html", context)
