"""The check-in forms: a new check-in (its date, the agenda it had, each item's outcome)
and one partner's part of it (reviews, progress, reflection, next step).

Every form of a check-in is prefixed with that check-in ("new" for a new one, "c-<code>"
otherwise), and each goal's and agenda item's form with the goal or item too, so the new
check-in's form and the latest check-in's can share a page without sharing an id.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from goals.checkin_parts import CheckInPart, NextStepInput, ReviewInput
from goals.models import Progress
from mentorship.limits import CapsLongText
from partnerships.models.agenda import AgendaItemStatus
from workspace.forms.goals import GoalReviewForm
from workspace.forms.partnership import DATE, NextStepForm, ReflectionForm

PROGRESS_CHOICES = [(step.value, step.label) for step in Progress]


class CheckInForm(CapsLongText, forms.Form):
    held_on = forms.DateField(label="Date of the check-in", widget=DATE)
    agenda = forms.CharField(
        label="Other notes on the agenda",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Anything you talked about that was not an item below. "
        "The mentee sets the agenda.",
    )

    def __init__(self, *args, can_set_agenda: bool, held_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_set_agenda:
            del self.fields["agenda"]
        self.fields["held_on"].initial = held_on or timezone.localdate()


class AgendaForm(CapsLongText, forms.Form):
    agenda = forms.CharField(
        label="Agenda", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AgendaOutcomeForm(forms.Form):
    """What became of one item on the agenda: discussed, or carried over to the next."""

    outcome = forms.ChoiceField(
        choices=[
            (AgendaItemStatus.DISCUSSED, "Discussed"),
            (AgendaItemStatus.CARRIED_OVER, "Carry over to the next meeting"),
        ],
        initial=AgendaItemStatus.DISCUSSED,
        widget=forms.RadioSelect,
        # Not sent (a form from before the item was added): it stays on the agenda.
        required=False,
    )

    def __init__(self, *args, item, prefix: str, **kwargs):
        super().__init__(*args, prefix=f"{prefix}-ag-{item.code}", **kwargs)
        self.item = item
        self.fields["outcome"].label = item.text


class ProgressForm(forms.Form):
    """One partner's view of how far along one goal is (optional: rate it or not)."""

    progress = forms.TypedChoiceField(
        choices=PROGRESS_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, goal, prefix: str, **kwargs):
        super().__init__(
            *args, prefix=f"{prefix}-pr-{goal.code}", use_required_attribute=False, **kwargs
        )
        self.goal = goal
        self.fields["progress"].label = goal.title


class CheckInPartForms:
    """The forms for one partner's part of a check-in, validated and read together.

    ``checkin`` is None when logging a new check-in: then the date is asked for, and each
    item on the agenda gets its outcome. ``meeting`` is the meeting being logged, if any.
    """

    def __init__(self, data=None, *, workspace, checkin=None, meeting=None):
        self.workspace = workspace
        self.checkin = checkin
        self.meeting = meeting
        prefix = f"c-{checkin.code}" if checkin else "new"
        self.prefix = prefix
        partnership, user = workspace.partnership, workspace.user
        held_on = meeting.start_for(user).date() if meeting is not None else None
        self.checkin_form = (
            CheckInForm(data, can_set_agenda=workspace.is_mentee, prefix=prefix, held_on=held_on)
            if checkin is None
            else None
        )
        self.agenda_form = (
            AgendaForm(data, prefix=prefix, initial={"agenda": checkin.agenda})
            if checkin is not None and workspace.is_mentee
            else None
        )
        self.outcome_forms = (
            [AgendaOutcomeForm(data, item=item, prefix=prefix) for item in workspace.on_agenda]
            if checkin is None
            else []
        )
        goals = workspace.my_active_goals if checkin is None else checkin.to_review
        today = timezone.localdate(timezone=user.tzinfo)
        self.review_forms = [
            GoalReviewForm(
                data,
                goal=goal,
                prefix=prefix,
                # Judged on the check-in's own day, as the service judges it.
                overdue=goal.target_date is not None
                and goal.target_date < (checkin.held_on if checkin else held_on or today),
            )
            for goal in goals
        ]
        rate = workspace.partner_active_goals if checkin is None else checkin.to_rate
        self.progress_forms = [ProgressForm(data, goal=goal, prefix=prefix) for goal in rate]
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
    def overdue_reviews(self) -> list:
        return [form for form in self.review_forms if form.overdue]

    @property
    def forms(self):
        return [
            form
            for form in (
                self.checkin_form,
                self.agenda_form,
                *self.outcome_forms,
                *self.review_forms,
                *self.progress_forms,
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

    def part(self) -> CheckInPart:
        reflection = self.reflection_form.cleaned_data
        step = self.next_step_form.cleaned_data
        agenda = None
        if self.checkin_form is not None:
            agenda = self.checkin_form.cleaned_data.get("agenda") or None
        elif self.agenda_form is not None:
            agenda = self.agenda_form.cleaned_data["agenda"]
        progress = {
            form.goal: form.cleaned_data["progress"]
            for form in self.review_forms
            if form.cleaned_data.get("progress") is not None
        }
        progress.update(
            {
                form.goal: form.cleaned_data["progress"]
                for form in self.progress_forms
                if form.cleaned_data.get("progress") is not None
            }
        )
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
            agenda_outcomes={
                str(form.item.code): form.cleaned_data["outcome"]
                for form in self.outcome_forms
                if form.cleaned_data.get("outcome")
            },
            progress=progress,
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
