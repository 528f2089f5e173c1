"""The forms of the people pages: one's profile, the mentor directory's filters, asking a
mentor, answering a request, and answering a proposed match."""

from django import forms

from partnerships.models.match_answer import DeclineReason
from partnerships.models.participant import MeetingFormat, Role, tags_of
from partnerships.services.profiles import MAX_CAPACITY, PHOTO_MAX_BYTES

NOTE_LENGTH = 500


def _tag_fields(label: str, suggestions: list[str], current: list[str], help_text: str):
    known = {tag.lower() for tag in suggestions}
    chosen = forms.MultipleChoiceField(
        label=label,
        choices=[(tag, tag) for tag in suggestions],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=[tag for tag in suggestions if tag.lower() in {c.lower() for c in current}],
    )
    more = forms.CharField(
        label=f"Other {label.lower()}",
        required=False,
        max_length=500,
        help_text=help_text,
        initial=", ".join(tag for tag in current if tag.lower() not in known),
    )
    return chosen, more


# Tags are checkboxes of the programme's existing ones plus a line for new ones, so that
# people who share an interest spell it alike (and it works without JavaScript).


class ProfileForm(forms.Form):
    bio = forms.CharField(
        label="About you",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="A few lines for the people of your programme: your work, your story.",
    )
    offers = forms.CharField(
        label="What you can offer",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    wants = forms.CharField(
        label="What you want to learn",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    meeting_format = forms.ChoiceField(
        label="How you like to meet",
        required=False,
        choices=[("", "No preference given"), *MeetingFormat.choices],
    )
    availability = forms.CharField(
        label="When you like to meet",
        required=False,
        max_length=200,
        help_text="For example: weekday evenings, London time.",
    )
    capacity = forms.IntegerField(
        label="How many mentees you can take at once",
        min_value=1,
        max_value=MAX_CAPACITY,
        required=False,
    )
    photo = forms.FileField(
        label="Photo",
        required=False,
        help_text=f"Optional. A JPEG, PNG, WebP or GIF up to {PHOTO_MAX_BYTES // 2**20} MB; "
        "we crop it square and remove its metadata (such as where it was taken).",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    remove_photo = forms.BooleanField(label="Remove my photo", required=False)

    def __init__(self, *args, participant, interest_tags, language_tags, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant = participant
        self.questions = questions
        for name in ("bio", "offers", "wants", "meeting_format", "availability"):
            self.fields[name].initial = getattr(participant, name)
        if participant.role == Role.MENTOR:
            self.fields["capacity"].initial = participant.capacity
        else:
            del self.fields["capacity"]
        if not participant.photo:
            del self.fields["remove_photo"]
        self.fields["interests"], self.fields["more_interests"] = _tag_fields(
            "Interests",
            interest_tags,
            participant.interest_list,
            "Comma-separated, for anything not listed above.",
        )
        self.fields["languages"], self.fields["more_languages"] = _tag_fields(
            "Languages", language_tags, participant.language_list, "Comma-separated."
        )
        for question in questions:
            choices = [(option, option) for option in question.option_list()]
            if question.kind == question.Kind.ONE:
                field = forms.ChoiceField(
                    choices=[("", "—"), *choices], required=False, widget=forms.Select
                )
            else:
                field = forms.MultipleChoiceField(
                    choices=choices, required=False, widget=forms.CheckboxSelectMultiple
                )
            field.label = question.text
            field.help_text = question.help_text
            self.fields[f"question-{question.pk}"] = field

    def tags(self, chosen: str, more: str) -> str:
        return ", ".join(tags_of(", ".join([*self.cleaned_data[chosen], self.cleaned_data[more]])))

    def profile_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            "bio": data["bio"],
            "offers": data["offers"],
            "wants": data["wants"],
            "meeting_format": data["meeting_format"],
            "availability": data["availability"],
            "interests": self.tags("interests", "more_interests"),
            "languages": self.tags("languages", "more_languages"),
        }
        if "capacity" in self.fields and data.get("capacity") is not None:
            fields["capacity"] = data["capacity"]
        return fields

    def answers(self) -> dict:
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"question-{question.pk}")
            answers[question] = [value] if isinstance(value, str) and value else list(value or [])
        return answers

    def question_fields(self):
        return [self[f"question-{question.pk}"] for question in self.questions]


class DirectoryFilterForm(forms.Form):
    """The directory's search and filters: GET parameters, all optional."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    interest = forms.ChoiceField(label="Interest", required=False)
    language = forms.ChoiceField(label="Language", required=False)
    meeting = forms.ChoiceField(
        label="Meets by",
        required=False,
        choices=[
            ("", "Any"),
            *[(value, label) for value, label in MeetingFormat.choices if value != "any"],
        ],
    )

    def __init__(self, *args, interests: list[str], languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interest"].choices = [("", "Any"), *[(t, t) for t in interests]]
        self.fields["language"].choices = [("", "Any"), *[(t, t) for t in languages]]

    def keep(self, suggestion) -> bool:
        """Whether a suggested mentor passes the filters."""
        if not self.is_valid():
            return True
        data, mentor = self.cleaned_data, suggestion.mentor
        if data["interest"] and data["interest"].lower() not in {
            tag.lower() for tag in mentor.interest_list
        }:
            return False
        if data["language"] and data["language"].lower() not in {
            tag.lower() for tag in mentor.language_list
        }:
            return False
        if data["meeting"] and mentor.meeting_format not in (data["meeting"], MeetingFormat.ANY):
            return False
        words = data["q"].lower().split()
        if words:
            haystack = " ".join(
                [
                    mentor.user.name,
                    mentor.bio,
                    mentor.interests,
                    mentor.offers,
                    mentor.languages,
                    mentor.availability,
                ]
            ).lower()
            return all(word in haystack for word in words)
        return True

    @property
    def active(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


class NoteForm(forms.Form):
    note = forms.CharField(
        label="A short note",
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineMatchForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why not?",
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        help_text="Your coordinator sees this reason, and nothing else; your partner is only "
        "told that you declined.",
    )
