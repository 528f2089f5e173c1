from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from coordinators.admin.pages import page_context, programme_for
from coordinators.admin.scoping import ProgrammeScopedAdmin
from coordinators.invitation_csv import MAX_BYTES, read_invitees
from partnerships.lookups import get_or_404
from partnerships.models import Invitation
from partnerships.models.participant import Role
from partnerships.services.invitations import (
    MAX_CAPACITY,
    Invitee,
    delivery_problems,
    invitation_send,
    invitations_import,
)


class InviteForm(forms.Form):
    email = forms.EmailField()
    name = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=Role.choices)
    interests = forms.CharField(
        max_length=500, required=False, help_text="Comma-separated, e.g. leadership, python."
    )
    capacity = forms.IntegerField(
        label="Mentor capacity",
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=1,
        help_text="Mentors only: how many mentees at once.",
    )


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV file")


def _tell(request, invitations, done: str) -> None:
    """Success, and a warning naming any email the mail server did not take at once."""
    messages.success(request, done)
    problems = delivery_problems(invitations)
    if problems:
        messages.warning(request, problems)


def invitations_view(modeladmin, request, object_id):
    """Invite one person, upload a CSV of many, and see who has joined."""
    programme = programme_for(modeladmin, request, object_id, change=request.method == "POST")
    here = reverse("admin:partnerships_programme_invitations", args=[programme.pk])
    invite_form, upload_form, csv_errors = InviteForm(), UploadForm(), []
    if request.method == "POST":
        if "resend" in request.POST:
            invitation = get_or_404(
                Invitation.objects.pending(), programme=programme, code=request.POST["resend"]
            )
            sent = invitation_send(
                programme=programme, invitee=_invitee_of(invitation), by=request.user
            )
            _tell(request, [sent], f"Sent a new link to {invitation.email}.")
            return HttpResponseRedirect(here)
        if "upload" in request.POST:
            upload_form = UploadForm(request.POST, request.FILES)
            if upload_form.is_valid():
                # One byte past the limit is enough to refuse it; the rest stays on disk.
                data = upload_form.cleaned_data["file"].read(MAX_BYTES + 1)
                invitees, csv_errors = read_invitees(programme, data)
                if not csv_errors:
                    invited = invitations_import(
                        programme=programme, invitees=invitees, by=request.user
                    )
                    _tell(
                        request,
                        invited,
                        f"Invited {len(invitees)} {'person' if len(invitees) == 1 else 'people'}"
                        " from the file.",
                    )
                    return HttpResponseRedirect(here)
        else:
            invite_form = InviteForm(request.POST)
            if invite_form.is_valid():
                data = invite_form.cleaned_data
                invitee = Invitee(
                    email=data["email"].lower(),
                    name=data["name"],
                    role=data["role"],
                    interests=data["interests"],
                    capacity=data["capacity"] if data["role"] == Role.MENTOR else 1,
                )
                try:
                    invitation = invitation_send(
                        programme=programme, invitee=invitee, by=request.user
                    )
                except ValidationError as error:
                    invite_form.add_error(None, error)
                else:
                    _tell(request, [invitation], f"Invited {invitation.email}.")
                    return HttpResponseRedirect(here)
    invitations = list(
        Invitation.objects.filter(programme=programme).select_related("accepted_by")[:100]
    )
    context = page_context(
        modeladmin,
        request,
        programme,
        f"{programme.name}: invite people",
        invite_form=invite_form,
        upload_form=upload_form,
        csv_errors=csv_errors,
        invitations=invitations,
        can_change=modeladmin.has_change_permission(request, programme),
    )
    return TemplateResponse(request, "admin/partnerships/programme/invitations.html", context)


def _invitee_of(invitation: Invitation) -> Invitee:
    return Invitee(
        email=invitation.email,
        name=invitation.name,
        role=invitation.role,
        interests=invitation.interests,
        capacity=invitation.capacity,
    )


@admin.register(Invitation)
class InvitationAdmin(ProgrammeScopedAdmin):
    """Every invitation; people are invited from each programme's "Invite people" page."""

    list_display = ("email", "name", "role", "programme", "sent_at", "sent_count", "accepted_at")
    list_filter = (("programme", admin.RelatedOnlyFieldListFilter), "role")
    search_fields = ("email", "name")
    list_select_related = ("programme",)
    fields = (
        "programme",
        "email",
        "name",
        "role",
        "interests",
        "capacity",
        "invited_by",
        "created_at",
        "sent_at",
        "sent_count",
        "accepted_at",
        "accepted_by",
    )
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected invitations again", permissions=["view"])
    def send_again(self, request, queryset):
        resent = [
            invitation_send(
                programme=invitation.programme, invitee=_invitee_of(invitation), by=request.user
            )
            for invitation in queryset.pending().select_related("programme")
        ]
        sent = len(resent)
        skipped = queryset.count() - sent
        _tell(request, resent, f"Sent {sent} invitation{'s' * (sent != 1)} again.")
        if skipped:
            self.message_user(request, f"{skipped} already accepted, not sent.", messages.WARNING)
