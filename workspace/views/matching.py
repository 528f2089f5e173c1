"""Finding a mentor: the directory of a programme's mentors with free places (suggested
first, searchable and filterable), asking one with a note; the mentor's requests and their
answers; and each partner's answer to a proposed match."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from partnerships.access import get_partnership_for
from partnerships.lookups import get_or_404
from partnerships.matching import (
    criteria_for,
    mentors_with_places,
    past_pairs,
    ranked_for,
    score,
)
from partnerships.models import MatchAnswer, MatchRequest, Participant, Partnership
from partnerships.models.match_request import UNDECIDED
from partnerships.models.partnership import OPEN_STATUSES, Status
from partnerships.services.match_requests import (
    match_request_accept,
    match_request_create,
    match_request_decline,
    match_request_withdraw,
)
from partnerships.services.matches import match_accept, match_decline, waiting_roles
from workspace.forms.people import DeclineMatchForm, DirectoryFilterForm, NoteForm

PER_PAGE = 12


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


def _seeking(user):
    """The user's participations as a mentee without an open partnership."""
    return (
        Participant.objects.mentees()
        .filter(user=user)
        .exclude(mentee_partnerships__status__in=OPEN_STATUSES)
        .select_related("programme", "user")
    )


def _ask(request) -> dict | None:
    """Ask a mentor. None once asked; else the refusal for the page to show on that
    mentor's card, with the note as it was typed, and its status (429 past the limit)."""
    mentee = get_or_404(_seeking(request.user), pk=request.POST.get("mentee"))
    mentor = get_or_404(
        Participant.objects.mentors().select_related("user"),
        pk=request.POST.get("mentor"),
        programme=mentee.programme,
    )
    refused = {"mentee": mentee.pk, "mentor": mentor.pk, "note": request.POST.get("note", "")}
    form = NoteForm(request.POST)
    if not form.is_valid():
        return refused | {"errors": ["Keep the note to 500 characters."], "status": 422}
    try:
        match_request_create(
            mentee=mentee, mentor=mentor, by=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        too_many = any(e.code == "too_many" for e in getattr(error, "error_list", []))
        return refused | {"errors": error.messages, "status": 429 if too_many else 422}
    messages.success(
        request,
        f"We've asked {mentor.user}. When they answer you'll see it under Notifications "
        "(and by email, if you get those).",
    )
    return None


@login_required
@require_http_methods(["GET", "POST"])
def suggestions_view(request):
    """The directory: for each programme where the user is a mentee without a partnership,
    its mentors with a free place, suggested first, with search and filters."""
    refused = None
    if request.method == "POST":
        refused = _ask(request)
        if refused is None:
            return redirect(request.POST.get("next_page") or "matching:suggestions")

    sections = []
    for mentee in _seeking(request.user):
        programme = mentee.programme
        mentors = list(mentors_with_places(programme))
        criteria = criteria_for(programme)
        ranked = ranked_for(mentee, mentors, past_pairs(mentors, [mentee]), criteria=criteria)
        filters = DirectoryFilterForm(
            request.GET or None,
            interests=_tags(mentors, "interest_list"),
            languages=_tags(mentors, "language_list"),
        )
        shown = [s for s in ranked if filters.keep(s)]
        page = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
        pending = (
            MatchRequest.objects.filter(mentee=mentee, status__in=UNDECIDED)
            .select_related("mentor__user")
            .first()
        )
        sections.append(
            {
                "mentee": mentee,
                "filters": filters,
                "page": page,
                "total": len(ranked),
                "shown": len(shown),
                "pending": pending,
                "ask_form": NoteForm(),
                "refused": _refusal_in(refused, mentee, page),
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "matching/suggestions.html",
        {"sections": sections, "query": query.urlencode()},
        status=refused["status"] if refused else 200,
    )


def _refusal_in(refused: dict | None, mentee, page) -> dict | None:
    """The refused ask, if it was this section's; ``on_card`` when its mentor's card is on
    the page shown (the error and the note go there), else it shows above the cards."""
    if refused is None or refused["mentee"] != mentee.pk:
        return None
    return refused | {"on_card": any(s.mentor.pk == refused["mentor"] for s in page)}


def _tags(mentors, attribute: str) -> list[str]:
    """The tags the directory's mentors use, for its filters (no query: they are loaded)."""
    seen: dict[str, str] = {}
    for mentor in mentors:
        if mentor.places_left > 0:
            for tag in getattr(mentor, attribute):
                seen.setdefault(tag.lower(), tag)
    return sorted(seen.values(), key=str.lower)


@login_required
def requests_view(request):
    """A mentor's requests: the waiting ones first, each with the mentee's note."""
    incoming = list(
        MatchRequest.objects.filter(mentor__user=request.user)
        .select_related("mentee__user", "mentee__programme", "partnership")
        .order_by("-created_at")
    )
    waiting = [r for r in incoming if r.status == MatchRequest.Status.PENDING]
    answered = [r for r in incoming if r.status != MatchRequest.Status.PENDING]
    return render(
        request,
        "matching/requests.html",
        {"waiting": waiting, "answered": answered, "form": NoteForm()},
    )


@login_required
@require_POST
def request_answer_view(request, code, answer):
    match_request = get_request_for_mentor(request.user, code)
    decide = {"accept": match_request_accept, "decline": match_request_decline}.get(answer)
    if decide is None:
        raise Http404
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Keep the note to 500 characters.")
        return redirect("matching:requests")
    try:
        decided = decide(request=match_request, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        mentee = match_request.mentee.user
        if answer == "decline":
            messages.success(request, f"You declined {mentee}'s request; they have been told.")
        elif decided.status == MatchRequest.Status.APPROVAL:
            messages.success(
                request,
                f"You accepted {mentee}'s request. Your coordinator approves the match next; "
                "then you both confirm it.",
            )
        else:
            messages.success(
                request, f"You accepted {mentee}'s request: your partnership has started."
            )
            return redirect("partnerships:workspace", code=decided.partnership.code)
    return redirect("matching:requests")


@login_required
@require_POST
def request_withdraw_view(request, code):
    match_request_withdraw(request=get_request_for_mentee(request.user, code), by=request.user)
    messages.success(request, "Request withdrawn.")
    return redirect("matching:suggestions")


@login_required
@require_http_methods(["GET", "POST"])
def match_view(request, code):
    """A proposed match: the other person's profile and the reasons; accept or decline."""
    partnership = get_partnership_for(request.user, code)
    me = partnership.role_of(request.user)
    partner = partnership.mentee if me == Participant.Role.MENTOR else partnership.mentor
    decline_form = DeclineMatchForm(
        request.POST if request.method == "POST" and "decline" in request.POST else None
    )
    if request.method == "POST":
        try:
            if "accept" in request.POST:
                match_accept(partnership=partnership, by=request.user)
            elif decline_form.is_valid():
                match_decline(
                    partnership=partnership,
                    by=request.user,
                    reason=decline_form.cleaned_data["reason"],
                )
            else:
                raise ValidationError("Choose why you decline.")
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            partnership.refresh_from_db()
            if partnership.status == Status.ACTIVE:
                messages.success(request, "You both accepted: your partnership has started.")
                return redirect("partnerships:workspace", code=partnership.code)
            if partnership.status == Status.PROPOSED:
                messages.success(
                    request, f"You accepted. It starts when {partner.user} accepts too."
                )
            else:
                messages.success(request, "You declined the match. Your coordinator has been told.")
                return redirect("home")
        return redirect("partnerships:match", code=partnership.code)
    earlier = Partnership.objects.filter(
        mentor__user=partnership.mentor.user_id, mentee__user=partnership.mentee.user_id
    ).exclude(pk=partnership.pk)
    suggestion = score(
        partnership.mentee,
        partnership.mentor,
        places_left=1,  # the place this match holds; not a reason shown here
        paired_before=earlier.exists(),
        criteria=criteria_for(partnership.programme),
    )
    answers = {a.role: a for a in MatchAnswer.objects.filter(partnership=partnership)}
    return render(
        request,
        "matching/match.html",
        {
            "partnership": partnership,
            "partner": partner,
            "me": me,
            "reasons": [r for r in suggestion.reasons if "place" not in r],
            "answers": answers,
            "waiting": waiting_roles(partnership),
            "decline_form": decline_form,
        },
    )
