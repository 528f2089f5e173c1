"""Retention on PostgreSQL with the real beat task and the real sweep: a programme's
setting deletes private reflections (and, if it says so, shared free text) on the day it
names, at midnight in the programme's own zone; a month before, every participant is told
over real SMTP; the run leaves a record; nothing else is touched, and a second run deletes
nothing more."""

import datetime

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from goals.models import Goal, GoalReview
from goals.tasks import apply_retention
from partnerships.models import (
    AgendaItem,
    CheckIn,
    ClosingReflection,
    Feedback,
    HealthFacts,
    Partnership,
    Programme,
    Reflection,
    RetentionRun,
)
from partnerships.privacy import DATA_APPS
from tests.builders import join, make_user
from tests.reminders.conftest import local

ENDS = datetime.date(2026, 3, 31)
DELETES = datetime.date(2026, 9, 30)  # six months on: September has no 31st
NOTICE = datetime.date(2026, 8, 30)
# What a run changes: the reflections it deletes, and its own record.
RETENTION_TOUCHES = {
    "partnerships.Reflection",
    "partnerships.ClosingReflection",
    "partnerships.RetentionRun",
}
ZONES = ["UTC", "Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata"]


def counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in DATA_APPS
        for model in apps.get_app_config(app).get_models()
    }


def write_everything(partnership, *, mentor, mentee, words: str) -> None:
    """One check-in with every kind of text, private and shared, and a closing of each."""
    checkin = CheckIn.objects.create(
        partnership=partnership, held_on=ENDS, started_by=mentee, agenda=f"{words} agenda"
    )
    for author, visibility in ((mentee, "private"), (mentor, "shared")):
        Reflection.objects.create(
            checkin=checkin, author=author, text=f"{words} {visibility}", visibility=visibility
        )
        ClosingReflection.objects.create(
            partnership=partnership, author=author, text=f"{words} closing", visibility=visibility
        )
    Feedback.objects.create(
        checkin=checkin, author=mentor, recipient=mentee, rating=4, comment=f"{words} comment"
    )
    goal = Goal.objects.create(
        partnership=partnership, title=f"{words} goal title", proposed_by=mentee
    )
    GoalReview.objects.create(
        checkin=checkin, goal=goal, decision="keep", note=f"{words} note", author=mentee
    )
    AgendaItem.objects.create(partnership=partnership, text=f"{words} item", added_by=mentee)
    HealthFacts.objects.filter(partnership=partnership).delete()


@pytest.fixture
def retained(programme, partnership, mentor, mentee, other_partnership):
    """Spring Cohort ended on 31 March 2026 and deletes private reflections six months on;
    the Autumn Cohort keeps everything."""
    Programme.objects.filter(pk=programme.pk).update(
        starts_on=datetime.date(2025, 10, 1), ends_on=ENDS, retention_months=6
    )
    Partnership.objects.filter(pk=partnership.pk).update(
        status="completed", started_on=datetime.date(2025, 10, 6), ended_on=ENDS
    )
    programme.refresh_from_db()
    write_everything(partnership, mentor=mentor, mentee=mentee, words="Spring")
    other = other_partnership
    write_everything(other, mentor=other.mentor.user, mentee=other.mentee.user, words="Autumn")
    return programme


def in_zone(programme, zone: str) -> Programme:
    Programme.objects.filter(pk=programme.pk).update(time_zone=zone)
    programme.refresh_from_db()
    return programme


def run_at(moment: datetime.datetime) -> dict:
    with time_machine.travel(moment, tick=False):
        return apply_retention()


@pytest.mark.parametrize("zone", ZONES)
def test_private_reflections_go_at_midnight_of_the_day_in_the_programmes_zone(
    retained, partnership, zone
):
    in_zone(retained, zone)
    before = counts()
    assert run_at(local(zone, 2026, 9, 29, 23, 59)) == {}
    assert counts() == before
    assert not RetentionRun.objects.exists()

    assert run_at(local(zone, 2026, 9, 30, 0, 0)) == {str(retained.pk): 2}
    after = counts()
    changed = {label for label in after if after[label] != before[label]}
    assert changed == RETENTION_TOUCHES
    assert after["partnerships.Reflection"] == before["partnerships.Reflection"] - 1
    assert after["partnerships.ClosingReflection"] == before["partnerships.ClosingReflection"] - 1
    spring = Reflection.objects.filter(checkin__partnership=partnership)
    assert list(spring.values_list("text", flat=True)) == ["Spring shared"]
    closing = ClosingReflection.objects.filter(partnership=partnership)
    assert list(closing.values_list("text", flat=True)) == ["Spring closing"]
    assert CheckIn.objects.get(partnership=partnership).agenda == "Spring agenda"
    # The other programme keeps all it wrote.
    autumn = Reflection.objects.exclude(checkin__partnership=partnership)
    assert sorted(autumn.values_list("text", flat=True)) == ["Autumn private", "Autumn shared"]

    run = RetentionRun.objects.get(programme=retained)
    assert (run.deletes_on, run.months, run.included_shared) == (DELETES, 6, False)
    assert (run.private_reflections, run.shared_reflections, run.texts_cleared) == (2, 0, 0)
    # Twice, or later, or in several workers: nothing more.
    assert run_at(local(zone, 2026, 9, 30, 0, 1)) == {}
    assert run_at(local(zone, 2027, 1, 1, 12)) == {}
    assert counts() == after
    assert RetentionRun.objects.count() == 1


def test_with_shared_free_text_everything_partners_wrote_goes_and_the_figures_stay(
    retained, partnership
):
    Programme.objects.filter(pk=retained.pk).update(retention_includes_shared=True)
    before = counts()
    assert run_at(local("UTC", 2026, 9, 30, 3)) == {str(retained.pk): 4}
    after = counts()
    changed = {label for label in after if after[label] != before[label]}
    assert changed == RETENTION_TOUCHES
    assert not Reflection.objects.filter(checkin__partnership=partnership).exists()
    assert not ClosingReflection.objects.filter(partnership=partnership).exists()
    checkin = CheckIn.objects.get(partnership=partnership)
    assert (checkin.agenda, checkin.held_on) == ("", ENDS)
    feedback = Feedback.objects.get(checkin=checkin)
    assert (feedback.comment, feedback.rating) == ("", 4)
    review = GoalReview.objects.get(checkin=checkin)
    assert (review.note, review.decision) == ("", "keep")
    assert Goal.objects.get(partnership=partnership).title == "Spring goal title"
    item = AgendaItem.objects.get(partnership=partnership)
    assert item.text == ""
    run = RetentionRun.objects.get()
    assert (run.private_reflections, run.shared_reflections, run.texts_cleared) == (2, 2, 4)
    # The Autumn Cohort's words are all there.
    other = Partnership.objects.exclude(pk=partnership.pk).get()
    assert CheckIn.objects.get(partnership=other).agenda == "Autumn agenda"
    assert AgendaItem.objects.get(partnership=other).text == "Autumn item"
    assert run_at(local("UTC", 2026, 10, 1, 3)) == {}
    assert counts() == after


def test_a_programme_without_the_setting_keeps_everything(retained):
    Programme.objects.filter(pk=retained.pk).update(retention_months=None)
    before = counts()
    assert run_at(local("UTC", 2036, 1, 1, 12)) == {}
    assert counts() == before


def notices_in(server) -> list:
    return [
        m
        for m in server.inbox.messages
        if m["X-Mentorship-Reminder"].startswith("retention_notice")
    ]


def test_every_participant_is_told_a_month_before_once_over_smtp(
    retained, partnership, mentor, mentee, smtp_server, run_sweep
):
    unmatched = make_user("Una Unmatched", time_zone="Asia/Tokyo")
    join(retained, unmatched, "mentee")
    for zone in ("Asia/Tokyo", "Europe/London", "America/New_York"):
        run_sweep(local(zone, 2026, 8, 29, 10))
    assert notices_in(smtp_server) == []
    for day in (30, 31):
        for zone in ("Asia/Tokyo", "Europe/London", "America/New_York"):
            run_sweep(local(zone, 2026, 8, day, 10))
    notices = notices_in(smtp_server)
    assert sorted(m["To"] for m in notices) == sorted([mentor.email, mentee.email, unmatched.email])
    [to_mentee] = [m for m in notices if m["To"] == mentee.email]
    # A subject this long is folded onto the header's second line: readers drop the space.
    assert (
        to_mentee["Subject"].strip()
        == "Spring Cohort: private reflections will be deleted on 30 September 2026"
    )
    body = to_mentee.get_body(preferencelist=("plain",)).get_content()
    assert "On Wednesday 30 September 2026 your private reflections in it will be deleted." in body
    assert "https://mentoring.example.org/accounts/my-data.json" in body
    assert f"https://mentoring.example.org/partnerships/{partnership.code}/" in body
    # Not again, and none once it has run.
    run_at(local("UTC", 2026, 9, 30, 1))
    for day in range(1, 10):
        run_sweep(local("Europe/London", 2026, 9, day, 10))
    assert len(notices_in(smtp_server)) == 3


def test_the_admin_shows_the_setting_and_then_the_record(as_coordinator_client, retained):
    url = reverse("admin:partnerships_programme_change", args=[retained.pk])
    text = as_coordinator_client.get(url).content.decode()
    assert "Delete private reflections after (months)" in text
    assert (
        "Private reflections will be deleted on 30 September 2026; participants are told "
        "on 30 August 2026." in text
    )
    run_at(local("UTC", 2026, 9, 30, 1))
    text = as_coordinator_client.get(url).content.decode()
    assert (
        "Ran on 30 September 2026 (6 months after the end, the day 30 September 2026): "
        "2 private reflections deleted." in text
    )


@pytest.fixture
def as_coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client
