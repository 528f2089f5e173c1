"""Forms for the workspace. They only shape input; the services decide what is allowed."""

from django import forms
from django.db import models

from mentorship.limits import CapsLongText
from partnerships.models import Agreement
from partnerships.models.partnership import PROGRAMME_END_REASONS, EndReason, PauseReason
from partnerships.models.visibility import Visibility

# HTML date inputs only accept ISO dates, whatever the language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementForm(CapsLongText, forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [*Agreement.TERMS, "change_note"]
        labels = {"change_note": "What changes, and why"}
        widgets = {
            "confidentiality": forms.Textarea(attrs={"rows": 2}),
            "off_limits": forms.Textarea(attrs={"rows": 2}),
            "other_expectations": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_checkin_cadence_days(self):
        days = self.cleaned_data["checkin_cadence_days"]
        if not 1 <= days <= 180:
            raise forms.ValidationError("Meet at least every 180 days, at most every day.")
        return days


class ReflectionForm(CapsLongText, forms.Form):
    text = forms.CharField(
        label="Your reflection", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    visibility = forms.ChoiceField(
        label="Who can read it",
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )


class NextStepForm(CapsLongText, forms.Form):
    description = forms.CharField(label="Next step", max_length=300, required=False)
    owner = forms.ChoiceField(label="Who owns it")
    due_on = forms.DateField(label="Due", required=False, widget=DATE)

    def __init__(self, *args, partnership, user, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(person.pk): person for person in partnership.members}
        partner = partnership.partner_of(user)
        self.fields["owner"].choices = [(str(user.pk), "Me"), (str(partner.pk), partner.name)]
        self.fields["description"].required = required
        self.fields["owner"].required = required

    def clean_owner(self):
        return self.people.get(self.cleaned_data["owner"])

    def clean(self):
        data = super().clean()
        if data.get("description", "").strip() and data.get("owner") is None:
            self.add_error("owner", "Choose who owns the next step.")
        return data


class FeedbackForm(CapsLongText, forms.Form):
    RATINGS = [
        (5, "5 — very helpful"),
        (4, "4 — helpful"),
        (3, "3 — somewhat helpful"),
        (2, "2 — not very helpful"),
        (1, "1 — not helpful"),
    ]
    rating = forms.TypedChoiceField(
        label="How helpful was this check-in for you?",
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="A note for your partner", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    """Why one pauses or ends: a category for the coordinator, a note for the partner."""

    choices: type[models.TextChoices]
    question: str

    reason = forms.ChoiceField(error_messages={"required": "Choose a reason."})
    note = forms.CharField(
        label="A note for your partner",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    share_note = forms.BooleanField(label="Share this note with the coordinator", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = self.question
        self.fields["reason"].choices = [
            ("", "Choose a reason…"),
            *((v, label) for v, label in self.choices.choices if v not in self.not_offered),
        ]

    def arguments(self) -> dict:
        data = self.cleaned_data
        return {"reason": data["reason"], "note": data["note"], "share_note": data["share_note"]}


class PauseForm(ReasonForm):
    choices = PauseReason
    not_offered = ()
    question = "Why are you pausing?"


class EndForm(ReasonForm):
    choices = EndReason
    not_offered = PROGRAMME_END_REASONS
    question = "Why are you ending it?"


class ClosingReflectionForm(CapsLongText, forms.Form):
    text = forms.CharField(
        label="Your closing reflection",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What did you learn? What will you take with you?",
    )
    visibility = forms.ChoiceField(
        label="Who can read it",
        choices=Visibility.choices,
        initial=Visibility.SHARED,
        widget=forms.RadioSelect,
    )
