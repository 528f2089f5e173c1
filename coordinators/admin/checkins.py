from django.contrib import admin

from coordinators.admin.counts import count_of
from coordinators.admin.scoping import ReadOnlyAdmin, ReadOnlyInline
from goals.models import GoalReview
from partnerships.models import Activity, CheckIn, Feedback, Reflection


class FeedbackInline(ReadOnlyInline):
    """Ratings only: comments are for the partner."""

    model = Feedback
    fields = ("author", "recipient", "rating", "given_at")
    readonly_fields = fields
    show_change_link = False


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    """Dates, who contributed and how many reviews: never agendas or reflections."""

    programme_path = "partnership__programme"
    partnership_path = "partnership"
    list_display = ("partnership", "held_on", "started_by", "reflections_count", "reviews_count")
    list_filter = (("partnership__programme", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("partnership__mentor__user", "partnership__mentee__user", "started_by")
    search_fields = ("partnership__mentor__user__name", "partnership__mentee__user__name")
    date_hierarchy = "held_on"
    ordering = ("-held_on", "-created_at")
    fields = ("partnership", "held_on", "started_by", "created_at")
    readonly_fields = fields
    inlines = [FeedbackInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                reflections_total=count_of(Reflection.objects.all(), via="checkin"),
                reviews_total=count_of(GoalReview.objects.all(), via="checkin"),
            )
        )

    @admin.display(description="reflections", ordering="reflections_total")
    def reflections_count(self, obj):
        return obj.reflections_total

    @admin.display(description="goal reviews", ordering="reviews_total")
    def reviews_count(self, obj):
        return obj.reviews_total


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    programme_path = "checkin__partnership__programme"
    partnership_path = "checkin__partnership"
    list_display = ("checkin", "author", "recipient", "rating", "given_at")
    list_filter = (("checkin__partnership__programme", admin.RelatedOnlyFieldListFilter), "rating")
    list_select_related = ("checkin", "author", "recipient")
    fields = ("checkin", "author", "recipient", "rating", "given_at")
    readonly_fields = fields


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    programme_path = "partnership__programme"
    partnership_path = "partnership"
    list_display = ("created_at", "partnership", "actor", "summary")
    list_filter = (("partnership__programme", admin.RelatedOnlyFieldListFilter), "verb")
    list_select_related = ("partnership__mentor__user", "partnership__mentee__user", "actor")
    search_fields = ("summary", "actor__name")
    fields = ("created_at", "partnership", "actor", "verb", "summary")
    readonly_fields = fields
