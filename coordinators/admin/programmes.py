from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from coordinators.admin.cohorts import next_cohort_view
from coordinators.admin.counts import count_of
from coordinators.admin.dashboard import dashboard_view
from coordinators.admin.exports import export_goals_view, export_partnerships_view
from coordinators.admin.invitations import invitations_view
from coordinators.admin.matching import matching_view
from coordinators.admin.outcomes import comparison_view, outcome_figure_csv_view, outcomes_view
from coordinators.admin.scoping import ProgrammeScopedAdmin, ScopedInline
from coordinators.admin.signup import IntakeInline, SignupQuestionInline
from coordinators.admin.surveys import survey_results_csv_view, survey_results_view
from partnerships.models import Participant, Partnership, Programme, RetentionRun
from partnerships.services.programme_life import programme_archive


class ParticipantForm(forms.ModelForm):
    """A participant's person and programme are fixed once they exist: their seat in a
    partnership is theirs, and handing it to someone else would hand over what the
    partnership wrote. (A row of the programme's inline, too, where readonly_fields could
    not tell an existing row from a new one.)"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in ("user", "programme"):
                if name in self.fields:
                    self.fields[name].disabled = True


class ParticipantInline(ScopedInline, admin.TabularInline):
    model = Participant
    form = ParticipantForm
    fields = ("user", "role", "capacity", "interests")
    autocomplete_fields = ("user",)
    extra = 0


class ArchivedFilter(admin.SimpleListFilter):
    """Archived programmes leave the list unless asked for; they stay readable."""

    title = "archive"
    parameter_name = "archived"
    reads = ("archived_at",)
    CHOICES = (("no", "Current"), ("yes", "Archived"), ("all", "All"))

    def lookups(self, request, model_admin):
        return self.CHOICES

    def chosen(self) -> str:
        return self.value() if self.value() in dict(self.CHOICES) else "no"

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": self.chosen() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        chosen = self.chosen()
        if chosen == "all":
            return queryset
        return queryset.filter(archived_at__isnull=chosen == "no")


def _day(day) -> str:
    return f"{day:%-d %B %Y}"


@admin.register(Programme)
class ProgrammeAdmin(ProgrammeScopedAdmin):
    programme_path = ""
    ordering = ("-starts_on", "name")  # explicit: annotations drop Meta.ordering
    list_display = (
        "name",
        "starts_on",
        "ends_on",
        "checkin_cadence_days",
        "mentor_count",
        "mentee_count",
        "partnership_count",
        "dashboard_link",
    )
    list_filter = (ArchivedFilter,)
    search_fields = ("name", "slug")
    actions = ["archive", "unarchive"]
    readonly_fields = ("life", "retention_record")
    prepopulated_fields = {"slug": ("name",)}
    date_hierarchy = "starts_on"
    filter_horizontal = ("coordinators",)
    inlines = [ParticipantInline, IntakeInline, SignupQuestionInline]
    fieldsets = (
        (
            None,
            {"fields": ("name", "slug", "description", ("starts_on", "ends_on"), "coordinators")},
        ),
        ("Check-ins", {"fields": ("checkin_cadence_days",)}),
        (
            "The programme's life",
            {
                "fields": (
                    "life",
                    "time_zone",
                    "wrap_up_days",
                    "health_grace_days",
                    ("retention_months", "retention_includes_shared"),
                    "retention_record",
                ),
                "description": "To extend the programme, move its end date. One partnership "
                "can run on past it from its own page.",
            },
        ),
        (
            "Reminders",
            {
                "fields": (
                    "reminder_lead_days",
                    "delivery_hour",
                    ("quiet_hours_start", "quiet_hours_end"),
                    "deliver_any_hour",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return self.coordinated_programmes(request).annotate(
            mentors=count_of(Participant.objects.mentors(), via="programme"),
            mentees=count_of(Participant.objects.mentees(), via="programme"),
            open_partnerships=count_of(Partnership.objects.open(), via="programme"),
        )

    def coordinated_programmes(self, request):
        """The programmes this user may see, without the list's counts (each of those
        counts a programme's people and partnerships: 2 ms at 4,000)."""
        return super().get_queryset(request)

    @admin.display(description="mentors", ordering="mentors")
    def mentor_count(self, obj):
        return obj.mentors

    @admin.display(description="mentees", ordering="mentees")
    def mentee_count(self, obj):
        return obj.mentees

    @admin.display(description="open partnerships", ordering="open_partnerships")
    def partnership_count(self, obj):
        return obj.open_partnerships

    @admin.display(description="")
    def dashboard_link(self, obj):
        url = reverse("admin:partnerships_programme_dashboard", args=[obj.pk])
        return format_html('<a class="button" href="{}">Dashboard</a>', url)

    @admin.display(description="where it stands")
    def life(self, obj):
        if obj is None or obj.pk is None:
            return "New: it starts on its start date."
        parts = []
        if obj.follows_id:
            parts.append(
                format_html(
                    "Follows {}.",
                    format_html('<a href="{}">{}</a>', self._change(obj.follows), obj.follows),
                )
            )
        if obj.archived_at:
            parts.append(f"Archived on {_day(obj.archived_at)}: read-only, out of the lists.")
        elif obj.closed_at:
            parts.append(f"Ended on {_day(obj.ends_on)}; read-only for its partners.")
        elif obj.has_ended():
            parts.append(f"Ended on {_day(obj.ends_on)}; it is being closed.")
        else:
            parts.append(f"Runs until {_day(obj.ends_on)}.")
        later = list(obj.next_cohorts.order_by("starts_on"))
        if later:
            links = format_html_join(
                ", ", '<a href="{}">{}</a>', ((self._change(p), p) for p in later)
            )
            parts.append(format_html("Next cohort: {}.", links))
        next_url = reverse("admin:partnerships_programme_next_cohort", args=[obj.pk])
        parts.append(format_html('<a href="{}">Start the next cohort from this one</a>', next_url))
        return format_html_join(" ", "{}", ((part,) for part in parts))

    @admin.display(description="retention")
    def retention_record(self, obj):
        """What the setting will do, and the record once it has run."""
        run = RetentionRun.objects.filter(programme=obj).first() if obj and obj.pk else None
        if run is not None:
            shared = (
                f", {run.shared_reflections} shared reflections deleted and {run.texts_cleared} "
                "other texts emptied"
                if run.included_shared
                else ""
            )
            return (
                f"Ran on {_day(run.ran_at)} ({run.months} months after the end, the day "
                f"{_day(run.deletes_on)}): {run.private_reflections} private reflections "
                f"deleted{shared}."
            )
        if obj is None or obj.retention_deletes_on is None:
            return "Nothing is deleted: reflections are kept for as long as the programme is."
        what = "Private reflections" + (
            " and shared free text" if obj.retention_includes_shared else ""
        )
        return (
            f"{what} "
            f"will be deleted on {_day(obj.retention_deletes_on)}; participants are told on "
            f"{_day(obj.retention_notice_on)}. (Saved settings; change them above.)"
        )

    def _change(self, programme) -> str:
        return reverse("admin:partnerships_programme_change", args=[programme.pk])

    @admin.action(description="Archive the selected programmes (ended ones only)")
    def archive(self, request, queryset):
        self._archive(request, queryset, archived=True)

    @admin.action(description="Bring the selected programmes back from the archive")
    def unarchive(self, request, queryset):
        self._archive(request, queryset, archived=False)

    def _archive(self, request, queryset, *, archived: bool):
        done, refused = [], []
        for programme in queryset:
            try:
                programme_archive(programme=programme, by=request.user, archived=archived)
            except ValidationError:
                refused.append(programme.name)
            else:
                done.append(programme.name)
        if done:
            verb = "Archived" if archived else "Brought back"
            messages.success(request, f"{verb}: {', '.join(done)}.")
        if refused:
            messages.error(
                request,
                f"Not archived, because it has not ended yet: {', '.join(refused)}.",
            )

    def get_urls(self):
        """The coordinator's pages for one programme, next to its change page."""

        def page(view, suffix):
            def wrapped(request, object_id):
                return view(self, request, object_id)

            return path(
                f"<path:object_id>/{suffix}/",
                self.admin_site.admin_view(wrapped),
                name=f"partnerships_programme_{suffix.replace('.csv', '').replace('-', '_')}",
            )

        compare = path(
            "compare/",
            self.admin_site.admin_view(lambda request: comparison_view(self, request)),
            name="partnerships_programme_compare",
        )
        return [
            compare,
            page(dashboard_view, "dashboard"),
            page(invitations_view, "invitations"),
            page(matching_view, "matching"),
            page(survey_results_view, "surveys"),
            page(outcomes_view, "outcomes"),
            page(next_cohort_view, "next-cohort"),
            page(outcome_figure_csv_view, "outcome-figure.csv"),
            page(survey_results_csv_view, "survey-results.csv"),
            page(export_partnerships_view, "export-partnerships.csv"),
            page(export_goals_view, "export-goals.csv"),
            *super().get_urls(),
        ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A coordinator who creates a programme coordinates it (or they could not see it).
        if not request.user.is_superuser:
            form.instance.coordinators.add(request.user)


@admin.register(Participant)
class ParticipantAdmin(ProgrammeScopedAdmin):
    list_display = ("user", "email", "programme", "role", "capacity", "open_partnerships")
    ordering = ("programme", "role", "user__name")
    list_filter = (("programme", admin.RelatedOnlyFieldListFilter), "role")
    search_fields = ("user__name", "user__email", "interests")
    autocomplete_fields = ("user",)
    list_select_related = ("user", "programme")
    fields = ("programme", "user", "role", "capacity", "interests", "bio")

    def get_readonly_fields(self, request, obj=None):
        # Fixed once they exist (see ParticipantForm).
        return ("programme", "user") if obj is not None else ()

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                open_count=count_of(Partnership.objects.open(), via="mentor")
                + count_of(Partnership.objects.open(), via="mentee")
            )
        )

    @admin.display(ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description="open partnerships", ordering="open_count")
    def open_partnerships(self, obj):
        return obj.open_count
