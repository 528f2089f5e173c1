from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from coordinators.admin.pages import page_context, programme_for
from coordinators.admin.scoping import ReadOnlyAdmin
from partnerships.lookups import get_or_404
from partnerships.matching import (
    cohort_proposal,
    match_confirm,
    matches_confirm,
    programme_suggestions,
)
from partnerships.models import MatchAnswer, MatchRequest, Participant, Partnership, Reminder
from partnerships.models.partnership import Status
from partnerships.services.match_requests import match_request_approve, match_request_refuse

DECLINES_SHOWN = 20


def _page(programme):
    return HttpResponseRedirect(
        reverse("admin:partnerships_programme_matching", args=[programme.pk])
    )


def _match_one(request, programme):
    mentee = get_or_404(
        Participant.objects.mentees().select_related("user", "programme"),
        pk=request.POST.get("mentee"),
        programme=programme,
    )
    mentor = get_or_404(
        Participant.objects.mentors().select_related("user"),
        pk=request.POST.get("mentor"),
        programme=programme,
    )
    try:
        match_confirm(mentee=mentee, mentor=mentor, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Proposed a match of {mentee.user} with {mentor.user}: both have been asked to "
            "accept it, and it starts when both have.",
        )


def _cohort_pairs(request, programme) -> list[tuple[Participant, Participant]]:
    """The table's choices: ``pair-<mentee id>`` = a mentor's id, or empty to leave out.
    Only the programme's unmatched mentees and its mentors are accepted."""
    chosen = {
        key.removeprefix("pair-"): value
        for key, value in request.POST.items()
        if key.startswith("pair-") and value
    }
    mentees = {
        str(m.pk): m
        for m in Participant.objects.mentees()
        .filter(programme=programme, pk__in=[k for k in chosen if k.isdigit()])
        .select_related("user", "programme")
    }
    mentors = {
        str(m.pk): m
        for m in Participant.objects.mentors()
        .filter(programme=programme, pk__in=[v for v in chosen.values() if v.isdigit()])
        .select_related("user")
    }
    pairs = []
    for mentee_id, mentor_id in chosen.items():
        if mentee_id not in mentees or mentor_id not in mentors:
            raise ValidationError("A row names someone who is not in this programme.")
        pairs.append((mentees[mentee_id], mentors[mentor_id]))
    return pairs


def _confirm_cohort(request, programme):
    try:
        pairs = _cohort_pairs(request, programme)
        if not pairs:
            raise ValidationError("Choose a mentor for at least one mentee.")
        matches_confirm(pairs=pairs, by=request.user)
    except ValidationError as error:
        messages.error(
            request, "Nothing was proposed: " + " ".join(error.messages) + " Try again below."
        )
        return False
    messages.success(
        request,
        f"Proposed {len(pairs)} match{'es' * (len(pairs) != 1)}: each person has been asked to "
        "accept theirs, and each partnership starts when both have.",
    )
    return True


def _decide_request(request, programme, decide, verb: str):
    match_request = get_or_404(
        MatchRequest.objects.select_related("mentee__user", "mentee__programme", "mentor__user"),
        code=request.POST.get("request"),
        mentee__programme=programme,
    )
    try:
        decide(request=match_request, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        mentee, mentor = match_request.mentee.user, match_request.mentor.user
        messages.success(request, f"You {verb} the match of {mentee} with {mentor}.")


def matching_view(modeladmin, request, object_id):
    """Suggested mentors for each unmatched mentee, with reasons; one match at a time, or
    the best pairs for everyone at once; requests waiting for approval; matches waiting for
    an answer, and the reasons people declined."""
    programme = programme_for(modeladmin, request, object_id, change=request.method == "POST")
    if request.method == "POST":
        action = request.POST.get("action", "match")
        if action == "cohort":
            if not _confirm_cohort(request, programme):
                return HttpResponseRedirect(
                    reverse("admin:partnerships_programme_matching", args=[programme.pk])
                    + "?cohort=1#cohort"
                )
        elif action == "approve":
            _decide_request(request, programme, match_request_approve, "approved")
        elif action == "refuse":
            _decide_request(request, programme, match_request_refuse, "did not approve")
        else:
            _match_one(request, programme)
        return _page(programme)
    requests = list(
        MatchRequest.objects.filter(mentee__programme=programme)
        .select_related("mentee__user", "mentor__user")
        .order_by("status", "-created_at")[:50]
    )
    answers = Prefetch("match_answers", queryset=MatchAnswer.objects.order_by("role"))
    proposed = list(
        Partnership.objects.filter(programme=programme, status=Status.PROPOSED)
        .with_people()
        .prefetch_related(answers)
        .order_by("created_at")
    )
    # The reminder two days on (reminders/kinds/matches.py): when each person got theirs.
    reminded = dict(
        Reminder.objects.filter(
            partnership__in=proposed, kind=Reminder.Kind.MATCH_WAITING, status="sent"
        )
        .order_by("sent_at")
        .values_list("partnership_id", "sent_at")
    )
    for partnership in proposed:
        said = {answer.role: answer for answer in partnership.match_answers.all()}
        partnership.mentor_answer = said.get("mentor")
        partnership.mentee_answer = said.get("mentee")
        partnership.reminded_at = reminded.get(partnership.pk)
    declined = list(
        MatchAnswer.objects.filter(partnership__programme=programme, accepted=False)
        .select_related("user", "partnership__mentor__user", "partnership__mentee__user")
        .order_by("-answered_at")[:DECLINES_SHOWN]
    )
    cohort = cohort_proposal(programme) if request.GET.get("cohort") else None
    context = page_context(
        modeladmin,
        request,
        programme,
        f"{programme.name}: matching",
        suggestions=programme_suggestions(programme),
        requests=requests,
        awaiting_approval=[r for r in requests if r.status == MatchRequest.Status.APPROVAL],
        proposed=proposed,
        declined=declined,
        cohort=cohort,
        pending_by_mentee={
            r.mentee_id: r for r in requests if r.status == MatchRequest.Status.PENDING
        },
        can_change=modeladmin.has_change_permission(request, programme),
    )
    return TemplateResponse(request, "admin/partnerships/programme/matching.html", context)


@admin.register(MatchRequest)
class MatchRequestAdmin(ReadOnlyAdmin):
    """Mentees' requests for a mentor, and what the mentors answered (never their notes)."""

    programme_path = "mentee__programme"
    list_display = ("mentee", "mentor", "status", "created_at", "decided_at")
    list_filter = (("mentee__programme", admin.RelatedOnlyFieldListFilter), "status")
    list_select_related = ("mentee__user", "mentee__programme", "mentor__user", "mentor__programme")
    search_fields = ("mentee__user__name", "mentor__user__name")
    fields = ("mentee", "mentor", "status", "partnership", "created_at", "decided_at")
    readonly_fields = fields


@admin.register(MatchAnswer)
class MatchAnswerAdmin(ReadOnlyAdmin):
    """Each person's answer to a proposed match: accepted, or declined with a category."""

    programme_path = "partnership__programme"
    partnership_path = "partnership"
    list_display = ("partnership", "role", "accepted", "reason", "answered_at")
    list_filter = (
        ("partnership__programme", admin.RelatedOnlyFieldListFilter),
        "accepted",
        "reason",
    )
    list_select_related = (
        "partnership__programme",
        "partnership__mentor__user",
        "partnership__mentee__user",
    )
    fields = ("partnership", "role", "user", "accepted", "reason", "answered_at")
    readonly_fields = fields
