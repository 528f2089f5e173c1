from django.db import models


class Visibility(models.TextChoices):
    """Who may read a piece of writing. Coordinators never see either."""

    PRIVATE = "private", "Private (only me)"
    SHARED = "shared", "Shared with my partner"
