"""What partners write for each other, marked once per model.

A model holding partners' own words lists those fields in ``PRIVATE_FIELDS``. Every check
is derived from that one list: the admin refuses to show, filter, search, sort or export
them, the workspace's "What your coordinator sees" panel names them as never seen, and the
tests enumerate them. Coordinators see the rest: dates, counts, statuses and ratings.
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

# The apps whose models hold partnerships and what happens in them.
DATA_APPS = ("partnerships", "goals")

# Secrets of libraries' models, hidden in the admin exactly like partners' words: an
# authenticator app's key is the second factor itself, for a superuser too.
SECRET_FIELDS = {
    "otp_totp.TOTPDevice": ("key",),
}

# The free text of the data apps that coordinators may read, each with why. Every text
# field (CharField, TextField, JSONField) of DATA_APPS is either private or here, and a
# test says so: a new one cannot arrive unclassified. A field with choices holds one of its
# choices, not words, and is left out.
COORDINATOR_READABLE = {
    # Written by the product from names, statuses and dates: never partners' words.
    "partnerships.Activity.verb": "a fixed word for what happened",
    "partnerships.Activity.summary": "a sentence the product writes, without partners' words",
    "partnerships.Reminder.subject_key": "which object a reminder is about, as an id",
    "partnerships.Reminder.period": "the day or week a reminder is for",
    "partnerships.Reminder.last_error": "the mail server's answer to the last attempt",
    "partnerships.Notification.summary": "a sentence the product writes, without partners' words",
    "partnerships.Notification.link": "the path of the page a notification opens",
    "partnerships.Partnership.mentor_role": "a constant, for a database constraint",
    "partnerships.Partnership.mentee_role": "a constant, for a database constraint",
    "partnerships.Meeting.time_zone": "the time zone a meeting's time was chosen in",
    # Written by coordinators themselves.
    "partnerships.Programme.name": "the programme's name",
    "partnerships.Programme.slug": "the programme's short name, in file names",
    "partnerships.Programme.description": "the coordinators' description of the programme",
    "partnerships.Invitation.email": "whom the coordinator invited",
    "partnerships.Invitation.name": "the invitee's name, as the coordinator typed it",
    "partnerships.Invitation.interests": "the invitee's interests, as the coordinator typed",
    "partnerships.Survey.title": "a survey's title, written by coordinators",
    "partnerships.Survey.intro": "a survey's introduction, written by coordinators",
    "partnerships.Survey.pulse_days": "the days a pulse check is sent on",
    "partnerships.SurveyQuestion.text": "a survey's question, written by coordinators",
    "partnerships.SurveyQuestion.choices": "the choices a question offers, by coordinators",
    "partnerships.SurveyQuestion.low_label": "a scale's wording, written by coordinators",
    "partnerships.SurveyQuestion.high_label": "a scale's wording, written by coordinators",
    "partnerships.SurveyResponse.round": "which round of a survey, a fixed key",
    "partnerships.CoordinatorAction.verb": "a fixed word for the coordinator's action",
    "partnerships.CoordinatorAction.summary": "the coordinators' own log",
    # Written by a participant for their programme: the profile that matching reads.
    "partnerships.Participant.bio": "the profile a participant writes for the programme",
    "partnerships.Participant.interests": "the profile a participant writes for matching",
    "partnerships.Participant.offers": "the profile a participant writes for the programme",
    "partnerships.Participant.wants": "the profile a participant writes for the programme",
    "partnerships.Participant.languages": "the profile a participant writes for matching",
    "partnerships.Participant.availability": "the profile a participant writes for matching",
    "partnerships.ProfileAnswer.choices": "a participant's options chosen for matching",
    # Sign-up: the coordinators' questions and link, and what applicants send them to decide.
    "partnerships.ProgrammeIntake.token": "the sign-up link's secret, which coordinators share",
    "partnerships.SignupQuestion.text": "a sign-up question, written by coordinators",
    "partnerships.SignupQuestion.help_text": "a sign-up question's hint, by coordinators",
    "partnerships.SignupQuestion.options": "a sign-up question's options, by coordinators",
    "partnerships.Application.email": "the address an applicant gives the coordinators",
    "partnerships.Application.name": "the name an applicant gives the coordinators",
    "partnerships.Application.decision_message": "the coordinator's own message to an applicant",
    "partnerships.ApplicationAnswer.text": "an applicant's answer, written for coordinators",
    "partnerships.ApplicationAnswer.choices": "an applicant's chosen options, for coordinators",
    # The one thing of a goal coordinators read: its title (and its dates and status).
    "goals.Goal.title": "a goal's title, the one word on a goal coordinators see",
}


def private_fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(getattr(model, "PRIVATE_FIELDS", ()))


def hidden_fields(model: type[models.Model]) -> tuple[str, ...]:
    """What the admin never shows, filters, searches, sorts or picks: partners' words and
    libraries' secrets."""
    return private_fields(model) + SECRET_FIELDS.get(model._meta.label, ())


def private_field_reached(model: type[models.Model], path: str) -> str | None:
    """The private field that a lookup path such as ``checkin__agenda__gte`` reaches from
    ``model``, as ``"CheckIn.agenda"``, or None. Whatever follows the field (``gte``,
    ``regex``, ``lower``) does not matter: any comparison with a private value reveals it."""
    current = model
    for part in path.split("__"):
        if part in hidden_fields(current):
            return f"{current.__name__}.{part}"
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None  # a lookup or transform: the path has left the fields
        if not field.is_relation or field.related_model is None:
            return None
        current = field.related_model
    return None


def models_with_private_fields() -> list[type[models.Model]]:
    return [
        model
        for app in DATA_APPS
        for model in apps.get_app_config(app).get_models()
        if private_fields(model)
    ]
