"""Forms for the next meeting and its agenda. They shape input; the services decide."""

import datetime

from django import forms
from django.utils import timezone

from mentorship.limits import CapsLongText
from partnerships.models import Meeting

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DURATIONS = [(15, "15 minutes"), (30, "30 minutes"), (45, "45 minutes"), (60, "1 hour")]
DURATIONS += [(90, "1½ hours"), (120, "2 hours"), (180, "3 hours"), (240, "4 hours")]


class MeetingForm(CapsLongText, forms.Form):
    """A time on the proposer's own clock, how long, where, and a word for the partner."""

    day = forms.DateField(label="Date", widget=DATE)
    start_time = forms.TimeField(label="Start time", widget=TIME)
    duration_minutes = forms.TypedChoiceField(
        label="How long", choices=DURATIONS, coerce=int, initial=45
    )
    place = forms.CharField(
        label="Place or video link",
        max_length=300,
        required=False,
        help_text="A room, a café, or the link of your video call.",
    )
    note = forms.CharField(label="A note for your partner", max_length=300, required=False)

    def __init__(self, *args, user, meeting: Meeting | None = None, **kwargs):
        if meeting is not None:
            start = meeting.start_for(user)
            kwargs.setdefault(
                "initial",
                {
                    "day": start.date(),
                    "start_time": start.time(),
                    "duration_minutes": meeting.duration_minutes,
                    "place": meeting.place,
                },
            )
        super().__init__(*args, **kwargs)
        zone = user.time_zone.replace("_", " ")
        self.fields["start_time"].help_text = f"On your clock: {zone}."
        self.user = user

    def arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "day": data["day"],
            "start_time": data["start_time"].replace(second=0, microsecond=0),
            "duration_minutes": data["duration_minutes"],
            "place": data["place"],
            "note": data["note"],
        }


class MeetingCancelForm(CapsLongText, forms.Form):
    note = forms.CharField(label="A note for your partner", max_length=300, required=False)


class AgendaItemForm(CapsLongText, forms.Form):
    text = forms.CharField(label="Agenda item", max_length=300)


def default_day(user) -> datetime.date:
    """A week from today on the person's calendar: where a new proposal starts."""
    return timezone.localdate(timezone=user.tzinfo) + datetime.timedelta(days=7)
