"""A person's own account: change the password or the email address."""

import smtplib

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from mentorship.accounts.email_change import (
    EmailChangeLinkError,
    email_change_confirm,
    email_change_from_token,
    email_change_request,
)
from mentorship.accounts.forms import EmailChangeForm, OwnPasswordChangeForm


@login_required
@never_cache
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change(request):
    """Django's password change, with the old password counted like a login (reauth.py)."""
    form = OwnPasswordChangeForm(
        request.POST if request.method == "POST" else None, request=request
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        # The other sessions end (their hash no longer matches); this one stays.
        update_session_auth_hash(request, form.user)
        return redirect("password_change_done")
    return render(
        request,
        "registration/password_change_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@login_required
@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def email_change(request):
    """Ask for a new address (and the password); a link goes to that address."""
    form = EmailChangeForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["new_email"]
        try:
            email_change_request(user=request.user, new_email=new_email)
        except (smtplib.SMTPException, OSError):
            form.add_error(
                None, "We could not send the email just now. Nothing changed; please try again."
            )
            return render(
                request, "registration/email_change_form.html", {"form": form}, status=503
            )
        # The same words whether a link went out or the address belongs to someone else.
        messages.success(
            request,
            f"Check the inbox of {new_email}: if that address can be used for your account, a "
            "link to confirm it is on its way (it works for 24 hours). Until you follow it, "
            f"your email address stays {request.user.email}.",
        )
        return redirect("profile")
    return render(
        request,
        "registration/email_change_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


LINK_ERROR_STATUS = {"tampered": 404, "other_account": 403, "taken": 409}


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def email_change_confirm_view(request, token):
    """The link from the email: a page to confirm on (a mail scanner opening the link
    changes nothing), then the change. Logged out, the link waits for the login."""
    try:
        if request.method == "POST":
            old_email = email_change_confirm(user=request.user, token=token)
            messages.success(
                request,
                f"Your email address is now {request.user.email}. Use it to log in from now "
                f"on; we have told {old_email} about the change.",
            )
            return redirect("profile")
        new_email = email_change_from_token(user=request.user, token=token)
    except EmailChangeLinkError as error:
        return render(
            request,
            "registration/email_change_invalid.html",
            {"error": error},
            status=LINK_ERROR_STATUS.get(error.kind, 410),
        )
    return render(request, "registration/email_change_confirm.html", {"new_email": new_email})
