"""The coordinator digest, weekly (Monday, local): per programme, the partnerships at risk
(from goals.health), check-ins logged and goals achieved in the last seven days, and the
programme's life events (the wrap-up, its end, survey rounds opening that week, surveys
sent and answered, the retention setting about to run or just run), with links to the
admin.

It goes out while a programme runs and for a week after its end, and again in the month
before its retention setting deletes reflections (and the week after)."""

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from goals.health import health_of
from goals.models import GoalRevision
from partnerships.models import CheckIn, Partnership, Programme, Reminder, SurveyResponse
from partnerships.models.participant import Role
from partnerships.models.partnership import OPEN_STATUSES
from partnerships.models.reminder import ReminderKind
from partnerships.models.survey import Survey, round_label
from partnerships.services.surveys import SURVEYED_STATUSES, rounds_for
from reminders import links
from reminders.kinds.base import Due

DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)
RETENTION_NOTICE = datetime.timedelta(days=31)


def candidates(now: datetime.datetime, *, batch_size: int):
    """Running programmes (and their first week after the end) with their coordinators.
    Programmes are few: one query, one batch."""
    today = now.astimezone(datetime.UTC).date()
    running = Q(starts_on__lte=today + DAY, ends_on__gte=today - WEEK - DAY, archived_at=None)
    # Retention is set in months: the month before and the week after its day are few rows.
    retaining = Q(retention_months__isnull=False, ends_on__lt=today)
    programmes = (
        Programme.objects.filter(running | retaining)
        .select_related("retention_run")
        .prefetch_related("coordinators")
        .order_by("pk")
    )
    dues = []
    for programme in programmes:
        if not _running(programme, today) and not _retention_near(programme, today):
            continue
        for coordinator in programme.coordinators.all():
            if not coordinator.is_active:
                continue
            local = now.astimezone(coordinator.tzinfo).date()
            monday = local - DAY * local.weekday()
            year, week, _ = monday.isocalendar()
            dues.append(
                Due(
                    recipient=coordinator,
                    kind=ReminderKind.COORDINATOR_DIGEST,
                    programme=programme,
                    partnership_id=None,
                    subject_key=f"programme:{programme.pk}",
                    period=f"{year}-W{week:02d}",
                    due_on=monday,
                    last_day=monday + DAY * 6,
                )
            )
    if dues:
        yield dues


def _running(programme: Programme, today: datetime.date) -> bool:
    return (
        programme.archived_at is None
        and programme.starts_on <= today + DAY
        and programme.ends_on >= today - WEEK - DAY
    )


def _retention_near(programme: Programme, today: datetime.date) -> bool:
    deletes_on = programme.retention_deletes_on
    if deletes_on is None:
        return False
    return deletes_on - RETENTION_NOTICE <= today + DAY and today - WEEK - DAY <= deletes_on


def life_events(programme: Programme, *, today: datetime.date, since) -> list[str]:
    """The programme's life this week, in sentences: what is starting, ending, sent, or
    about to be deleted."""
    events = []
    open_count = Partnership.objects.filter(programme=programme, status__in=OPEN_STATUSES).count()
    wrap_up = programme.wrap_up_starts_on
    if programme.wrap_up_days and wrap_up <= today <= programme.ends_on:
        events.append(
            f"The wrap-up began on {wrap_up:%-d %B}: the partners of {open_count} open "
            f"partnership{'s' if open_count != 1 else ''} are asked for closing reflections "
            "and the closing survey."
        )
    elif programme.wrap_up_days and today < wrap_up <= today + WEEK:
        events.append(
            f"The wrap-up begins on {wrap_up:%-d %B}; the programme ends on "
            f"{programme.ends_on:%-d %B}."
        )
    if today - WEEK < programme.ends_on < today:
        completed = Partnership.objects.filter(
            programme=programme, status=Partnership.Status.COMPLETED
        ).count()
        events.append(
            f"The programme ended on {programme.ends_on:%-d %B}: {completed} partnership"
            f"{'s' if completed != 1 else ''} completed; its workspaces are read-only."
        )
    events.extend(surveys_due(programme, today=today))
    invited = Reminder.objects.filter(
        programme=programme, kind=ReminderKind.SURVEY, created_at__gte=since
    ).exclude(period__contains="/")
    answered = SurveyResponse.objects.filter(
        survey__programme=programme, submitted_at__gte=since
    ).count()
    sent = invited.count()
    if sent or answered:
        events.append(
            f"Surveys: {sent} invitation{'s' if sent != 1 else ''} sent and {answered} "
            f"answer{'s' if answered != 1 else ''} received this week."
        )
    deletes_on = programme.retention_deletes_on
    run = getattr(programme, "retention_run", None)
    if deletes_on is not None and run is None and today <= deletes_on <= today + RETENTION_NOTICE:
        what = "private reflections" + (
            " and shared free text" if programme.retention_includes_shared else ""
        )
        events.append(
            f"Retention: {what} will be deleted on {deletes_on:%-d %B %Y}, as the programme's "
            "setting says; participants were told a month before."
        )
    elif run is not None and run.ran_at >= since:
        events.append(
            f"Retention ran on {run.ran_at:%-d %B}: {run.private_reflections} private and "
            f"{run.shared_reflections} shared reflections deleted, {run.texts_cleared} other "
            "texts cleared."
        )
    return events


def surveys_due(programme: Programme, *, today: datetime.date) -> list[str]:
    """The survey rounds that open in the coming seven days, each with how many
    partnerships it opens for (two queries, whatever the programme's size)."""
    surveys = list(Survey.objects.filter(programme=programme, is_open=True).order_by("pk"))
    if not surveys:
        return []
    opening: dict[tuple[int, str], set[int]] = defaultdict(set)
    for partnership in Partnership.objects.filter(
        programme=programme, status__in=SURVEYED_STATUSES, started_on__isnull=False
    ).only("pk", "programme_id", "status", "started_on", "ended_on", "extended_until"):
        partnership.programme = programme  # the rounds read its dates: no query per row
        for role in (Role.MENTOR, Role.MENTEE):
            for due in rounds_for(partnership, surveys, role):
                if today <= due.opens_on < today + WEEK:
                    opening[(due.survey.pk, due.round)].add(partnership.pk)
    titles = {survey.pk: survey.title for survey in surveys}
    return [
        f"Survey due this week: {titles[survey_id]} ({round_label(round_key).lower()}) opens "
        f"for {len(ids)} partnership{'s' if len(ids) != 1 else ''}."
        for (survey_id, round_key), ids in sorted(opening.items())
    ]


def still_due(reminder) -> str | None:
    if not reminder.programme.coordinators.filter(pk=reminder.recipient_id).exists():
        return "they no longer coordinate this programme"
    return None


def context(reminder) -> dict:
    programme = reminder.programme
    now = timezone.now()
    since = now - WEEK
    active = Partnership.objects.filter(programme=programme, status=Partnership.Status.ACTIVE)
    today = now.astimezone(reminder.recipient.tzinfo).date()
    at_risk = [
        {"health": health, "url": links.admin_url(health.partnership)}
        for health in health_of(active, today=today)
        if health.at_risk
    ]
    checkins = CheckIn.objects.filter(partnership__programme=programme, created_at__gte=since)
    achieved = GoalRevision.objects.filter(
        Q(changes__status__1="achieved"),
        goal__partnership__programme=programme,
        created_at__gte=since,
    )
    return {
        "programme": programme,
        "life_events": life_events(programme, today=today, since=since),
        "at_risk": at_risk,
        "active_count": active.count(),
        "checkins_logged": checkins.count(),
        "goals_achieved": achieved.values("goal").distinct().count(),
        "week_start": today - WEEK,
        "action_url": links.admin_url(programme),
        "partnerships_url": links.absolute(
            f"/admin/partnerships/partnership/?programme__id__exact={programme.pk}"
        ),
    }
