"""Partnership health: the at-risk rules, and a fixed number of queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals import services as goal_services
from goals.health import health_of, pair_health
from partnerships import services
from partnerships.models import Partnership
from tests.builders import make_partnership, make_user
from tests.goals.health_world import START, checkin, only

DAY = datetime.timedelta(days=1)


def test_a_partnership_on_cadence_is_healthy(started_partnership, mentor, mentee):
    held = checkin(started_partnership, mentee, START + datetime.timedelta(days=10))
    services.reflection_write(checkin=held, by=mentor, text="Good session")
    health = only(started_partnership, START + datetime.timedelta(days=12))
    assert health.reasons == []
    assert health.days_since_checkin == 2
    assert health.overdue_days == 0


GRACE = 7  # the programme's default grace period, in days


def test_overdue_by_more_than_one_cadence_reaches_the_coordinator_after_the_grace_period(
    started_partnership,
):
    # At risk from 15 days overdue (cadence 14); the coordinator sees it 7 days later.
    assert only(started_partnership, START + DAY * (14 + 15 + GRACE - 1)).reasons == []
    health = only(started_partnership, START + DAY * (14 + 15 + GRACE))
    assert health.overdue_days == 15 + GRACE
    assert health.reasons == ["Check-in overdue by 22 days (cadence 14)"]


def test_overdue_by_less_than_a_cadence_is_not_yet_at_risk(started_partnership):
    health = only(started_partnership, START + DAY * (14 + 13))
    assert health.overdue_days == 13
    assert health.reasons == []


def test_a_programme_without_grace_shows_it_the_day_it_holds(started_partnership, programme):
    programme.health_grace_days = 0
    programme.save()
    health = only(started_partnership, START + DAY * (14 + 15))
    assert health.reasons == ["Check-in overdue by 15 days (cadence 14)"]


def test_no_checkin_for_two_cadences_after_a_resume_is_at_risk(started_partnership, mentee):
    # Resuming restarts the due date, but two cadences without a meeting is still a worry.
    Partnership.objects.filter(pk=started_partnership.pk).update(
        next_checkin_due_on=START + datetime.timedelta(days=60)
    )
    assert only(started_partnership, START + DAY * (28 + GRACE - 1)).reasons == []
    health = only(started_partnership, START + DAY * (28 + GRACE))
    assert health.reasons == ["No check-in for 35 days (two cadences)"]


def test_a_partner_who_took_no_part_in_the_last_check_ins_is_one_sided(
    started_partnership, mentor, mentee
):
    for offset in (3, 6, 9):
        c = checkin(started_partnership, mentor, START + DAY * offset)
        services.reflection_write(checkin=c, by=mentor, text="I did all the talking")
    health = only(started_partnership, START + DAY * (9 + GRACE))
    assert (health.recent_checkins, health.mentor_took_part, health.mentee_took_part) == (3, 3, 0)
    assert health.reasons == ["One-sided: the mentee took part in 0 of the last 3 check-ins"]


def test_an_engaged_pair_whose_mentee_reviews_five_goals_is_not_one_sided(
    started_partnership, mentor, mentee
):
    """The new user's case: counting rows made this pair "82% from the mentee"."""
    goals = [
        goal_services.goal_create(partnership=started_partnership, by=mentee, title=f"Goal {n}")
        for n in range(5)
    ]
    for offset in (3, 6, 9):
        c = checkin(started_partnership, mentee, START + DAY * offset, agenda="Plan")
        for goal in goals:
            goal_services.goal_review_record(checkin=c, goal=goal, by=mentee, decision="keep")
        services.feedback_give(checkin=c, by=mentor, rating=5)
    health = only(started_partnership, START + DAY * (9 + GRACE))
    assert (health.mentor_took_part, health.mentee_took_part) == (3, 3)
    assert health.reasons == []


def test_a_partner_who_missed_one_of_three_is_not_one_sided_but_two_is(
    started_partnership, mentor, mentee
):
    checkin(started_partnership, mentee, START + DAY * 3)
    with_mentee = checkin(started_partnership, mentor, START + DAY * 6)
    services.reflection_write(checkin=with_mentee, by=mentee, text="Thinking it over")
    checkin(started_partnership, mentor, START + DAY * 9)
    health = only(started_partnership, START + DAY * 20)
    assert (health.mentor_took_part, health.mentee_took_part) == (2, 2)
    assert health.reasons == []
    checkin(started_partnership, mentor, START + DAY * 12)  # day 3 drops out of the last three
    health = only(started_partnership, START + DAY * 20)
    assert (health.mentor_took_part, health.mentee_took_part) == (3, 1)
    assert health.reasons == ["One-sided: the mentee took part in 1 of the last 3 check-ins"]


def test_one_sided_waits_for_the_grace_period_after_the_last_check_in(started_partnership, mentor):
    for offset in (3, 6):
        checkin(started_partnership, mentor, START + DAY * offset)
    assert only(started_partnership, START + DAY * (6 + GRACE - 1)).reasons == []
    assert only(started_partnership, START + DAY * (6 + GRACE)).reasons == [
        "One-sided: the mentee took part in 0 of the last 2 check-ins"
    ]


def test_only_the_last_three_checkins_count(started_partnership, mentor, mentee):
    for offset in (1, 2, 3):
        checkin(started_partnership, mentor, START + datetime.timedelta(days=offset))
    for offset in (4, 5, 6):
        checkin(started_partnership, mentee, START + datetime.timedelta(days=offset))
    health = only(started_partnership, START + datetime.timedelta(days=7))
    assert (health.mentor_took_part, health.mentee_took_part) == (0, 3)


def test_a_low_latest_rating_is_at_risk_after_the_grace_period(started_partnership, mentor, mentee):
    first = checkin(started_partnership, mentee, START + datetime.timedelta(days=3), agenda="x")
    services.feedback_give(checkin=first, by=mentee, rating=1)
    second = checkin(started_partnership, mentor, START + datetime.timedelta(days=5))
    services.feedback_give(checkin=second, by=mentee, rating=2)
    services.feedback_give(checkin=second, by=mentor, rating=5)
    assert only(started_partnership, START + DAY * (5 + GRACE - 1)).reasons == []
    health = only(started_partnership, START + DAY * (5 + GRACE))
    assert health.latest_rating_for_mentor == 2
    assert health.latest_rating_for_mentee == 5
    assert health.reasons == ["Low feedback: the mentor was last rated 2/5"]


def test_the_pair_sees_it_first_with_the_day_the_coordinator_will(
    started_partnership, mentor, mentee
):
    today = START + DAY * (14 + 15)  # at risk since today; the coordinator sees it in 7 days
    pair = pair_health(started_partnership, user=mentee, today=today)
    assert [item["text"] for item in pair.items] == ["Your check-in is 15 days overdue."]
    assert pair.items[0]["coordinator_sees_on"] == today + DAY * GRACE
    assert pair.items[0]["shown"] is False
    assert only(started_partnership, today).reasons == []
    later = pair_health(started_partnership, user=mentee, today=today + DAY * GRACE)
    assert later.items[0]["shown"] is True


def test_the_pair_is_told_who_has_not_taken_part(started_partnership, mentor, mentee):
    for offset in (3, 6, 9):
        checkin(started_partnership, mentor, START + DAY * offset)
    today = START + DAY * 10
    as_mentor = pair_health(started_partnership, user=mentor, today=today)
    as_mentee = pair_health(started_partnership, user=mentee, today=today)
    assert [i["text"] for i in as_mentor.items] == [
        "Your partner took part in 0 of the last 3 check-ins."
    ]
    assert [i["text"] for i in as_mentee.items] == ["You took part in 0 of the last 3 check-ins."]
    assert as_mentee.items[0]["coordinator_sees_on"] == START + DAY * (9 + GRACE)


def test_a_check_in_a_little_late_is_told_to_the_pair_only(started_partnership, mentee):
    today = START + DAY * 16  # due on day 14
    pair = pair_health(started_partnership, user=mentee, today=today)
    assert [item["text"] for item in pair.items] == [
        f"Your check-in was due on {(START + DAY * 14):%-d %B} (2 days ago)."
    ]
    assert pair.items[0]["coordinator_sees_on"] == START + DAY * (14 + 14 + GRACE + 1)


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
