"""Surveys in the admin: the built-in templates (read-only to coordinators), a programme's
own surveys (copied from a template or another of the coordinator's programmes, then
edited), and their results, only as figures over three or more people
(partnerships.survey_results), on the programme's Surveys page and in its CSV."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from coordinators.admin.pages import page_context, programme_for
from coordinators.admin.scoping import ProgrammeScopedAdmin, ScopedInline, coordinated_programmes
from coordinators.exports import csv_response
from partnerships.models import Programme, Survey, SurveyQuestion
from partnerships.models.participant import Role
from partnerships.services.surveys import survey_copy
from partnerships.survey_results import MIN_ANSWERS, results_rows, round_result, survey_rounds

GROUPS = {"everyone": None, "mentors": Role.MENTOR, "mentees": Role.MENTEE}


def _editable(request, survey) -> bool:
    """Templates are the product's: only a superuser edits them; coordinators copy them."""
    return survey is None or not survey.is_template or request.user.is_superuser


class SurveyQuestionInline(ScopedInline, admin.StackedInline):
    model = SurveyQuestion
    fields = (("position", "kind", "required"), "text", "choices", ("low_label", "high_label"))
    extra = 0

    def has_add_permission(self, request, obj=None):
        return _editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        answered = obj is not None and obj.responses.exists()
        return (
            _editable(request, obj) and not answered and super().has_delete_permission(request, obj)
        )


class CopyForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label="Into programme")
    title = forms.CharField(max_length=200, required=False, help_text="Empty: the same title.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = coordinated_programmes(user).not_archived()


@admin.register(Survey)
class SurveyAdmin(ProgrammeScopedAdmin):
    list_display = ("title", "where", "kind", "audience", "is_open", "answers")
    list_filter = (("programme", admin.RelatedOnlyFieldListFilter), "kind", "is_open")
    search_fields = ("title",)
    list_select_related = ("programme",)
    ordering = ("programme__name", "kind", "title")
    fields = ("programme", "kind", "title", "intro", "audience", "pulse_days", "is_open")
    inlines = [SurveyQuestionInline]
    actions = ["copy"]

    def scope(self, queryset, user):
        # The built-in templates are everyone's to read and copy.
        return queryset.coordinated_by(user)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(answer_count=Count("responses"))

    def get_readonly_fields(self, request, obj=None):
        # A survey stays in its programme: its answers belong there.
        return ("programme",) if obj is not None else ()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "programme" in form.base_fields and not request.user.is_superuser:
            form.base_fields["programme"].required = True
            form.base_fields[
                "programme"
            ].help_text = "Or copy a built-in template: select it in the list, then “Copy…”."
        return form

    def has_change_permission(self, request, obj=None):
        return _editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.responses.exists():
            return False  # answers are kept; untick "sending invitations" instead
        return _editable(request, obj) and super().has_delete_permission(request, obj)

    def _log(self, request, obj, verb):
        if obj.programme_id is not None:  # a template belongs to no programme's log
            super()._log(request, obj, verb)

    @admin.display(description="programme", ordering="programme__name")
    def where(self, obj):
        return obj.programme.name if obj.programme_id else "Built-in template"

    @admin.display(description="answers", ordering="answer_count")
    def answers(self, obj):
        if obj.programme_id is None:
            return "—"
        url = reverse("admin:partnerships_programme_surveys", args=[obj.programme_id])
        return format_html('<a href="{}?survey={}">{}</a>', url, obj.pk, obj.answer_count)

    @admin.action(description="Copy the selected surveys into a programme…", permissions=["view"])
    def copy(self, request, queryset):
        form = CopyForm(request.POST if "apply" in request.POST else None, user=request.user)
        if form.is_valid():
            programme, title = form.cleaned_data["programme"], form.cleaned_data["title"]
            copies = []
            for survey in queryset:
                try:
                    copy = survey_copy(
                        survey=survey, programme=programme, by=request.user, title=title
                    )
                    copies.append(copy)
                except PermissionDenied as error:
                    self.message_user(request, f"{survey}: {error}", messages.WARNING)
            if len(copies) == 1:
                self.message_user(request, f"Copied into {programme}: edit your copy below.")
                url = reverse("admin:partnerships_survey_change", args=[copies[0].pk])
                return HttpResponseRedirect(url)
            if copies:
                self.message_user(request, f"Copied {len(copies)} surveys into {programme}.")
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Copy surveys",
            "form": form,
            "objects": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "copy",
            "media": self.media,
        }
        return TemplateResponse(request, "admin/partnerships/survey/copy.html", context)


# --- the programme's Surveys page -------------------------------------------------------


def _chosen(request, programme):
    surveys = list(programme.surveys.order_by("kind", "title"))
    wanted = request.GET.get("survey", "")
    survey = next((s for s in surveys if str(s.pk) == wanted), surveys[0] if surveys else None)
    group = request.GET.get("group", "everyone")
    if group not in GROUPS:
        group = "everyone"
    return surveys, survey, group


def survey_results_view(modeladmin, request, object_id):
    """One survey of the programme at a time: each round's figures for everyone, mentors
    or mentees, and "too few answers" wherever fewer than three people are behind one."""
    programme = programme_for(modeladmin, request, object_id)
    surveys, survey, group = _chosen(request, programme)
    results = []
    if survey is not None:
        results = [
            round_result(survey, round_key, role=GROUPS[group])
            for round_key in survey_rounds(survey)
        ]
    context = page_context(
        modeladmin,
        request,
        programme,
        f"{programme.name}: surveys",
        surveys=surveys,
        survey=survey,
        group=group,
        groups=list(GROUPS),
        results=results,
        min_answers=MIN_ANSWERS,
    )
    return TemplateResponse(request, "admin/partnerships/programme/surveys.html", context)


def survey_results_csv_view(modeladmin, request, object_id):
    programme = programme_for(modeladmin, request, object_id)
    _, survey, group = _chosen(request, programme)
    if survey is None:
        rows = iter([["survey", "round", "group", "question", "answered", "figure", "value"]])
    else:
        rows = results_rows(survey, role=GROUPS[group])
    name = f"{programme.slug}-survey-{survey.pk if survey else 'none'}-{group}.csv"
    return csv_response(rows, name)
