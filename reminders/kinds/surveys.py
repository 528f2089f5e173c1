"""Survey invitations: on the day a round of a programme's survey opens for a partnership
(partnerships.services.surveys), each partner it asks gets an invitation; a week later,
if they have not answered and it is still open, one reminder. Both ride the outbox like
every reminder: one row each, the local morning, never in quiet hours, one-click
unsubscribe from "Surveys".
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from partnerships.models import Partnership
from partnerships.models.reminder import ReminderKind
from partnerships.models.survey import Survey, SurveyResponse, round_label
from partnerships.services.surveys import SURVEYED_STATUSES, round_for, rounds_for
from reminders import links
from reminders.kinds.base import Due, keyset_batches

DAY = datetime.timedelta(days=1)
NUDGE_AFTER = 7  # days after the invitation


def candidates(now: datetime.datetime, *, batch_size: int):
    """Started partnerships of programmes with open surveys that have not ended, in
    batches; a round becomes a row on the day it opens."""
    today = now.astimezone(datetime.UTC).date()
    surveys_of: dict[int, list[Survey]] = {}
    for survey in Survey.objects.filter(
        is_open=True,
        programme__archived_at__isnull=True,
        programme__ends_on__gte=today - DAY * 400,  # extensions run at most that long
    ).order_by("pk"):
        surveys_of.setdefault(survey.programme_id, []).append(survey)
    if not surveys_of:
        return
    queryset = Partnership.objects.filter(
        programme__in=list(surveys_of), status__in=SURVEYED_STATUSES, started_on__isnull=False
    ).select_related("programme", "mentor__user", "mentee__user")
    for batch in keyset_batches(queryset, order=("programme_id", "pk"), batch_size=batch_size):
        answered = set(
            SurveyResponse.objects.filter(partnership__in=[p.pk for p in batch]).values_list(
                "survey_id", "round", "respondent_id", "partnership_id"
            )
        )
        dues = []
        for partnership in batch:
            programme_today = partnership.programme.today(now)
            if partnership.has_ended(programme_today):
                continue
            for user in partnership.members:
                role = partnership.role_of(user)
                for due in rounds_for(partnership, surveys_of[partnership.programme_id], role):
                    if (due.survey.pk, due.round, user.pk, partnership.pk) in answered:
                        continue
                    dues.extend(_dues(partnership, user, due))
        yield dues


def _dues(partnership: Partnership, user, due):
    common = {
        "recipient": user,
        "kind": ReminderKind.SURVEY,
        "programme": partnership.programme,
        "partnership_id": partnership.pk,
        "subject_key": f"survey:{due.survey.pk}:{partnership.pk}",
    }
    nudge_on = due.opens_on + DAY * NUDGE_AFTER
    yield Due(
        period=due.round,
        due_on=due.opens_on,
        last_day=min(due.closes_on, nudge_on - DAY),
        **common,
    )
    if nudge_on <= due.closes_on:
        yield Due(period=f"{due.round}/2", due_on=nudge_on, last_day=due.closes_on, **common)


def _parts(reminder) -> tuple[Survey, str]:
    _, survey_id, _ = reminder.subject_key.split(":")
    return Survey.objects.get(pk=int(survey_id)), reminder.period.split("/")[0]


def still_due(reminder) -> str | None:
    partnership = reminder.partnership
    partnership.programme = reminder.programme
    try:
        survey, round_key = _parts(reminder)
    except Survey.DoesNotExist:
        return "the survey was deleted"
    if not survey.is_open:
        return "the survey no longer takes answers"
    if partnership.has_ended():
        return "the programme has ended"
    if SurveyResponse.objects.filter(
        survey=survey, round=round_key, respondent=reminder.recipient, partnership=partnership
    ).exists():
        return "they have answered it"
    try:
        due = round_for(partnership, survey=survey, round_key=round_key, user=reminder.recipient)
    except (ValidationError, PermissionDenied):
        return "the survey no longer asks them this"
    if not due.is_open(partnership.programme.today()):
        return "the survey is closed"
    return None


def context(reminder) -> dict:
    partnership = reminder.partnership
    partnership.programme = reminder.programme
    survey, round_key = _parts(reminder)
    return {
        "partnership": partnership,
        "programme": reminder.programme,
        "survey": survey,
        "round_label": round_label(round_key),
        "questions": survey.questions.count(),
        "second_nudge": reminder.period.endswith("/2"),
        "action_url": links.absolute(
            reverse("partnerships:survey", args=[partnership.code, survey.code, round_key])
        ),
    }
