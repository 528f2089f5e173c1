from django.db import models


class HealthFacts(models.Model):
    """What a partnership's health is judged on from its history, stored so that a
    programme's dashboard reads one row per partnership instead of every check-in,
    feedback and goal behind it. Kept current by ``goals.health_facts``."""

    partnership = models.OneToOneField(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="health_facts",
    )
    # Participation, per check-in rather than per row: of the last (up to) three
    # check-ins, in how many each partner took part at all (started it, set its agenda,
    # reflected, reviewed a goal, added a next step or gave feedback). Owning more goals
    # does not count for or against anyone (see goals.health).
    recent_checkins = models.PositiveSmallIntegerField(default=0)
    mentor_took_part = models.PositiveSmallIntegerField(default=0)
    mentee_took_part = models.PositiveSmallIntegerField(default=0)
    # The latest rating each partner received, if any, and the day of the check-in the
    # later of the two was given on (when a low rating began to count).
    rating_for_mentor = models.PositiveSmallIntegerField(null=True)
    rating_for_mentee = models.PositiveSmallIntegerField(null=True)
    latest_rating_on = models.DateField(null=True)
    goals_active = models.PositiveIntegerField(default=0)
    goals_achieved = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "health facts"

    def __str__(self) -> str:
        return f"Health facts of partnership {self.partnership_id}"


class CheckInWeek(models.Model):
    """How many check-ins a programme's partnerships held in one week (from Monday), for
    the dashboard's chart. Kept current by ``goals.health_facts``."""

    programme = models.ForeignKey(
        "partnerships.Programme", on_delete=models.CASCADE, related_name="checkin_weeks"
    )
    week = models.DateField()
    checkins = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "week"], name="checkin_week_per_programme")
        ]

    def __str__(self) -> str:
        return f"{self.checkins} check-ins in the week of {self.week}"
