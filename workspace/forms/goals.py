"""Goal forms. Every edit carries a reason; the services keep it as a revision."""

from django import forms

from goals.models import REVISABLE_FIELDS, Goal, GoalReview, GoalStatus, Progress
from goals.services import STATUS_MOVES
from mentorship.limits import CapsLongText

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GoalForm(CapsLongText, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "description", "success_measure", "target_date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "success_measure": forms.Textarea(attrs={"rows": 2}),
            "target_date": DATE,
        }


class GoalWordingForm(CapsLongText, forms.Form):
    """The parts of a goal that an edit or a suggested change can reword."""

    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    success_measure = forms.CharField(
        label="How we'll know it's achieved",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target_date = forms.DateField(required=False, widget=DATE)


class GoalEditForm(GoalWordingForm):
    """The owner's edit. ``version`` is the version the editor started from."""

    status = forms.ChoiceField(choices=[])
    reason = forms.CharField(
        label="Why is it changing?",
        max_length=500,
        help_text="A short reason, kept in the goal's history.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, goal: Goal, **kwargs):

        kwargs.setdefault(
            "initial",
            {
                "title": goal.title,
                "description": goal.description,
                "success_measure": goal.success_measure,
                "target_date": goal.target_date,
                "status": goal.status,
                "version": goal.version,
            },
        )
        super().__init__(*args, **kwargs)
        allowed = [goal.status, *sorted(STATUS_MOVES[GoalStatus(goal.status)])]
        self.fields["status"].choices = [(s, GoalStatus(s).label) for s in allowed]

    def changes(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in REVISABLE_FIELDS}


class GoalChangeProposalForm(GoalWordingForm):
    """A mentor's suggested change to the mentee's goal."""

    reason = forms.CharField(
        label="Why do you suggest this?", max_length=500, help_text="Your partner decides."
    )

    def __init__(self, *args, goal: Goal, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": goal.title,
                "description": goal.description,
                "success_measure": goal.success_measure,
                "target_date": goal.target_date,
            },
        )
        super().__init__(*args, **kwargs)

    def changes(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("title", "description", "success_measure", "target_date")
        }


class DecisionForm(CapsLongText, forms.Form):
    reason = forms.CharField(label="A note (optional)", max_length=500, required=False)


class GoalReviewForm(CapsLongText, forms.Form):
    """One goal's review inside a check-in (prefixed per check-in and goal).

    A goal whose target date has passed (``overdue``) must get a decision, and keeping it
    takes a new target date; any other goal may be left for another time."""

    # Blank means "review it later": the check-in is saved without a review of this goal.
    decision = forms.ChoiceField(
        label="Decision",
        choices=GoalReview.Decision.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    new_title = forms.CharField(label="New wording", max_length=200, required=False)
    new_target_date = forms.DateField(label="New target date", required=False, widget=DATE)
    progress = forms.TypedChoiceField(
        label="How far along is it?",
        choices=[(step.value, step.label) for step in Progress],
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, goal: Goal, prefix: str = "new", overdue: bool = False, **kwargs):
        # Optional per goal (review it now or later), so no browser-side "required".
        super().__init__(
            *args, prefix=f"{prefix}-goal-{goal.code}", use_required_attribute=False, **kwargs
        )
        self.goal = goal
        self.overdue = overdue
        self.fields["new_title"].initial = goal.title
        self.fields["new_target_date"].initial = goal.target_date

    def changes(self) -> dict:
        """Only what the revision actually changes (or, keeping an overdue goal, its date)."""
        data = self.cleaned_data
        decision = data.get("decision")
        if self.overdue and decision == GoalReview.Decision.KEEP:
            return {"target_date": data.get("new_target_date")}
        if decision != GoalReview.Decision.REVISE:
            return {}
        changes = {}
        if data.get("new_title") and data["new_title"].strip() != self.goal.title:
            changes["title"] = data["new_title"].strip()
        if data.get("new_target_date") != self.goal.target_date:
            changes["target_date"] = data.get("new_target_date")
        return changes

    @property
    def is_blank(self) -> bool:
        """Left for later (call after is_valid)."""
        return not self.cleaned_data.get("decision")

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if not decision and self.overdue:
            self.add_error(
                "decision",
                f"Its target date ({self.goal.target_date:%-d %b %Y}) has passed: "
                "decide now whether to keep it with a new date, mark it achieved, revise it "
                "or drop it.",
            )
        elif not decision and (data.get("note") or "").strip():
            self.add_error("decision", "Choose what to do with this goal, or clear the note.")
        if decision == GoalReview.Decision.REVISE and not self.changes():
            self.add_error("new_title", "Change the wording or the target date to revise it.")
        if (
            self.overdue
            and decision == GoalReview.Decision.KEEP
            and (
                data.get("new_target_date") is None
                or data["new_target_date"] <= self.goal.target_date
            )
        ):
            self.add_error("new_target_date", "To keep it, give it a new, later target date.")
        return data
