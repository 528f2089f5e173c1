"""What the workspace shows of the programme's life and of the pair's own health: the pair
sees a problem first, with the day their coordinator will see it; the wrap-up asks each
partner for a closing reflection and the closing survey; an ended programme is read-only."""

import datetime
import re

import time_machine
from django.urls import reverse
from django.utils import timezone

from goals.health import health_of
from partnerships.models import ClosingReflection, Partnership, Programme
from partnerships.services.programme_life import programmes_close_due
from partnerships.services.surveys import survey_copy
from tests.builders import builtin_survey
from tests.reminders.conftest import local

DAY = datetime.timedelta(days=1)


def sections(page) -> str:
    """This feature's two cards on the workspace (the rest of the page is checked by the
    workspace's own tests)."""
    found = re.findall(
        r'<section id="(?:programme-life|pair-health)".*?</section>', page.text, flags=re.S
    )
    assert found
    return "\n".join(found)


def workspace(client, user, partnership):
    client.force_login(user)
    return client.get(reverse("partnerships:workspace", args=[partnership.code]))


def test_the_pair_sees_a_late_check_in_first_and_when_the_coordinator_will(
    client, partnership, mentee, html_checker
):
    today = timezone.localdate()
    Partnership.objects.filter(pk=partnership.pk).update(
        started_on=today - DAY * 40, next_checkin_due_on=today - DAY * 16, checkin_cadence_days=14
    )
    page = workspace(client, mentee, partnership)
    assert "How your partnership is doing" in page.text
    assert "Your check-in is 16 days overdue." in page.text
    sees_on = today - DAY * 16 + DAY * (14 + 1 + 7)
    assert f"Your coordinator sees this from {sees_on:%-d %B}" in page.text
    assert html_checker.fragment_errors(sections(page)) == []
    # The coordinator does not, yet: the grace period (7 days) is the pair's.
    assert not health_of(Partnership.objects.filter(pk=partnership.pk))[0].at_risk
    later = health_of(Partnership.objects.filter(pk=partnership.pk), today=sees_on)
    assert later[0].at_risk


def test_an_on_track_pair_is_told_so(client, partnership, mentor):
    page = workspace(client, mentor, partnership)
    assert "On track: your next check-in is due on" in page.text


def test_the_wrap_up_asks_for_a_closing_reflection_and_the_closing_survey(
    client, programme, coordinator, partnership, mentee, html_checker
):
    today = timezone.localdate()
    Programme.objects.filter(pk=programme.pk).update(ends_on=today + DAY * 5, wrap_up_days=14)
    survey = survey_copy(survey=builtin_survey("closing"), programme=programme, by=coordinator)
    page = workspace(client, mentee, partnership)
    assert "Time to wrap up" in page.text
    assert "Write my closing reflection" in page.text
    survey_url = reverse("partnerships:survey", args=[partnership.code, survey.code, "closing"])
    assert survey_url in page.text
    assert html_checker.fragment_errors(sections(page)) == []
    response = client.post(
        reverse("partnerships:closing", args=[partnership.code]),
        {"closing-text": "I learned to ask for help.", "closing-visibility": "shared"},
    )
    assert response.status_code in (200, 302)
    assert ClosingReflection.objects.filter(partnership=partnership, author=mentee).exists()
    page = workspace(client, mentee, partnership)
    assert "Wrote a closing reflection" in page.text


def test_after_the_end_the_workspace_says_it_is_read_only(
    client, programme, partnership, mentee, html_checker
):
    today = timezone.localdate()
    Programme.objects.filter(pk=programme.pk).update(
        starts_on=today - DAY * 100, ends_on=today - DAY * 2, retention_months=6
    )
    programmes_close_due()
    page = workspace(client, mentee, partnership)
    assert page.status_code == 200
    assert "The programme has ended" in page.text
    assert "This workspace is now read-only" in page.text
    assert "Private reflections will be deleted on" in page.text
    # Nothing offered that would be refused: no closing-reflection form, no promise of one.
    assert "Save my closing reflection" not in page.text
    assert "each of you can write a closing reflection" not in page.text
    assert html_checker.fragment_errors(sections(page)) == []


def test_a_programme_in_another_zone_ends_on_its_own_midnight(client, programme, partnership):
    Programme.objects.filter(pk=programme.pk).update(
        ends_on=datetime.date(2026, 12, 31), time_zone="Pacific/Auckland"
    )
    partnership.programme.refresh_from_db()
    with time_machine.travel(local("Europe/London", 2026, 12, 31, 12), tick=False):
        partnership.refresh_from_db()
        assert partnership.has_ended()  # already 1 January in Auckland
