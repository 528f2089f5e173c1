"""How much one person can write in one field.

Free text (reflections, agendas, agreement terms, goal descriptions, feedback) is capped
so that a single submission cannot fill the database or a partner's page; the cap is a
few pages, far above anything written by hand.
"""

from django import forms
from django.core.validators import MaxLengthValidator

LONG_TEXT_MAX = 10_000  # characters


class CapsLongText:
    """Form mixin: every multi-line text field without a limit gets LONG_TEXT_MAX."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if (
                isinstance(field, forms.CharField)
                and isinstance(field.widget, forms.Textarea)
                and field.max_length is None
            ):
                field.max_length = LONG_TEXT_MAX
                field.validators.append(MaxLengthValidator(LONG_TEXT_MAX))
                field.widget.attrs["maxlength"] = str(LONG_TEXT_MAX)
