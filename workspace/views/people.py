"""Profiles: reading one (the people of its programme and its coordinators), editing one's
own, and its photo, served here and nowhere else (never from a public media address)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from partnerships.access import get_own_participant, get_participant_for
from partnerships.matching import (
    criteria_for,
    mentors_with_places,
    past_pairs,
    score,
    unmatched_mentees,
)
from partnerships.models import MatchRequest, ProfileAnswer
from partnerships.models.match_request import UNDECIDED
from partnerships.models.participant import Role
from partnerships.services.profiles import (
    criteria_questions,
    participant_profile_update,
    profile_answers_set,
    programme_tags,
)
from workspace.forms.people import NoteForm, ProfileForm
from workspace.views.common import add_service_error


@login_required
@require_GET
def profile_detail(request, code):
    """One person's profile in one programme. An unmatched mentee of that programme sees,
    on a mentor's, the match's score and reasons and can ask them."""
    person = get_participant_for(request.user, code)
    context = {"person": person, "is_me": person.user_id == request.user.pk}
    me = (
        unmatched_mentees(person.programme).filter(user=request.user).first()
        if person.role == Role.MENTOR
        else None
    )
    if me is not None:
        [mentor] = [m for m in mentors_with_places(person.programme) if m.pk == person.pk]
        person.places_left = mentor.places_left
        context["suggestion"] = score(
            me,
            mentor,
            places_left=mentor.places_left,
            paired_before=(mentor.user_id, me.user_id) in past_pairs([mentor], [me]),
            criteria=criteria_for(person.programme),
        )
        context["asking_as"] = me
        context["pending"] = (
            MatchRequest.objects.filter(mentee=me, status__in=UNDECIDED)
            .select_related("mentor__user")
            .first()
        )
        context["ask_form"] = NoteForm(auto_id=f"ask-{person.code}-%s")
    elif person.role == Role.MENTOR:
        person.places_left = next(
            (m.places_left for m in mentors_with_places(person.programme) if m.pk == person.pk), 0
        )
    return render(request, "people/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, code):
    participant = get_own_participant(request.user, code)
    questions = criteria_questions(participant.programme, participant.role)
    initial = {
        f"question-{answer.question_id}": (
            answer.choices[0]
            if answer.question.kind == "one" and answer.choices
            else answer.choices
        )
        for answer in ProfileAnswer.objects.filter(
            participant=participant, question__in=questions
        ).select_related("question")
    }
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        participant=participant,
        interest_tags=programme_tags(participant.programme),
        language_tags=programme_tags(participant.programme, field="languages"),
        questions=questions,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            participant_profile_update(
                participant=participant,
                by=request.user,
                photo=form.cleaned_data.get("photo"),
                remove_photo=form.cleaned_data.get("remove_photo", False),
                **form.profile_fields(),
            )
            profile_answers_set(participant=participant, by=request.user, answers=form.answers())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Your profile in {participant.programme} is saved.")
            return redirect("people:profile", code=participant.code)
    return render(
        request,
        "people/edit.html",
        {"form": form, "participant": participant},
        status=422 if form.errors else 200,
    )


@login_required
@require_GET
def profile_photo(request, code):
    """The photo, for whoever may read the profile (kept by no shared cache: every answer
    to a logged-in person is no-store, mentorship.middleware)."""
    person = get_participant_for(request.user, code)
    if not person.photo:
        raise Http404("No photo.")
    try:
        handle = person.photo.open("rb")
    except FileNotFoundError:
        raise Http404("No photo.") from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    return response
