"""Goal forms. Every edit carries a reason; the services keep it as a revision."""

from django import forms

from goals.models import REVISABLE_FIELDS, Goal, GoalReview, GoalStatus
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
    """One goal's review inside a check-in (prefixed per goal)."""

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

    def __init__(self, *args, goal: Goal, **kwargs):
        # Optional per goal (review it now or later), so no browser-side "required".
        super().__init__(*args, prefix=f"goal-{goal.code}", use_required_attribute=False, **kwargs)
        self.goal = goal
        self.fields["new_title"].initial = goal.title
        self.fields["new_target_date"].initial = goal.target_date

    def changes(self) -> dict:
        """Only what the revision actually changes."""
        data = self.cleaned_data
        if data.get("decision") != GoalReview.Decision.REVISE:
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
        if not data.get("decision") and (data.get("note") or "").strip():
            self.add_error("decision", "Choose what to do with this goal, or clear the note.")
        if data.get("decision") == GoalReview.Decision.REVISE and not self.changes():
            self.add_error("new_title", "Change the wording or the target date to revise it.")
        return data
