from django.contrib import admin

from coordinators.admin.scoping import ProgrammeScopedAdmin
from partnerships.models import Reminder
from reminders.send import resend


@admin.register(Reminder)
class ReminderAdmin(ProgrammeScopedAdmin):
    """Every reminder, its status and its last error; failed ones can be sent again."""

    list_display = (
        "recipient",
        "kind",
        "programme",
        "period",
        "status",
        "send_after",
        "attempts",
        "sent_at",
        "short_error",
    )
    list_filter = ("status", "kind", ("programme", admin.RelatedOnlyFieldListFilter))
    search_fields = ("recipient__name", "recipient__email", "period")
    list_select_related = ("recipient", "programme")
    date_hierarchy = "send_after"
    actions = ("resend_failed",)
    fields = (
        "code",
        "recipient",
        "kind",
        "programme",
        "partnership",
        "subject_key",
        "period",
        "due_on",
        "send_after",
        "status",
        "attempts",
        "lease_until",
        "sent_at",
        "last_error",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    @admin.display(description="error")
    def short_error(self, reminder: Reminder) -> str:
        return reminder.last_error[:80]

    @admin.action(description="Send the selected failed reminders again", permissions=["change"])
    def resend_failed(self, request, queryset):
        count = resend(queryset)
        skipped = queryset.count() - count
        self.message_user(
            request,
            f"{count} failed reminder{'s' * (count != 1)} will be sent again within a minute."
            + (f" {skipped} not failed, left alone." if skipped else ""),
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
