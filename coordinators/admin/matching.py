from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from coordinators.admin.pages import page_context, programme_for
from coordinators.admin.scoping import ReadOnlyAdmin
from partnerships.lookups import get_or_404
from partnerships.matching import match_confirm, programme_suggestions
from partnerships.models import MatchRequest, Participant


def matching_view(modeladmin, request, object_id):
    """Suggested mentors for each unmatched mentee, with reasons; confirm one to match."""
    programme = programme_for(modeladmin, request, object_id, change=request.method == "POST")
    if request.method == "POST":
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
                f"Matched {mentee.user} with {mentor.user}: a proposed partnership, "
                "and both have been emailed.",
            )
        return HttpResponseRedirect(
            reverse("admin:partnerships_programme_matching", args=[programme.pk])
        )
    requests = list(
        MatchRequest.objects.filter(mentee__programme=programme)
        .select_related("mentee__user", "mentor__user")
        .order_by("status", "-created_at")[:50]
    )
    context = page_context(
        modeladmin,
        request,
        programme,
        f"{programme.name}: matching",
        suggestions=programme_suggestions(programme),
        requests=requests,
        pending_by_mentee={
            r.mentee_id: r for r in requests if r.status == MatchRequest.Status.PENDING
        },
        can_change=modeladmin.has_change_permission(request, programme),
    )
    return TemplateResponse(request, "admin/partnerships/programme/matching.html", context)


@admin.register(MatchRequest)
class MatchRequestAdmin(ReadOnlyAdmin):
    """Mentees' requests for a mentor, and what the mentors answered."""

    programme_path = "mentee__programme"
    list_display = ("mentee", "mentor", "status", "created_at", "decided_at")
    list_filter = (("mentee__programme", admin.RelatedOnlyFieldListFilter), "status")
    list_select_related = ("mentee__user", "mentee__programme", "mentor__user", "mentor__programme")
    search_fields = ("mentee__user__name", "mentor__user__name")
    fields = ("mentee", "mentor", "status", "partnership", "created_at", "decided_at")
    readonly_fields = fields
