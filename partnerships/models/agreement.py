from django.conf import settings
from django.db import models
from django.db.models import Q

from partnerships.models.participant import Role


class AgreementQuerySet(models.QuerySet):
    def signed(self):
        return self.filter(mentor_signed_at__isnull=False, mentee_signed_at__isnull=False)


class Agreement(models.Model):
    """One version of a partnership's expectations and boundaries.

    A version is in force once both partners have signed it, until a later version is
    signed by both. Changing anything makes a new version; old versions stay readable.
    """

    TERMS = (
        "checkin_cadence_days",
        "channels",
        "response_time",
        "confidentiality",
        "off_limits",
        "other_expectations",
    )

    # Coordinators see the cadence (it sets when check-ins are due), never the rest.
    PRIVATE_FIELDS = (*TERMS[1:], "change_note")

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="agreements"
    )
    version = models.PositiveSmallIntegerField()
    checkin_cadence_days = models.PositiveSmallIntegerField("check-in cadence (days)")
    channels = models.CharField(
        "how we meet", max_length=300, help_text="e.g. video call, in person, chat"
    )
    response_time = models.CharField(
        "expected response time", max_length=200, help_text="e.g. within two working days"
    )
    confidentiality = models.TextField(
        default="What we discuss stays between us unless we both agree otherwise."
    )
    off_limits = models.TextField("off-limits topics", blank=True)
    other_expectations = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    change_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    mentor_signed_at = models.DateTimeField(null=True, blank=True)
    mentee_signed_at = models.DateTimeField(null=True, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-version"]
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "version"], name="agreement_version_unique"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="agreement_version_positive"),
            models.CheckConstraint(
                condition=Q(checkin_cadence_days__gte=1), name="agreement_cadence_positive"
            ),
        ]
        indexes = [
            # The reminder sweep's "waiting for your signature" query: unsigned versions only.
            models.Index(
                fields=["created_at"],
                condition=Q(mentor_signed_at__isnull=True) | Q(mentee_signed_at__isnull=True),
                name="agreement_unsigned_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement v{self.version}"

    @property
    def is_signed(self) -> bool:
        return self.mentor_signed_at is not None and self.mentee_signed_at is not None

    def terms(self) -> dict:
        return {name: getattr(self, name) for name in self.TERMS}

    def missing_signatures(self) -> list[str]:
        missing = []
        if self.mentor_signed_at is None:
            missing.append(Role.MENTOR)
        if self.mentee_signed_at is None:
            missing.append(Role.MENTEE)
        return missing
