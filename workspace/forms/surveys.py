"""The form for answering one round of a survey: one field per question, built from the
survey. It only shapes input; partnerships.services.surveys decides what is accepted."""

from django import forms

from partnerships.models.survey import SCALE_MAX, SCALE_MIN, QuestionKind, Survey


def _scale_choices(question) -> list[tuple[str, str]]:
    labels = {SCALE_MIN: question.low_label, SCALE_MAX: question.high_label}
    return [
        (str(n), f"{n} · {labels[n]}" if labels.get(n) else str(n))
        for n in range(SCALE_MIN, SCALE_MAX + 1)
    ]


class SurveyAnswerForm(forms.Form):
    share_text = forms.BooleanField(
        label="My written answers may be shown to the coordinators, without my name",
        required=False,
    )

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.order_by("position", "pk"))
        fields = {}
        for question in self.questions:
            name = f"q{question.pk}"
            common = {"label": question.text, "required": question.required}
            if question.kind == QuestionKind.SCALE:
                fields[name] = forms.ChoiceField(
                    choices=_scale_choices(question), widget=forms.RadioSelect, **common
                )
            elif question.kind == QuestionKind.ONE:
                fields[name] = forms.ChoiceField(
                    choices=[(c, c) for c in question.choice_list()],
                    widget=forms.RadioSelect,
                    **common,
                )
            elif question.kind == QuestionKind.SEVERAL:
                fields[name] = forms.MultipleChoiceField(
                    choices=[(c, c) for c in question.choice_list()],
                    widget=forms.CheckboxSelectMultiple,
                    **common,
                )
            else:
                fields[name] = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, **common
                )
        share = self.fields.pop("share_text")
        self.fields.update(fields)
        self.has_text = any(q.kind == QuestionKind.TEXT for q in self.questions)
        if self.has_text:
            self.fields["share_text"] = share

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}
