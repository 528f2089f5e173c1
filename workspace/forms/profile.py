from django import forms

from mentorship.models import User, time_zone_choices


class ProfileForm(forms.ModelForm):
    """Name, time zone and reminders. The time zone is typed with suggestions (a datalist),
    so hundreds of zones stay searchable with or without JavaScript."""

    time_zone = forms.CharField(
        label="Time zone",
        max_length=64,
        help_text="Start typing a city, e.g. “London” or “New York”. "
        "Dates and reminders follow this zone.",
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
    )

    class Meta:
        model = User
        fields = ["name", "time_zone", "email_reminders"]
        labels = {"name": "Your name", "email_reminders": "Email me reminders"}

    def clean_time_zone(self):
        typed = self.cleaned_data["time_zone"].strip()
        # Accept "New York" for "America/New_York": match the label people see.
        for value, label in time_zone_choices():
            if typed in (value, label) or typed.lower() == value.lower():
                return value
        matches = [
            v for v, label in time_zone_choices() if label.split("/")[-1].lower() == typed.lower()
        ]
        if len(matches) == 1:
            return matches[0]
        raise forms.ValidationError(
            "“%(typed)s” is not a time zone we know. Pick one from the list, e.g. Europe/London.",
            params={"typed": typed},
        )
