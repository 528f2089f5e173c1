from django.contrib import admin

from coordinators.admin.scoping import ReadOnlyAdmin
from partnerships.models import CoordinatorAction


@admin.register(CoordinatorAction)
class CoordinatorActionAdmin(ReadOnlyAdmin):
    """Who did what, when: every coordinator action, kept for the record."""

    list_display = ("created_at", "actor", "programme", "partnership", "summary")
    list_filter = (("programme", admin.RelatedOnlyFieldListFilter), "verb")
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
