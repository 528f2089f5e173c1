"""Answering a survey: one page, a plain form that works on a phone and without
JavaScript. The round comes from the invitation's link; the partnership's access helper
answers 404 to anyone outside it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from partnerships.access import get_partnership_for
from partnerships.models.survey import Survey, SurveyResponse, round_label
from partnerships.services.surveys import round_for, survey_answer
from workspace.forms.surveys import SurveyAnswerForm
from workspace.views.common import add_service_error, partnership_url


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer_view(request, code, survey, round_key):
    partnership = get_partnership_for(request.user, code)
    survey = get_object_or_404(
        Survey.objects.filter(programme_id=partnership.programme_id), code=survey
    )
    try:
        due = round_for(partnership, survey=survey, round_key=round_key, user=request.user)
    except ValidationError:
        raise Http404("No such survey round for you.") from None
    answered = SurveyResponse.objects.filter(
        survey=survey, round=round_key, respondent=request.user, partnership=partnership
    ).first()
    today = partnership.programme.today()
    form = None
    status = 200
    if answered is None:
        form = SurveyAnswerForm(request.POST or None, survey=survey)
        if request.method == "POST" and form.is_valid():
            try:
                survey_answer(
                    partnership=partnership,
                    survey=survey,
                    round_key=round_key,
                    by=request.user,
                    answers=form.answers(),
                    share_text=form.cleaned_data.get("share_text", False),
                    today=today,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Thank you: your answers are saved.")
                return redirect(partnership_url(partnership))
        if request.method == "POST":
            status = 422
    context = {
        "partnership": partnership,
        "partner": partnership.partner_of(request.user),
        "survey": survey,
        "round_label": round_label(round_key),
        "due": due,
        "is_open": due.is_open(today) and survey.is_open and not partnership.has_ended(today),
        "answered": answered,
        "form": form,
    }
    return render(request, "surveys/answer.html", context, status=status)
