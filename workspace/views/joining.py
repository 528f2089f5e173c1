"""The page behind an invitation link: set a password and join the programme."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from mentorship.models import validate_name
from partnerships.services.invitations import (
    InvitationLinkError,
    invitation_accept,
    invitation_from_token,
)
from workspace.forms.passwords import NewPasswordForm


class JoinForm(NewPasswordForm):
    name = forms.CharField(max_length=150, label="Your name", validators=[validate_name])
    field_order = ["name", "password1", "password2"]

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["name"].initial = invitation.name

    def password_user(self, data):
        return get_user_model()(email=self.invitation.email, name=data.get("name", ""))


# A double-clicked "join" sends the form twice, and the browser shows the answer to the
# second, which finds the invitation just used by the first. For this long after joining,
# that second answer signs the person in with the password they just chose instead.
JUST_JOINED = datetime.timedelta(minutes=10)


def _invalid(request, error: InvitationLinkError):
    status = 404 if error.kind == "tampered" else 410
    return render(request, "invitations/invalid.html", {"error": error}, status=status)


def _joined(request, invitation):
    messages.success(request, f"Welcome! You have joined {invitation.programme}.")
    return redirect("home")


def _already_joined(request, error: InvitationLinkError):
    """The second submit of a join form: the account the first one joined with, if this
    request is that person's (logged in as them, or the password just set); otherwise why
    the link no longer works."""
    invitation = error.invitation
    if (
        request.method != "POST"
        or invitation is None
        or timezone.now() - invitation.accepted_at > JUST_JOINED
    ):
        return _invalid(request, error)
    if request.user.is_authenticated:
        if request.user.pk == invitation.accepted_by_id:
            return _joined(request, invitation)
        return _invalid(request, error)
    # Through authenticate(), so a wrong password counts as a failed login (django-axes).
    user = authenticate(
        request, username=invitation.email, password=request.POST.get("password1", "")
    )
    if user is None or user.pk != invitation.accepted_by_id:
        return _invalid(request, error)
    login(request, user)
    return _joined(request, invitation)


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept_view(request, token):
    try:
        invitation = invitation_from_token(token)
    except InvitationLinkError as error:
        return _already_joined(request, error) if error.kind == "used" else _invalid(request, error)

    existing = get_user_model().objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        # They already have an account: joining needs them logged in as that person.
        if request.user != existing:
            return render(
                request, "invitations/log_in_first.html", {"invitation": invitation}, status=403
            )
        if request.method == "POST":
            try:
                invitation_accept(invitation=invitation, user=request.user)
            except InvitationLinkError as error:
                return _already_joined(request, error)
            messages.success(request, f"You have joined {invitation.programme}.")
            return redirect("home")
        return render(request, "invitations/join.html", {"invitation": invitation})

    form = JoinForm(request.POST if request.method == "POST" else None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                invitation=invitation,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
            )
        except InvitationLinkError as error:  # the other submit of a double click was first
            return _already_joined(request, error)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return _joined(request, invitation)
    return render(request, "invitations/accept.html", {"invitation": invitation, "form": form})
