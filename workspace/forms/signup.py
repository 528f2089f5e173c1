"""The public sign-up form: who you are, and the programme's questions for your role."""

from django import forms

from mentorship.limits import LONG_TEXT_MAX, CapsLongText
from mentorship.models import validate_name
from partnerships.models.signup import QuestionKind
from workspace.forms.passwords import NewPasswordForm

SHORT_TEXT_MAX = 300


def question_field_name(question) -> str:
    return f"q{question.pk}"


class SignupForm(CapsLongText, forms.Form):
    """Name and email (not asked of someone logged in), then one field per question.
    Choices offer the question's own lines only; an option not offered is refused."""

    name = forms.CharField(
        label="Your name", max_length=150, validators=[validate_name], required=True
    )
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="We send a link to it: your sign-up counts once you open it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, questions, user=None, **kwargs):
        self.questions = questions
        self.signed_in = user is not None and user.is_authenticated
        fields_before = {}
        super().__init__(*args, **kwargs)
        if self.signed_in:
            del self.fields["name"]
            del self.fields["email"]
        else:
            self.fields["name"].widget.attrs["autocomplete"] = "name"
        for question in questions:
            fields_before[question_field_name(question)] = self._field_for(question)
        self.fields.update(fields_before)
        # CapsLongText ran before the questions were added: cap the long answers too.
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea) and field.max_length is None:
                field.max_length = LONG_TEXT_MAX
                field.widget.attrs["maxlength"] = str(LONG_TEXT_MAX)

    @staticmethod
    def _field_for(question) -> forms.Field:
        common = {
            "label": question.text,
            "required": question.required,
            "help_text": question.help_text,
        }
        options = [(option, option) for option in question.option_list()]
        if question.kind == QuestionKind.ONE:
            return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        if question.kind == QuestionKind.SEVERAL:
            return forms.MultipleChoiceField(
                choices=options, widget=forms.CheckboxSelectMultiple, **common
            )
        if question.kind == QuestionKind.LONG:
            return forms.CharField(
                widget=forms.Textarea(attrs={"rows": 4}), max_length=LONG_TEXT_MAX, **common
            )
        return forms.CharField(max_length=SHORT_TEXT_MAX, **common)

    def question_fields(self):
        return [self[question_field_name(question)] for question in self.questions]

    def answers(self) -> dict:
        return {
            question.pk: self.cleaned_data.get(question_field_name(question))
            for question in self.questions
        }


class SetPasswordForm(NewPasswordForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password1"].help_text = "At least 12 characters; not a common password."

    def password_user(self, data):
        return self.user
