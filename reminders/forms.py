"""The notification half of the email preferences page: one choice per kind."""

from django import forms

from partnerships.models.notification import EmailChoice, NotificationKind


class NotificationEmailForm(forms.Form):
    """How each kind of notification arrives by email. A kind left out of a submitted
    form keeps its choice (an older copy of the page may not list a newer kind)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=EmailChoice.choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def add_prefix(self, field_name: str) -> str:
        return f"notify-{field_name}"

    def choices(self) -> dict[str, str]:
        return {kind: email for kind, email in self.cleaned_data.items() if email}
