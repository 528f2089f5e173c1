"""The custom user: people log in by email and read every date in their own time zone;
and their recovery codes for the second factor, stored hashed."""

import unicodedata
import zoneinfo
from functools import cache

from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin, TimestampMixin


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("%(value)s is not a known time zone.", params={"value": value})


NAME_REFUSED = "A name cannot contain line breaks, tabs or other control characters."


def has_control_characters(value: str) -> bool:
    """Control characters (line breaks, tabs, NUL, escape, C1) and Unicode's line and
    paragraph separators. Letters, marks and joiners of every script are fine."""
    return any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in value)


def validate_name(value: str) -> None:
    """A name is one line of text: it is written into email headers, calendar files and
    CSV rows, where a line break could start a header, an event or a row of its own."""
    if has_control_characters(value):
        raise ValidationError(NAME_REFUSED, code="control_characters")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    name = models.CharField(max_length=150, validators=[validate_name])
    time_zone = models.CharField(
        max_length=64, default="UTC", validators=[validate_time_zone], choices=time_zone_choices
    )
    email_reminders = models.BooleanField(
        "email reminders", default=True, help_text="Send me reminders about check-ins and goals."
    )
    is_staff = models.BooleanField(
        "staff status", default=False, help_text="Can log into the admin site (coordinators)."
    )
    is_active = models.BooleanField("active", default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            # Case-insensitive: Ada@Example.org and ada@example.org are one person.
            models.UniqueConstraint(models.functions.Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A set of single-use recovery codes for the second factor (see accounts/two_factor).

    django-otp's own static device keeps its codes in plain text (and shows them in the
    admin); here each code is stored as a salted password hash, as ASVS asks of lookup
    secrets. A code is ``lookup + secret``: the short lookup finds the row without a scan,
    the secret is checked against its hash, so one try costs one hash."""

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token: str) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        lookup, secret = token[:RECOVERY_LOOKUP_LENGTH], token[RECOVERY_LOOKUP_LENGTH:]
        match = next(
            (
                code
                for code in self.codes.filter(lookup=lookup)
                if secret and check_password(secret, code.secret_hash)
            ),
            None,
        )
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


# The lookup part of a recovery code, stored in the clear: 4 base32 characters (20 bits).
RECOVERY_LOOKUP_LENGTH = 4


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, related_name="codes", on_delete=models.CASCADE)
    lookup = models.CharField(max_length=RECOVERY_LOOKUP_LENGTH)
    secret_hash = models.CharField(max_length=256)

    class Meta:
        indexes = [models.Index(fields=["device", "lookup"], name="recovery_code_lookup_idx")]

    def __str__(self) -> str:
        return f"A recovery code of {self.device.user}"
