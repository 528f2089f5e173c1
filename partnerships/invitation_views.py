"""The page behind an invitation link: set a password and join the programme."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from mentorship.models import validate_name
from partnerships.invitations import InvitationLinkError, invitation_accept, invitation_from_token


class JoinForm(forms.Form):
    name = forms.CharField(max_length=150, label="Your name", validators=[validate_name])
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="The same password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["name"].initial = invitation.name

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords are different.")
        elif first:
            person = get_user_model()(email=self.invitation.email, name=data.get("name", ""))
            try:
                validate_password(first, user=person)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept_view(request, token):
    try:
        invitation = invitation_from_token(token)
    except InvitationLinkError as error:
        status = 404 if error.kind == "tampered" else 410
        return render(request, "invitations/invalid.html", {"error": error}, status=status)

    existing = get_user_model().objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        # They already have an account: joining needs them logged in as that person.
        if request.user != existing:
            return render(
                request, "invitations/log_in_first.html", {"invitation": invitation}, status=403
            )
        if request.method == "POST":
            invitation_accept(invitation=invitation, user=request.user)
            messages.success(request, f"You have joined {invitation.programme}.")
            return redirect("home")
        return render(request, "invitations/join.html", {"invitation": invitation})

    form = JoinForm(request.POST if request.method == "POST" else None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        user = invitation_accept(
            invitation=invitation,
            name=form.cleaned_data["name"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome! You have joined {invitation.programme}.")
        return redirect("home")
    return render(request, "invitations/accept.html", {"invitation": invitation, "form": form})
