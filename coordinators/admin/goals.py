from django.contrib import admin

from coordinators.admin.scoping import ReadOnlyAdmin, ReadOnlyInline
from goals.models import Goal, GoalRevision


class RevisionInline(ReadOnlyInline):
    """Who changed which fields when; the wording itself stays with the partners."""

    model = GoalRevision
    fields = ("goal_version", "kind", "fields_changed", "author", "checkin", "created_at")
    readonly_fields = fields
    show_change_link = False

    @admin.display(description="fields changed")
    def fields_changed(self, obj):
        return ", ".join(obj.changed_fields) or "—"


@admin.register(Goal)
class GoalAdmin(ReadOnlyAdmin):
    """Read-only: the mentee owns their goals; coordinators see titles and movement."""

    programme_path = "partnership__programme"
    partnership_path = "partnership"
    list_display = (
        "title",
        "partnership",
        "owner_role",
        "status",
        "target_date",
        "version",
        "updated_at",
    )
    list_filter = (
        ("partnership__programme", admin.RelatedOnlyFieldListFilter),
        "status",
        "owner_role",
    )
    list_select_related = ("partnership__mentor__user", "partnership__mentee__user")
    search_fields = ("title",)
    fields = (
        "title",
        "partnership",
        "owner_role",
        "status",
        "target_date",
        "proposed_by",
        "version",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = [RevisionInline]
