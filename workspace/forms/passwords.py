"""A new password chosen twice: joining by invitation, and after a sign-up is approved."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


class NewPasswordForm(forms.Form):
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="The same password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def password_user(self, data: dict):
        """The person the password is for, as the validators compare it with them."""
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords are different.")
        elif first:
            try:
                validate_password(first, user=self.password_user(data))
            except ValidationError as error:
                self.add_error("password1", error)
        return data
