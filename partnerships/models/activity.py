from django.conf import settings
from django.db import models


class Activity(models.Model):
    """Who did what in a partnership, for the activity feed and the audit trail.

    ``summary`` holds metadata only (goal titles, versions, statuses), never reflections,
    agendas or feedback comments, because coordinators may read it.
    """

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="activities"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    verb = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(
                fields=["partnership", "-created_at"], name="activity_feed_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor or 'System'} {self.summary}"
