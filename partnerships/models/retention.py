from django.db import models


class RetentionRun(models.Model):
    """The record that a programme's retention setting was carried out: when, under which
    setting, and how much was deleted. One per programme: the unique constraint is also
    what lets only one of several workers run it."""

    programme = models.OneToOneField(
        "partnerships.Programme", on_delete=models.CASCADE, related_name="retention_run"
    )
    deletes_on = models.DateField(help_text="The day the setting named.")
    months = models.PositiveSmallIntegerField("months after the end")
    included_shared = models.BooleanField("shared free text included")
    ran_at = models.DateTimeField(auto_now_add=True)
    private_reflections = models.PositiveIntegerField("private reflections deleted", default=0)
    shared_reflections = models.PositiveIntegerField("shared reflections deleted", default=0)
    texts_cleared = models.PositiveIntegerField(
        "other shared texts cleared", default=0, help_text="Agendas, notes and comments."
    )

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"Retention of {self.programme} on {self.deletes_on}"
