"""Forms for the workspace. They only shape input; the services decide what is allowed."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from goals.checkin_parts import CheckInPart, NextStepInput, ReviewInput
from mentorship.limits import CapsLongText
from partnerships.models import Agreement
from partnerships.models.partnership import PROGRAMME_END_REASONS, EndReason, PauseReason
from partnerships.models.visibility import Visibility
from workspace.forms.goals import GoalReviewForm

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


class CheckInForm(CapsLongText, forms.Form):
    held_on = forms.DateField(label="Date of the check-in", widget=DATE)
    agenda = forms.CharField(
        label="Agenda",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you want to talk about. The mentee sets the agenda.",
    )

    def __init__(self, *args, can_set_agenda: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_set_agenda:
            del self.fields["agenda"]
        self.fields["held_on"].initial = timezone.localdate()


class AgendaForm(CapsLongText, forms.Form):
    agenda = forms.CharField(
        label="Agenda", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


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


class CheckInPartForms:
    """The forms for one partner's part of a check-in, validated and read together.

    ``checkin`` is None when logging a new check-in (then the date is asked for too).
    """

    def __init__(self, data=None, *, workspace, checkin=None):
        self.workspace = workspace
        self.checkin = checkin
        prefix = f"c-{checkin.code}" if checkin else "new"
        partnership, user = workspace.partnership, workspace.user
        self.checkin_form = (
            CheckInForm(data, can_set_agenda=workspace.is_mentee, prefix=prefix)
            if checkin is None
            else None
        )
        self.agenda_form = (
            AgendaForm(data, prefix=prefix, initial={"agenda": checkin.agenda})
            if checkin is not None and workspace.is_mentee
            else None
        )
        goals = workspace.my_active_goals if checkin is None else checkin.to_review
        self.review_forms = [GoalReviewForm(data, goal=goal) for goal in goals]
        mine = checkin.my_reflection if checkin else None
        self.reflection_form = ReflectionForm(
            data,
            prefix=prefix,
            initial={"text": mine.text, "visibility": mine.visibility} if mine else None,
        )
        self.next_step_form = NextStepForm(
            data, partnership=partnership, user=user, required=False, prefix=prefix
        )
        self.non_field_errors: list[str] = []

    @property
    def forms(self):
        return [
            form
            for form in (
                self.checkin_form,
                self.agenda_form,
                *self.review_forms,
                self.reflection_form,
                self.next_step_form,
            )
            if form is not None
        ]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms])  # every form, for its errors

    @property
    def has_errors(self) -> bool:
        return bool(self.non_field_errors) or any(form.errors for form in self.forms)

    def part(self):
        reflection = self.reflection_form.cleaned_data
        step = self.next_step_form.cleaned_data
        agenda = None
        if self.checkin_form is not None:
            agenda = self.checkin_form.cleaned_data.get("agenda") or None
        elif self.agenda_form is not None:
            agenda = self.agenda_form.cleaned_data["agenda"]
        return CheckInPart(
            agenda=agenda,
            reviews=[
                ReviewInput(
                    goal=form.goal,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                    changes=form.changes(),
                )
                for form in self.review_forms
                if not form.is_blank
            ],
            reflection=reflection["text"],
            reflection_visibility=reflection["visibility"],
            next_step=NextStepInput(
                description=step["description"], owner=step["owner"], due_on=step["due_on"]
            )
            if step.get("description", "").strip()
            else None,
        )

    @property
    def held_on(self):
        return self.checkin_form.cleaned_data["held_on"]

    def add_error(self, error) -> None:
        """Put a service's refusal next to the field it names, or at the top."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                target = next((f for f in self.forms if name in f.fields), None)
                if target is not None:
                    target.add_error(name, errors)
                else:
                    self.non_field_errors.extend(ValidationError(errors).messages)
        else:
            self.non_field_errors.extend(error.messages)
