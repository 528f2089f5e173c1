"""The programme's "Next cohort" page: a new programme with this one's settings, sign-up
and surveys, new dates, and the people the coordinator chooses to bring along
(partnerships.services.cohorts)."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify

from coordinators.admin.pages import page_context, programme_for
from partnerships.models import Programme
from partnerships.models.programme import add_months
from partnerships.services.cohorts import (
    cohort_continuable_pairs,
    cohort_mentors,
    cohort_unmatched_mentees,
    programme_duplicate,
)


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.user.name or obj.user.email


class PairChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.mentee.user} with {obj.mentor.user} ({obj.get_status_display().lower()})"


class NextCohortForm(forms.Form):
    name = forms.CharField(max_length=200)
    slug = forms.SlugField(
        max_length=80, label="Short name", help_text="Letters, digits and hyphens; in file names."
    )
    # A date input takes and shows ISO dates, whatever the language.
    starts_on = forms.DateField(
        label="Starts on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label="Ends on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    mentors = PersonChoice(
        queryset=Programme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="They join the new cohort with their profile; they are matched anew.",
    )
    mentees = PersonChoice(
        queryset=Programme.objects.none(),
        required=False,
        label="Mentees never matched",
        widget=forms.CheckboxSelectMultiple,
        help_text="Mentees who were still waiting for a mentor.",
    )
    pairs = PairChoice(
        queryset=Programme.objects.none(),
        required=False,
        label="Pairs who go on together",
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick the pairs who told you they want to continue. Both join, and "
        "their match is proposed again: it starts when both accept. Nothing they wrote "
        "(agreement, goals, check-ins, reflections, feedback) comes with them.",
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["mentors"].queryset = cohort_mentors(programme).order_by("user__name")
        self.fields["mentees"].queryset = cohort_unmatched_mentees(programme).order_by("user__name")
        self.fields["pairs"].queryset = cohort_continuable_pairs(programme)

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Programme.objects.filter(slug=slug).exists():
            raise ValidationError("Another programme has this short name; choose another.")
        return slug

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "A programme must end on or after the day it starts.")
        return cleaned


def _initial(programme: Programme) -> dict:
    """The same length, starting the day after this one ends (or today, if that is past)."""
    starts = max(programme.ends_on + datetime.timedelta(days=1), programme.today())
    length = (programme.ends_on.year - programme.starts_on.year) * 12 + (
        programme.ends_on.month - programme.starts_on.month
    )
    name = f"{programme.name} (next cohort)"
    return {
        "name": name,
        "slug": slugify(f"{programme.slug}-next")[:80],
        "starts_on": starts,
        "ends_on": add_months(starts, max(length, 1)),
        "mentors": list(cohort_mentors(programme)),
        "mentees": list(cohort_unmatched_mentees(programme)),
    }


def next_cohort_view(modeladmin, request, object_id):
    """GET: the form; POST: the new cohort, then its settings page."""
    posting = request.method == "POST"
    programme = programme_for(modeladmin, request, object_id, change=True)
    if not modeladmin.has_add_permission(request):
        raise PermissionDenied
    if posting:
        form = NextCohortForm(request.POST, programme=programme)
        if form.is_valid():
            data = form.cleaned_data
            try:
                cohort = programme_duplicate(
                    programme=programme,
                    by=request.user,
                    name=data["name"],
                    slug=data["slug"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    mentors=data["mentors"],
                    mentees=data["mentees"],
                    pairs=data["pairs"],
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(
                    request,
                    f"{cohort.name} is ready, with {programme.name}'s settings, sign-up "
                    "questions and surveys. Sign-up is closed until you open it.",
                )
                return HttpResponseRedirect(
                    reverse("admin:partnerships_programme_change", args=[cohort.pk])
                )
    else:
        form = NextCohortForm(initial=_initial(programme), programme=programme)
    context = page_context(
        modeladmin, request, programme, f"{programme.name}: next cohort", form=form
    )
    status = 422 if posting else 200
    return TemplateResponse(
        request, "admin/partnerships/programme/next_cohort.html", context, status=status
    )
