from django.conf import settings
from django.db import models


class AccessPage(models.TextChoices):
    CHANGE = "change", "the partnership's page in the admin"
    LIST = "list", "the list of partnerships"
    DASHBOARD = "dashboard", "the programme dashboard"
    EXPORT = "export", "a spreadsheet export"


class CoordinatorAccess(models.Model):
    """A coordinator (or superuser) looked at a partnership in the admin: on which page,
    first and last when, and how often. One row per partnership, person and page, so the
    partners can see when their coordinator last looked, and at what."""

    Page = AccessPage

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="coordinator_accesses"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    page = models.CharField(max_length=10, choices=AccessPage.choices)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    times = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "coordinator accesses"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "coordinator", "page"], name="coordinator_access_once"
            ),
            models.CheckConstraint(
                condition=models.Q(page__in=AccessPage.values),
                name="coordinator_access_page_valid",
            ),
        ]
        indexes = [
            # The workspace's "when your coordinator last looked".
            models.Index(fields=["partnership", "-last_at"], name="coordinator_access_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.coordinator} looked at {self.get_page_display()}"
