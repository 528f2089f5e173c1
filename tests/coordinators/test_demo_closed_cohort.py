"""seed_demo tells one story (coordinators/demo/closed_cohort.py, timeline.py): an earlier
cohort that closed, with survey results over the threshold, closing reflections and
outcomes; the current one in mid-flight, following it; and dates that agree."""

import datetime

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from goals.models import Goal, GoalRevision
from partnerships.models import (
    Activity,
    Agreement,
    CheckIn,
    ClosingReflection,
    Partnership,
    Programme,
    SurveyResponse,
)
from partnerships.survey_results import MIN_ANSWERS


def test_the_demo_has_a_closed_cohort_with_results_before_the_current_one(client, db):
    call_command("seed_demo")
    current = Programme.objects.get(slug="demo")
    earlier = current.follows
    assert earlier.name == "Leadership Mentoring 2025"
    assert earlier.closed_at is not None and earlier.ends_on < current.starts_on
    assert set(earlier.partnerships.values_list("status", flat=True)) == {
        "completed",
        "ended_early",
    }
    assert current.partnerships.filter(status="active").count() >= 4  # mid-flight
    assert earlier.partnerships.exclude(status="completed").get().end_reason == "no_time"
    # Survey results to look at: every round answered by three or more of each group.
    for survey in earlier.surveys.all():
        for round_key in survey.rounds():
            answered = SurveyResponse.objects.filter(survey=survey, round=round_key)
            for role in ("mentor", "mentee"):
                people = answered.filter(role=role).values("respondent").distinct().count()
                assert people >= MIN_ANSWERS, (survey.title, round_key, role)
    assert ClosingReflection.objects.filter(partnership__programme=earlier).count() >= 8
    goals = Goal.objects.filter(partnership__programme=earlier)
    assert {"achieved", "dropped", "active"} <= set(goals.values_list("status", flat=True))
    # Maya and Amara went on together.
    again = Partnership.objects.get(programme=current, mentee__user__email="maya.patel@example.org")
    assert again.continued_from.programme == earlier
    # The coordinator sees its outcomes and surveys, and both side by side.
    client.force_login(current.coordinators.get(email="coordinator@example.org"))
    for name in ("outcomes", "surveys"):
        url = reverse(f"admin:partnerships_programme_{name}", args=[earlier.pk])
        assert client.get(url).status_code == 200, url
    compare = client.get(reverse("admin:partnerships_programme_compare")).content.decode()
    assert "Leadership Mentoring 2025" in compare and "Leadership Mentoring 2026" in compare


def test_the_demos_dates_agree_with_each_other(db):
    call_command("seed_demo")
    now = timezone.now()
    for programme in Programme.objects.filter(slug__in=["demo", "demo-2025"]):
        goals = Goal.objects.filter(partnership__programme=programme)
        for goal in goals:
            first = goal.revisions.order_by("created_at").first()
            assert first is None or first.created_at >= goal.created_at, goal
            assert goal.created_at.date() >= goal.partnership.started_on, goal
        # No goal "created today" under revisions from months ago.
        recent = goals.filter(created_at__gte=now - datetime.timedelta(days=1))
        assert not GoalRevision.objects.filter(
            goal__in=recent, created_at__lt=now - datetime.timedelta(days=7)
        ).exists()
        # An agreement is signed within days of being proposed, never months later.
        for agreement in Agreement.objects.filter(partnership__programme=programme):
            for signed in (agreement.mentor_signed_at, agreement.mentee_signed_at):
                if signed is not None:
                    assert agreement.created_at <= signed, agreement
                    assert signed - agreement.created_at < datetime.timedelta(days=7), agreement
        # A check-in was recorded on the day it was held, its feed the same.
        for checkin in CheckIn.objects.filter(partnership__programme=programme):
            assert checkin.created_at.date() == checkin.held_on, checkin
        started = {p.pk: p.started_on for p in programme.partnerships.all()}
        for activity in Activity.objects.filter(partnership__programme=programme):
            assert activity.created_at <= now
            if started[activity.partnership_id] and activity.verb not in ("proposed", "signed"):
                assert activity.created_at.date() >= started[activity.partnership_id] - (
                    datetime.timedelta(days=5)
                ), activity.summary
