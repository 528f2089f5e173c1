"""Pages for the second factor: set up an authenticator app, verify a code, recovery
codes, and turning it off. Coordinators need it for the admin site; anyone may use it."""

from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from mentorship.accounts import two_factor
from mentorship.accounts.forms import AppCodeForm, SecondFactorForm, TwoFactorOffForm
from mentorship.accounts.middleware import second_factor_changed
from mentorship.models import RecoveryCodeDevice


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    if two_factor.needs_second_factor(request.user):
        return reverse("admin:index")
    return settings.LOGIN_REDIRECT_URL


def _codes_page(request, codes):
    return render(
        request,
        "registration/two_factor_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Enrol an authenticator app; once enrolled, the page shows the state of things."""
    if two_factor.has_app(request.user):
        if not request.user.is_verified():
            # Replacing an app needs the current one: a stolen password is not enough.
            return redirect(f"{reverse('two_factor_verify')}?next={reverse('two_factor_setup')}")
        return _status_page(request, TwoFactorOffForm(request=request))
    device = two_factor.totp_device_for_setup(user=request.user)
    form = AppCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if two_factor.totp_confirm(device=device, token=form.cleaned_data["code"]):
            device.refresh_from_db()
            otp_login(request, device)
            second_factor_changed(request)
            return _codes_page(request, two_factor.recovery_codes_create(user=request.user))
        form.add_error("code", "That code didn't match. Check the app's clock and try again.")
    uri = device.config_url
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "otpauth_uri": uri,
            # In groups of four, as the apps show keys and accept them typed (with spaces).
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr_svg": two_factor.qr_code_svg(uri),
            "next": _next_url(request),
            "for_admin": two_factor.needs_second_factor(request.user),
        },
        status=422 if form.errors else 200,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of logging in: a code from the app or a recovery code."""
    if not two_factor.has_app(request.user):
        # Turned off meanwhile (in another session): nothing to ask for any more.
        second_factor_changed(request)
        if settings.REQUIRE_2FA_FOR_STAFF and two_factor.needs_second_factor(request.user):
            return redirect(f"{reverse('two_factor_setup')}?next={_next_url(request)}")
        return redirect(_next_url(request))
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.second_factor_verify(user=request.user, token=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, RecoveryCodeDevice):
                left = two_factor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    format_html(
                        "You used a recovery code; {} left. Each works once — make new ones "
                        'from <a href="{}">your two-factor page</a> if you are running low.',
                        left,
                        reverse("two_factor_setup"),
                    ),
                )
            return redirect(_next_url(request))
        form.add_error(
            "code",
            "That code didn't work. App codes change every 30 seconds; after several wrong "
            "codes, wait a little before trying again.",
        )
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
        status=422 if form.errors else 200,
    )


@login_required
@never_cache
@require_POST
def two_factor_recovery_codes(request):
    """A fresh set of recovery codes, shown once; only from a verified session."""
    if not request.user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?next={reverse('two_factor_setup')}")
    return _codes_page(request, two_factor.recovery_codes_create(user=request.user))


def _status_page(request, form, *, status=200):
    return render(
        request,
        "registration/two_factor_status.html",
        {
            "codes_left": two_factor.recovery_codes_left(request.user),
            "may_turn_off": two_factor.may_turn_off(request.user),
            "off_form": form,
        },
        status=status,
    )


@login_required
@never_cache
@sensitive_post_parameters("password", "code")
@require_POST
def two_factor_off(request):
    """Turn two-factor sign-in off, with the password and a code (a session is not enough).

    The session has passed the second factor already (the middleware sees to that); asking
    for both again means neither a stolen session nor a stolen password alone can remove
    the protection. The password counts like a login (reauth.py); the code is throttled."""
    if not two_factor.may_turn_off(request.user):
        raise PermissionDenied("Coordinators need two-factor sign-in for the admin site.")
    if not two_factor.has_app(request.user):
        return redirect("two_factor_setup")
    form = TwoFactorOffForm(request.POST, request=request)
    if not form.is_valid():
        return _status_page(request, form, status=422)
    two_factor.second_factor_remove(user=request.user)
    second_factor_changed(request)
    messages.success(
        request,
        "Two-factor sign-in is off: logging in asks for your password only. Your app and "
        "recovery codes no longer work; you can turn it on again at any time.",
    )
    return redirect("profile")
