from django.contrib import admin
from django.utils import timezone

from coordinators.admin.scoping import ReadOnlyAdmin, coordinated_programmes
from partnerships.models import CoordinatorAction


class VerbFilter(admin.SimpleListFilter):
    """What was done, in words rather than the stored verb ("invited_csv")."""

    title = "what was done"
    parameter_name = "verb"
    reads = ("verb",)
    WORDS = {"invited_csv": "invited from a CSV file"}

    def lookups(self, request, model_admin):
        verbs = (
            model_admin.get_queryset(request)
            .order_by("verb")
            .values_list("verb", flat=True)
            .distinct()
        )
        return [(verb, self.WORDS.get(verb, verb.replace("_", " "))) for verb in verbs]

    def queryset(self, request, queryset):
        return queryset.filter(verb=self.value()) if self.value() else queryset


@admin.register(CoordinatorAction)
class CoordinatorActionAdmin(ReadOnlyAdmin):
    """Who did what, when: every coordinator action, kept for the record. The summary
    comes right after who did it and gets the room (readable at 1,366 pixels wide)."""

    list_display = ("when", "actor", "summary", "partnership", "programme")
    list_filter = (("programme", admin.RelatedOnlyFieldListFilter), VerbFilter)
    list_select_related = (
        "actor",
        "programme",
        "partnership__mentor__user",
        "partnership__mentee__user",
    )
    search_fields = ("summary", "actor__name", "actor__email")
    date_hierarchy = "created_at"
    fields = ("created_at", "actor", "programme", "partnership", "verb", "summary")
    readonly_fields = fields

    def get_list_display(self, request):
        # One programme's coordinator needs no column saying which: the summary gets it.
        if coordinated_programmes(request.user)[:2].count() < 2:
            return tuple(c for c in self.list_display if c != "programme")
        return self.list_display

    class Media:
        css = {"all": ["css/coordinators-admin.css"]}

    @admin.display(description="when", ordering="created_at")
    def when(self, obj):
        return f"{timezone.localtime(obj.created_at):%-d %b %Y %H:%M}"
