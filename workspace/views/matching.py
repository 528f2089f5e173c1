"""The mentee's suggestions and requests, and the mentor's answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from partnerships.lookups import get_or_404
from partnerships.matching import mentors_with_places, past_pairs, suggestions_for
from partnerships.models import MatchRequest, Participant
from partnerships.models.partnership import OPEN_STATUSES
from partnerships.services.match_requests import (
    match_request_accept,
    match_request_create,
    match_request_decline,
    match_request_withdraw,
)


def get_request_for_mentor(user, code) -> MatchRequest:
    """The request, if it was sent to this user; 404 for anyone else."""
    return get_object_or_404(
        MatchRequest.objects.select_related("mentee__user", "mentee__programme", "mentor__user"),
        code=code,
        mentor__user=user,
    )


def get_request_for_mentee(user, code) -> MatchRequest:
    return get_object_or_404(
        MatchRequest.objects.select_related("mentee__user", "mentor__user"),
        code=code,
        mentee__user=user,
    )


@login_required
def suggestions_view(request):
    """For each programme where the user is an unmatched mentee: top mentors, and a request."""
    mentees = (
        Participant.objects.mentees()
        .filter(user=request.user)
        .exclude(mentee_partnerships__status__in=OPEN_STATUSES)
        .select_related("programme", "user")
    )
    if request.method == "POST":
        mentee = get_or_404(mentees, pk=request.POST.get("mentee"))
        mentor = get_or_404(
            Participant.objects.mentors().select_related("user"),
            pk=request.POST.get("mentor"),
            programme=mentee.programme,
        )
        try:
            match_request_create(mentee=mentee, mentor=mentor, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"We've asked {mentor.user}. You'll hear by email.")
        return redirect("matching:suggestions")

    sections = []
    for mentee in mentees:
        mentors = list(mentors_with_places(mentee.programme))
        pending = (
            MatchRequest.objects.filter(mentee=mentee, status=MatchRequest.Status.PENDING)
            .select_related("mentor__user")
            .first()
        )
        sections.append(
            {
                "mentee": mentee,
                "suggestions": suggestions_for(mentee, mentors, past_pairs(mentors, [mentee])),
                "pending": pending,
            }
        )
    return render(request, "matching/suggestions.html", {"sections": sections})


@login_required
def requests_view(request):
    """A mentor's incoming requests: accept or decline."""
    incoming = (
        MatchRequest.objects.filter(mentor__user=request.user)
        .select_related("mentee__user", "mentee__programme")
        .order_by("status", "-created_at")
    )
    return render(request, "matching/requests.html", {"incoming": incoming})


@login_required
@require_POST
def request_answer_view(request, code, answer):
    match_request = get_request_for_mentor(request.user, code)
    decide = {"accept": match_request_accept, "decline": match_request_decline}.get(answer)
    if decide is None:
        raise Http404
    try:
        decide(request=match_request, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        verb = "accepted" if answer == "accept" else "declined"
        messages.success(request, f"You {verb} {match_request.mentee.user}'s request.")
    return redirect("matching:requests")


@login_required
@require_POST
def request_withdraw_view(request, code):
    match_request_withdraw(request=get_request_for_mentee(request.user, code), by=request.user)
    messages.success(request, "Request withdrawn.")
    return redirect("matching:suggestions")
