from django.conf import settings
from django.db import models


class CoordinatorAction(models.Model):
    """One thing a coordinator did in the admin: who, what, when. Metadata only."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(
        "partnerships.Programme", on_delete=models.CASCADE, related_name="coordinator_actions"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.SET_NULL,  # the record outlives what it was about
        null=True,
        blank=True,
        related_name="coordinator_actions",
    )
    verb = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["programme", "-created_at"], name="coord_action_per_programme")
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.summary}"

    @classmethod
    def record(cls, *, actor, programme, verb: str, summary: str, partnership=None):
        return cls.objects.create(
            actor=actor,
            programme=programme,
            partnership=partnership,
            verb=verb,
            summary=summary[:300],
        )
