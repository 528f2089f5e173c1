from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.views.decorators.debug import sensitive_variables

from mentorship.accounts.reauth import password_confirm
from mentorship.accounts.two_factor import second_factor_verify


class CurrentPasswordMixin:
    """A field ``password_field`` holding the person's current password, checked as a login
    is (accounts/reauth.py), so that guesses through this form count towards the lockout."""

    password_field = "password"
    password_error = "That is not your password."

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    @sensitive_variables("password")
    def _clean_current_password(self):
        password = self.cleaned_data[self.password_field]
        if not password_confirm(request=self.request, user=self.request.user, password=password):
            raise forms.ValidationError(self.password_error, code="password_incorrect")
        return password


def current_password_field(label="Your password", **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", **attrs}),
    )


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class AppCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=32,
        help_text="Scan the QR code (or type the key), then enter the 6 digits the app shows.",
        # No autofocus: it would scroll past the QR code and key, and a screen reader would
        # start at the box, after the instructions that say what to type into it.
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class AccountDeleteForm(CurrentPasswordMixin, forms.Form):
    """Deleting an account needs the password again: a session left open is not enough."""

    password_error = "That is not your password. Nothing was deleted."
    password = current_password_field()

    def clean_password(self):
        return self._clean_current_password()


class OwnPasswordChangeForm(CurrentPasswordMixin, PasswordChangeForm):
    """Django's form, with the old password checked as a login is."""

    password_field = "old_password"

    def __init__(self, *args, request, **kwargs):
        # SetPasswordForm takes the user first, before the data.
        super().__init__(request.user, *args, request=request, **kwargs)
        self.password_error = self.error_messages["password_incorrect"]

    def clean_old_password(self):
        return self._clean_current_password()


class TwoFactorOffForm(CurrentPasswordMixin, forms.Form):
    """Turning two-factor sign-in off needs the password and a code from the app (or a
    recovery code), whatever the session has passed already."""

    password_error = "That is not your password. Two-factor sign-in is still on."
    password = current_password_field()
    code = forms.CharField(
        label="A code from your app, or a recovery code",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}
        ),
    )

    def clean_password(self):
        return self._clean_current_password()

    def clean(self):
        data = super().clean()
        # Only after the right password: a wrong one must not spend a recovery code.
        if (
            "password" in data
            and data.get("code")
            and second_factor_verify(user=self.request.user, token=data["code"]) is None
        ):
            self.add_error(
                "code",
                "That code didn't work. App codes change every 30 seconds; after several "
                "wrong codes, wait a little before trying again.",
            )
        return data


class EmailChangeForm(CurrentPasswordMixin, forms.Form):
    """A new address, and the password: a session left open must not move the account."""

    new_email = forms.EmailField(
        label="New email address",
        max_length=254,
        help_text="We send a link to this address; your email changes when you follow it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password_error = "That is not your password. Your email address was not changed."
    password = current_password_field()

    def clean_new_email(self):
        email = self.cleaned_data["new_email"].strip().lower()
        if email == self.request.user.email.lower():
            raise forms.ValidationError("That is already your email address.")
        return email

    def clean_password(self):
        return self._clean_current_password()
