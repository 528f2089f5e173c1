from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html

from coordinators.admin.counts import count_of
from coordinators.admin.scoping import ProgrammeScopedAdmin, ReadOnlyInline
from coordinators.nudges import nudge_send
from goals.models import Goal
from partnerships import services
from partnerships.models import Agreement, CheckIn, CoordinatorAction, Partnership
from partnerships.services.programme_life import partnership_extend


class AgreementInline(ReadOnlyInline):
    model = Agreement
    fields = (
        "version",
        "checkin_cadence_days",
        "proposed_by",
        "created_at",
        "mentor_signed_at",
        "mentee_signed_at",
    )
    readonly_fields = fields
    show_change_link = False


class GoalInline(ReadOnlyInline):
    model = Goal
    fields = ("title", "owner_role", "status", "target_date", "version", "updated_at")
    readonly_fields = fields


class CheckInInline(ReadOnlyInline):
    model = CheckIn
    fields = ("held_on", "started_by", "created_at")
    readonly_fields = fields
    ordering = ("-held_on",)


def _run(modeladmin, request, queryset, verb: str, service, *, note: str = "", **arguments):
    """Apply one service to each selected partnership, recording each success in the log."""
    done = 0
    for partnership in queryset.with_people():
        try:
            service(partnership=partnership, by=request.user, **arguments)
        except ValidationError as error:
            modeladmin.message_user(
                request, f"{partnership}: {' '.join(error.messages)}", messages.WARNING
            )
            continue
        done += 1
        if service is not nudge_send:  # the nudge records itself, with the emails it sent
            CoordinatorAction.record(
                actor=request.user,
                programme=partnership.programme,
                partnership=partnership,
                verb=service.__name__.removeprefix("partnership_"),
                summary=f"{verb.lower()} {partnership}" + (f": {note}" if note else ""),
            )
    if done:
        modeladmin.message_user(request, f"{verb} {done} partnership{'s' * (done != 1)}.")


def _shared_note(partnership: Partnership, name: str) -> str:
    """A partner's note, only if they shared it with the coordinator (it is private)."""
    if not getattr(partnership, name):
        return "—"
    if getattr(partnership, Partnership.SHAREABLE_FIELDS[name]):
        return getattr(partnership, name)
    return "Not shared: it is between the partners."


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[
            ("completed", "Completed: the partnership ran its course"),
            ("ended_early", "Ended early"),
        ],
        widget=forms.RadioSelect,
        initial="completed",
    )
    reason = forms.ChoiceField(
        label="Why it ended early",
        choices=[("", "—"), *Partnership.EndReason.choices],
        required=False,
        help_text="Shown on the partnership and to the partners. Partners are not blamed.",
    )
    note = forms.CharField(
        max_length=300,
        required=False,
        help_text="For the coordinators' action log only; the partners do not see it.",
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "ended_early" and not data.get("reason"):
            self.add_error("reason", "Choose why the partnership ended early.")
        return data


class PartnershipForm(forms.ModelForm):
    """Letting one partnership run past the programme's end date: the same rules as the
    service (partnerships.services.programme_life.partnership_extend), said on the field."""

    def clean_extended_until(self):
        until = self.cleaned_data.get("extended_until")
        partnership = self.instance
        if partnership.pk is None or "extended_until" not in self.changed_data:
            return until
        if not partnership.is_open or partnership.has_ended():
            raise ValidationError("This partnership has already ended; it can no longer run on.")
        if until is not None and until <= partnership.programme.ends_on:
            raise ValidationError(
                "Choose a day after the programme's end date (%(end)s).",
                params={"end": f"{partnership.programme.ends_on:%-d %B %Y}"},
            )
        return until


@admin.register(Partnership)
class PartnershipAdmin(ProgrammeScopedAdmin):
    form = PartnershipForm

    class Media:
        # Styles live in a file: the Content-Security-Policy refuses style="" attributes.
        css = {"all": ["css/coordinators-admin.css"]}

    partnership_path = ""  # its change page and its rows are looks at it
    list_display = (
        "__str__",
        "programme",
        "status",
        "started_on",
        "last_checkin_on",
        "due",
        "checkin_cadence_days",
        "checkin_count",
    )
    list_filter = (("programme", admin.RelatedOnlyFieldListFilter), "status")
    # Newest first, 50 a page: an index scan that stops after one page (ordering by the
    # mentee's name joined and sorted the whole programme: 53 ms at 4,000, 2.5 ms now).
    ordering = ("-pk",)
    list_per_page = 50
    show_full_result_count = False  # the filtered count is enough; skip a second COUNT
    search_fields = (
        "mentor__user__name",
        "mentor__user__email",
        "mentee__user__name",
        "mentee__user__email",
    )
    autocomplete_fields = ("mentor", "mentee")
    list_select_related = ("programme", "mentor__user", "mentee__user")
    readonly_fields = (
        "code",
        "status",
        "started_on",
        "ended_on",
        "pause_reason",
        "shared_pause_note",
        "end_reason",
        "shared_end_note",
        "last_checkin_on",
        "next_checkin_due_on",
        "created_at",
    )
    inlines = [AgreementInline, GoalInline, CheckInInline]
    actions = ["activate", "pause", "resume", "close", "complete", "end_early", "nudge"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(checkins_total=count_of(CheckIn.objects.all(), via="partnership"))
        )

    def get_inlines(self, request, obj):
        # A new partnership has no history to show yet.
        return self.inlines if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("programme", "mentor", "mentee", "checkin_cadence_days")
        return (
            "code",
            "programme",
            "mentor",
            "mentee",
            "status",
            "checkin_cadence_days",
            "started_on",
            "last_checkin_on",
            "next_checkin_due_on",
            "extended_until",
            "pause_reason",
            "shared_pause_note",
            "ended_on",
            "end_reason",
            "shared_end_note",
            "created_at",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # Who is in a partnership is fixed once it exists; its status moves by actions.
        return (*self.readonly_fields, "programme", "mentor", "mentee")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None and "checkin_cadence_days" in form.base_fields:
            field = form.base_fields["checkin_cadence_days"]
            field.required = False
            field.help_text = "Leave empty to use the programme's default."
        return form

    def save_model(self, request, obj, form, change):
        if change:
            if "extended_until" in form.changed_data:
                # Through the service: it records the change in the feed and the log.
                current = Partnership.objects.select_related("programme").get(pk=obj.pk)
                partnership_extend(partnership=current, until=obj.extended_until, by=request.user)
            obj.refresh_due_date()
            obj.save()
            return
        # New partnerships go through the service, which enforces mentor capacity.
        created = services.partnership_create(
            programme=obj.programme,
            mentor=obj.mentor,
            mentee=obj.mentee,
            by=request.user,
            checkin_cadence_days=obj.checkin_cadence_days,
        )
        obj.pk, obj.code = created.pk, created.code
        obj._state.adding = False

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as error:
            # Capacity is checked under a lock at save time; show it like a form error.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @admin.display(description="next check-in due", ordering="next_checkin_due_on")
    def due(self, obj):
        if obj.next_checkin_due_on is None:
            return "—"
        if obj.next_checkin_due_on < timezone.localdate():
            return format_html(
                '<strong class="coord-overdue">{} (overdue)</strong>',
                obj.next_checkin_due_on.strftime("%-d %b %Y"),
            )
        return obj.next_checkin_due_on.strftime("%-d %b %Y")

    @admin.display(description="note on the pause")
    def shared_pause_note(self, obj):
        return _shared_note(obj, "pause_note")

    @admin.display(description="note on ending")
    def shared_end_note(self, obj):
        return _shared_note(obj, "end_note")

    @admin.display(description="check-ins", ordering="checkins_total")
    def checkin_count(self, obj):
        return obj.checkins_total

    @admin.action(description="Start the selected partnerships", permissions=["change"])
    def activate(self, request, queryset):
        _run(self, request, queryset, "Started", services.partnership_activate)

    @admin.action(description="Pause the selected partnerships", permissions=["change"])
    def pause(self, request, queryset):
        _run(self, request, queryset, "Paused", services.partnership_pause)

    @admin.action(description="Resume the selected partnerships", permissions=["change"])
    def resume(self, request, queryset):
        _run(self, request, queryset, "Resumed", services.partnership_resume)

    @admin.action(
        description="Close the selected partnerships, with a reason…", permissions=["change"]
    )
    def close(self, request, queryset, *, outcome: str = "completed"):
        """An intermediate page asks for the outcome and reason, then closes every one."""
        form = CloseForm(
            request.POST if "apply" in request.POST else None, initial={"outcome": outcome}
        )
        if form.is_valid():
            outcome, note = form.cleaned_data["outcome"], form.cleaned_data["note"]
            if outcome == "completed":
                # Completion stores no reason on the partnership; the log keeps the note.
                _run(self, request, queryset, "Completed", services.partnership_complete, note=note)
            else:
                # The category is on the partnership (and the partners' feed); the
                # coordinator's own note goes to the action log only.
                reason = form.cleaned_data["reason"]
                label = Partnership.EndReason(reason).label.lower()
                _run(
                    self,
                    request,
                    queryset,
                    "Ended",
                    services.partnership_end,
                    note=f"{label}. {note}" if note else label,
                    reason=reason,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Close partnerships",
            "form": form,
            "objects": queryset.with_people(),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "end_early" if outcome == "ended_early" else "close",
            "media": self.media,
        }
        return TemplateResponse(request, "admin/partnerships/partnership/close.html", context)

    @admin.action(description="Send a nudge to check in now", permissions=["change"])
    def nudge(self, request, queryset):
        _run(self, request, queryset, "Nudged", nudge_send)

    @admin.action(description="Mark the selected partnerships completed", permissions=["change"])
    def complete(self, request, queryset):
        _run(self, request, queryset, "Completed", services.partnership_complete)

    @admin.action(
        description="End the selected partnerships early, with a reason…", permissions=["change"]
    )
    def end_early(self, request, queryset):
        return self.close(request, queryset, outcome="ended_early")


@admin.register(Agreement)
class AgreementAdmin(ProgrammeScopedAdmin):
    """Metadata only: the terms are between the partners."""

    programme_path = "partnership__programme"
    partnership_path = "partnership"
    list_display = (
        "partnership",
        "version",
        "proposed_by",
        "created_at",
        "mentor_signed_at",
        "mentee_signed_at",
        "in_force",
    )
    list_filter = (("partnership__programme", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("partnership__mentor__user", "partnership__mentee__user", "proposed_by")
    search_fields = ("partnership__mentor__user__name", "partnership__mentee__user__name")
    fields = (
        "partnership",
        "version",
        "checkin_cadence_days",
        "proposed_by",
        "created_at",
        "mentor_signed_at",
        "mentee_signed_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(boolean=True, description="signed by both")
    def in_force(self, obj):
        return obj.is_signed
