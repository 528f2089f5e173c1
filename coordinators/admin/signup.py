"""Sign-up in the admin: on the programme's page, its sign-up settings (with the link to
share) and its questions; and the applications, each programme's to its own coordinators,
approved or declined with a message (partnerships.services.signup)."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from coordinators.admin.scoping import ProgrammeScopedAdmin, ReadOnlyInline, ScopedInline
from partnerships.models import Application, ApplicationAnswer, ProgrammeIntake, SignupQuestion
from partnerships.models.signup import MAX_OPTIONS, OPTION_LENGTH, ApplicationStatus
from partnerships.services.signup import application_approve, application_decline

# The options box holds at most this much: the most options, each as long as allowed, a
# line break after each. A larger paste is refused before it is split into lines.
OPTIONS_MAX = MAX_OPTIONS * (OPTION_LENGTH + 2)


def signup_url(intake: ProgrammeIntake) -> str:
    return f"{settings.SITE_URL}{reverse('signup:page', args=[intake.token])}"


class ChangedOnlyIfPostedForm(forms.ModelForm):
    """A blank row that was not posted at all (a script posting only the programme's own
    fields) is left alone instead of failing its required fields; one a browser posts
    untouched is left alone by Django already."""

    def has_changed(self):
        if self.instance.pk is None and not any(
            self.add_prefix(name) in self.data for name in self.fields
        ):
            return False
        return super().has_changed()


class OnTheProgrammesPage:
    """Sign-up is set up once the programme exists: not on its add page (Django asks an
    inline's permissions there with no object, and elsewhere too, e.g. for its rows)."""

    @staticmethod
    def _adding(request, obj) -> bool:
        match = getattr(request, "resolver_match", None)
        return obj is None and bool(match and (match.url_name or "").endswith("_add"))

    def has_view_permission(self, request, obj=None):
        return not self._adding(request, obj) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not self._adding(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._adding(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._adding(request, obj) and super().has_delete_permission(request, obj)


class IntakeInline(OnTheProgrammesPage, ScopedInline, admin.StackedInline):
    model = ProgrammeIntake
    form = ChangedOnlyIfPostedForm
    verbose_name = "sign-up and matching settings"
    fields = (
        "signup_link",
        "signup_open",
        "roles",
        "auto_approve",
        ("mentor_places", "mentee_places"),
        "requests_need_approval",
    )
    readonly_fields = ("signup_link",)
    max_num = 1
    min_num = 0
    extra = 1
    can_delete = False

    @admin.display(description="sign-up link to share")
    def signup_link(self, intake):
        if intake is None or intake.pk is None:
            return "Save with sign-up open to get the link."
        url = signup_url(intake)
        state = "open" if intake.signup_open else "closed: the link shows that sign-up is closed"
        return format_html('<a href="{}">{}</a> ({})', url, url, state)


class SignupQuestionForm(ChangedOnlyIfPostedForm):
    options = forms.CharField(
        required=False,
        max_length=OPTIONS_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=SignupQuestion._meta.get_field("options").help_text,
    )

    class Meta:
        model = SignupQuestion
        fields = (
            "position",
            "text",
            "help_text",
            "kind",
            "options",
            "required",
            "asked_of",
            "is_criterion",
        )


class SignupQuestionInline(OnTheProgrammesPage, ScopedInline, admin.StackedInline):
    model = SignupQuestion
    form = SignupQuestionForm
    verbose_name = "sign-up question"
    extra = 0  # "Add another sign-up question" adds one
    fields = (
        ("position", "kind", "required"),
        "text",
        "help_text",
        "options",
        ("asked_of", "is_criterion"),
    )


class ApplicationAnswerInline(ReadOnlyInline):
    model = ApplicationAnswer
    verbose_name = "answer"
    fields = ("question", "display")
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question")

    @admin.display(description="answer")
    def display(self, answer):
        return answer.display


class DeclineForm(forms.Form):
    message = forms.CharField(
        label="Message to the applicants",
        required=False,
        max_length=Application._meta.get_field("decision_message").max_length,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        help_text="Sent in the email as you write it. Kind and short is best.",
    )


@admin.register(Application)
class ApplicationAdmin(ProgrammeScopedAdmin):
    """Applications, each programme's to its own coordinators. Read, then approved or
    declined; nobody edits what an applicant wrote."""

    list_display = ("name", "email", "role", "status", "programme", "created_at", "decided_at")
    list_filter = ("status", "role", ("programme", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "email")
    list_select_related = ("programme",)
    fields = (
        "programme",
        "name",
        "email",
        "role",
        "status",
        "created_at",
        "confirmed_at",
        "decided_at",
        "decided_by",
        "decision_message",
        "participant",
    )
    readonly_fields = fields
    inlines = [ApplicationAnswerInline]
    actions = ["approve", "decline"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing on the page is editable: decisions are the list's actions.
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _decide(self, request, queryset, verb: str, decide, **kwargs):
        done, skipped = 0, 0
        for application in queryset.select_related("programme"):
            if application.status != ApplicationStatus.WAITING:
                skipped += 1
                continue
            try:
                decide(application=application, by=request.user, **kwargs)
            except (ValidationError, PermissionDenied):
                skipped += 1
                continue
            done += 1
        self.message_user(request, f"{verb} {done} application{'s' * (done != 1)}.")
        if skipped:
            self.message_user(
                request,
                f"{skipped} not waiting for a decision (unconfirmed or already decided), "
                "left as they were.",
                messages.WARNING,
            )

    @admin.action(description="Approve the selected applications", permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, "Approved", application_approve)

    @admin.action(
        description="Decline the selected applications, with a message…", permissions=["change"]
    )
    def decline(self, request, queryset):
        form = DeclineForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._decide(
                request,
                queryset,
                "Declined",
                application_decline,
                message=form.cleaned_data["message"],
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Decline applications",
            "form": form,
            "objects": queryset.select_related("programme"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "decline",
            "media": self.media,
        }
        return TemplateResponse(request, "admin/partnerships/application/decline.html", context)
