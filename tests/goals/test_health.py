"""Partnership health: the at-risk rules, and a fixed number of queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals import services as goal_services
from goals.health import health_of
from partnerships import services
from partnerships.models import Partnership
from tests.builders import make_partnership, make_user
from tests.goals.health_world import START, checkin, only


def test_a_partnership_on_cadence_is_healthy(started_partnership, mentor, mentee):
    held = checkin(started_partnership, mentee, START + datetime.timedelta(days=10))
    services.reflection_write(checkin=held, by=mentor, text="Good session")
    health = only(started_partnership, START + datetime.timedelta(days=12))
    assert health.reasons == []
    assert health.days_since_checkin == 2
    assert health.overdue_days == 0


def test_overdue_by_more_than_one_cadence_is_at_risk(started_partnership):
    health = only(started_partnership, START + datetime.timedelta(days=14 + 15))
    assert health.overdue_days == 15
    assert health.reasons == ["Check-in overdue by 15 days (cadence 14)"]


def test_overdue_by_less_than_a_cadence_is_not_yet_at_risk(started_partnership):
    health = only(started_partnership, START + datetime.timedelta(days=14 + 13))
    assert health.overdue_days == 13
    assert health.reasons == []


def test_no_checkin_for_two_cadences_after_a_resume_is_at_risk(started_partnership, mentee):
    # Resuming restarts the due date, but two cadences without a meeting is still a worry.
    Partnership.objects.filter(pk=started_partnership.pk).update(
        next_checkin_due_on=START + datetime.timedelta(days=40)
    )
    health = only(started_partnership, START + datetime.timedelta(days=28))
    assert health.reasons == ["No check-in for 28 days (two cadences)"]


def test_one_sided_contributions_are_at_risk(started_partnership, mentor, mentee):
    for offset in (3, 6, 9):
        c = checkin(started_partnership, mentor, START + datetime.timedelta(days=offset))
        services.reflection_write(checkin=c, by=mentor, text="I did all the talking")
    health = only(started_partnership, START + datetime.timedelta(days=10))
    assert (health.mentor_contributions, health.mentee_contributions) == (6, 0)
    assert health.reasons == ["One-sided: 100% of recent contributions from the mentor"]


def test_balanced_contributions_are_fine(started_partnership, mentor, mentee):
    for offset in (3, 6, 9):
        c = checkin(
            started_partnership, mentee, START + datetime.timedelta(days=offset), agenda="Plan"
        )
        services.reflection_write(checkin=c, by=mentor, text="Good")
        goal = goal_services.goal_create(
            partnership=started_partnership, by=mentee, title=f"Goal {offset}"
        )
        goal_services.goal_review_record(checkin=c, goal=goal, by=mentee, decision="keep")
    health = only(started_partnership, START + datetime.timedelta(days=10))
    assert (health.mentor_contributions, health.mentee_contributions) == (3, 9)
    assert health.mentee_share == 0.75
    assert health.reasons == []


def test_only_the_last_three_checkins_count(started_partnership, mentor, mentee):
    for offset in (1, 2, 3):
        checkin(started_partnership, mentor, START + datetime.timedelta(days=offset))
    for offset in (4, 5, 6):
        checkin(started_partnership, mentee, START + datetime.timedelta(days=offset))
    health = only(started_partnership, START + datetime.timedelta(days=7))
    assert (health.mentor_contributions, health.mentee_contributions) == (0, 3)


def test_a_low_latest_rating_is_at_risk(started_partnership, mentor, mentee):
    first = checkin(started_partnership, mentee, START + datetime.timedelta(days=3), agenda="x")
    services.feedback_give(checkin=first, by=mentee, rating=1)
    second = checkin(started_partnership, mentor, START + datetime.timedelta(days=5))
    services.feedback_give(checkin=second, by=mentee, rating=2)
    services.feedback_give(checkin=second, by=mentor, rating=5)
    health = only(started_partnership, START + datetime.timedelta(days=6))
    assert health.latest_rating_for_mentor == 2
    assert health.latest_rating_for_mentee == 5
    assert health.reasons == ["Low feedback: the mentor was last rated 2/5"]


def test_paused_partnerships_are_not_at_risk(started_partnership, mentee):
    services.partnership_pause(partnership=started_partnership, by=mentee)
    assert only(started_partnership, START + datetime.timedelta(days=100)).reasons == []


def test_riskiest_first(programme, started_partnership):
    fine = make_partnership(programme, make_user("Fine Mentor"), make_user("Fine Mentee"))
    Partnership.objects.filter(pk=fine.pk).update(
        started_on=START, next_checkin_due_on=START + datetime.timedelta(days=60)
    )
    report = health_of(Partnership.objects.all(), today=START + datetime.timedelta(days=40))
    assert [h.partnership.pk for h in report] == [started_partnership.pk, fine.pk]


def test_the_number_of_queries_does_not_grow_with_partnerships(programme, mentor):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            health_of(Partnership.objects.filter(programme=programme))
        return len(queries)

    first = make_partnership(programme, make_user("A Mentor"), make_user("A Mentee"))
    c = checkin(first, first.mentee.user, datetime.date.today(), agenda="a")
    services.feedback_give(checkin=c, by=first.mentee.user, rating=4)
    one = count_queries()
    for n in range(8):
        p = make_partnership(programme, make_user(f"M{n}"), make_user(f"E{n}"))
        c = checkin(p, p.mentor.user, datetime.date.today())
        services.feedback_give(checkin=c, by=p.mentee.user, rating=3)
    # Computing the stored facts of every partnership costs the same at 1 and at 9...
    assert count_queries() == one == 10
    # ...and once stored, health reads them: one check for stale rows, one select.
    assert count_queries() == 2
