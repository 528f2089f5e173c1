"""A second factor: an authenticator app (TOTP) and a set of single-use recovery codes,
both as django-otp devices. Coordinators and superusers need one for the admin site (with
``REQUIRE_2FA_FOR_STAFF``); anyone may turn it on for their own account, and then every
login of theirs asks for it (accounts/middleware.py)."""

import re
import secrets
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from mentorship.models import RECOVERY_LOOKUP_LENGTH, RecoveryCode, RecoveryCodeDevice

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def needs_second_factor(user) -> bool:
    """Coordinators (staff) and superusers: the admin site asks them to set one up."""
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def may_turn_off(user) -> bool:
    """Whoever turned it on may turn it off, unless the admin site requires it of them."""
    return not (settings.REQUIRE_2FA_FOR_STAFF and needs_second_factor(user))


def has_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_for_setup(*, user) -> TOTPDevice:
    """The unconfirmed device being set up: the same secret until it is confirmed, so a
    reload does not invalidate the QR code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def qr_code_svg(text: str) -> str:
    """An inline SVG (no image library needed), scaled by CSS.

    Without width and height it gets a viewBox, so CSS scales it instead of cropping it;
    the white background carries the four-module quiet zone scanners need on any page."""
    return segno.make(text, error="m").svg_inline(
        scale=4, border=4, dark="#1d2430", light="#fff", omitsize=True
    )


@transaction.atomic
def totp_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm a device with a first code from the app; earlier apps stop working."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(normalise(token)):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def recovery_code_random() -> str:
    """12 base32 characters (60 bits), shown as abcd-efgh-ijkl; never six digits, so it
    is never mistaken for an app code."""
    code = b32encode(secrets.token_bytes(10)).decode().lower()[:12]
    return "-".join(code[i : i + 4] for i in range(0, 12, 4))


@transaction.atomic
def recovery_codes_create(*, user) -> list[str]:
    """A fresh set of single-use codes, returned once and stored only as hashes; any
    earlier set stops working."""
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes: dict[str, str] = {}  # lookup -> code; distinct lookups, one hash per try
    while len(codes) < RECOVERY_CODE_COUNT:
        code = recovery_code_random()
        codes.setdefault(normalise(code)[:RECOVERY_LOOKUP_LENGTH], code)
    RecoveryCode.objects.bulk_create(
        RecoveryCode(
            device=device,
            lookup=lookup,
            secret_hash=make_password(normalise(code)[RECOVERY_LOOKUP_LENGTH:]),
        )
        for lookup, code in codes.items()
    )
    return list(codes.values())


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


def normalise(token: str) -> str:
    return re.sub(r"[\s-]", "", token or "").lower()


@transaction.atomic
def second_factor_verify(*, user, token: str):
    """The device that accepts this code, or None. Six digits are an app code; anything
    else is tried as a recovery code, which is used up. Routing by shape keeps a mistyped
    app code from slowing down (throttling) the recovery codes, and the other way round."""
    token = normalise(token)
    if re.fullmatch(r"\d{6}", token):
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = RecoveryCodeDevice.objects.filter(user=user, confirmed=True)
    for device in devices.select_for_update():
        if device.verify_token(token):
            return device
    return None


@transaction.atomic
def second_factor_remove(*, user) -> None:
    """Turn two-factor sign-in off: the app and every recovery code stop working."""
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()
