"""Every figure of the Outcomes page, on the page and in its CSV, against a programme built
by hand whose answers were worked out on paper (the numbers in the comments).

Today is 20 April 2026. The programme runs from 5 January to 31 July 2026.

    pair  started  cadence  check-ins (gap in days)              closed
    P1    8 Jan    14       12 Jan, 26 Jan (14), 9 Feb (14),     completed
                            25 Feb (16)
    P2    10 Jan   14       20 Jan, 5 Feb (16), 10 Mar (33),     open
                            30 Mar (20)
    P3    15 Jan   14       5 Feb, 19 Feb (14)                   ended early: not a fit
    P4    1 Feb    7        15 Mar, 24 Mar (9), 6 Apr (13)       open
    P5    10 Feb   14       none                                 ended early: no time
    P6    proposed, never started

First check-in after the start: 4, 10, 21 and 42 days and one never: median 15.5.
A gap is on time within the cadence plus two days, late within two cadences, else worse:
P1 3 on time; P2 1 on time, 1 late, 1 worse; P3 1 on time; P4 1 on time, 1 late.
"""

import csv
import datetime
import html
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordinators.group import make_coordinator
from coordinators.outcomes import programme_outcomes
from goals import services as goal_services
from goals.models import Goal, GoalRevision
from partnerships import services
from partnerships.models import Partnership, Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from partnerships.services.surveys import survey_answer
from partnerships.survey_results import TOO_FEW
from tests.builders import make_coordinator_of, make_partnership, make_programme, make_user
from tests.coordinators.conftest import populate

NOW = datetime.datetime(2026, 4, 20, 10, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


@pytest.fixture
def frozen(db):
    with time_machine.travel(NOW, tick=False):
        yield


def _survey(programme, kind, title, questions, **extra):
    survey = Survey.objects.create(programme=programme, kind=kind, title=title, **extra)
    made = [
        SurveyQuestion.objects.create(
            survey=survey, position=i, kind="scale", text=text, required=False
        )
        for i, text in enumerate(questions)
    ]
    return survey, made


def _answer(survey, questions, partnership, who, values, round_key, on):
    answers = {q.pk: v for q, v in zip(questions, values, strict=True) if v is not None}
    survey_answer(
        partnership=partnership,
        survey=survey,
        round_key=round_key,
        by=who,
        answers=answers,
        today=on,
    )


@pytest.fixture
def built(frozen):
    programme = make_programme("Hand Cohort", starts_on=d(1, 5), ends_on=d(7, 31))
    coordinator = make_coordinator_of(programme, "Hana Coordinator")
    pairs = [
        make_partnership(programme, make_user(f"Mentor P{i}"), make_user(f"Mentee P{i}"))
        for i in range(1, 6)
    ]
    proposed = make_partnership(
        programme, make_user("Mentor P6"), make_user("Mentee P6"), active=False
    )
    starts = [d(1, 8), d(1, 10), d(1, 15), d(2, 1), d(2, 10)]
    for p, start in zip(pairs, starts, strict=True):
        # Proposed on the programme's first day, started when both had said yes.
        moment = datetime.datetime.combine(d(1, 5), datetime.time(9), tzinfo=datetime.UTC)
        Partnership.objects.filter(pk=p.pk).update(
            started_on=start, created_at=moment, checkin_cadence_days=14
        )
    Partnership.objects.filter(pk=pairs[3].pk).update(checkin_cadence_days=7)
    for p in pairs:
        p.refresh_from_db()
    p1, p2, p3, p4, p5 = pairs
    mentee = {p: p.mentee.user for p in pairs}
    mentor = {p: p.mentor.user for p in pairs}

    # Goals: the mentees' (A to E) and the mentors' own learning goals.
    goal_a = goal_services.goal_create(partnership=p1, by=mentee[p1], title="A: speak up")
    goal_b = goal_services.goal_create(partnership=p1, by=mentee[p1], title="B: write a blog")
    goal_c = goal_services.goal_create(partnership=p2, by=mentee[p2], title="C: lead a demo")
    goal_d = goal_services.goal_create(partnership=p2, by=mentee[p2], title="D: learn SQL")
    goal_e = goal_services.goal_create(partnership=p2, by=mentee[p2], title="E: give a talk")
    learning = {
        p: goal_services.goal_create(
            partnership=p, by=mentor[p], title=f"Learn from {p}", owner_role="mentor"
        )
        for p in (p1, p2, p4)
    }
    # A goal the mentor proposed and the mentee has not adopted counts nowhere.
    goal_services.goal_create(
        partnership=p1, by=mentor[p1], title="Proposed: read a book", owner_role="mentee"
    )

    def checkin(p, on, who=None):
        return services.checkin_start(partnership=p, by=who or mentee[p], held_on=on)

    def review(c, goal, decision, who, **changes):
        goal_services.goal_review_record(
            checkin=c, goal=goal, by=who, decision=decision, note="", **changes
        )

    checkin(p1, d(1, 12))
    c = checkin(p1, d(1, 26))
    review(c, goal_a, "revise", mentee[p1], target_date=d(6, 30))  # January: 1 revised
    review(c, goal_b, "keep", mentee[p1])  # a keep changes nothing
    c = checkin(p1, d(2, 9))
    review(c, goal_b, "drop", mentee[p1])  # February: 1 dropped
    review(c, learning[p1], "achieved", mentor[p1])  # a mentor's: not in the mentees' figure
    c = checkin(p1, d(2, 25))
    review(c, goal_a, "achieved", mentee[p1])  # February: 1 achieved

    checkin(p2, d(1, 20))
    checkin(p2, d(2, 5))
    c = checkin(p2, d(3, 10))
    review(c, goal_c, "achieved", mentee[p2])  # March: 1 achieved
    checkin(p2, d(3, 30))
    # Outside a check-in, today: April, 1 revised and 1 achieved.
    goal_services.goal_revise(goal=goal_d, by=mentee[p2], reason="Narrower", title="D: SQL joins")
    goal_services.goal_revise(goal=goal_e, by=mentee[p2], reason="Done", status="achieved")

    checkin(p3, d(2, 5))
    checkin(p3, d(2, 19))

    checkin(p4, d(3, 15))
    checkin(p4, d(3, 24))
    checkin(p4, d(4, 6))
    goal_services.goal_revise(goal=learning[p4], by=mentor[p4], reason="Not now", status="dropped")

    services.partnership_complete(partnership=p1, by=mentor[p1])
    services.partnership_end(partnership=p3, by=mentee[p3], reason="not_a_fit")
    services.partnership_end(partnership=p5, by=mentee[p5], reason="no_time")
    for p in pairs:
        p.refresh_from_db()

    # Surveys, answered on the days their rounds were open.
    pulse, (useful, together) = _survey(
        programme, "pulse", "Pulse", ["Useful?", "Together?"], pulse_days="30, 90"
    )
    for p, who, values in (
        (p1, mentee[p1], (4, 2)),
        (p1, mentor[p1], (5, 3)),
        (p2, mentee[p2], (3, 4)),
        (p2, mentor[p2], (4, 3)),
    ):  # at 30 days: useful 4.0, together 3.0, so 3.5 over four people
        _answer(pulse, [useful, together], p, who, values, "day30", d(2, 15))
    for who in (mentee[p2], mentor[p2]):  # at 90 days: two people, too few
        _answer(pulse, [useful, together], p2, who, (5, 5), "day90", d(4, 15))
    closing, (valuable,) = _survey(programme, "closing", "Closing", ["Valuable?"])
    for p, who, value in (
        (p1, mentee[p1], 5),
        (p1, mentor[p1], 4),
        (p3, mentee[p3], 2),
        (p5, mentor[p5], 3),
    ):  # 3.5 over four people
        _answer(closing, [valuable], p, who, (value,), "closing", TODAY)
    skills, questions = _survey(
        programme, "self_assessment", "Skills", ["Feedback", "Speaking up", "Network"]
    )
    before = (
        (p1, mentee[p1], (2, 1, 3), d(1, 20)),
        (p1, mentor[p1], (3, None, 3), d(1, 20)),
        (p2, mentee[p2], (2, 2, 3), d(1, 20)),
        (p3, mentee[p3], (1, None, 3), d(1, 20)),
    )  # feedback 2.0, speaking up by two people only, network 3.0
    after = (
        (p1, mentee[p1], (4, 3, 3)),
        (p1, mentor[p1], (4, 4, 2)),
        (p3, mentee[p3], (3, 4, 3)),
        (p5, mentee[p5], (5, 5, 4)),
    )  # feedback 4.0, speaking up 4.0 (but not before), network 3.0
    for p, who, values, on in before:
        _answer(skills, questions, p, who, values, "before", on)
    for p, who, values in after:
        _answer(skills, questions, p, who, values, "after", TODAY)
    return programme, coordinator, proposed


EXPECTED = {
    "goals": [
        ["month", "achieved", "revised", "dropped"],
        ["Jan 2026", 0, 1, 0],
        ["Feb 2026", 1, 0, 1],
        ["Mar 2026", 1, 0, 0],
        ["Apr 2026", 1, 1, 0],
    ],
    "first-checkin": [
        ["time to first check-in", "partnerships"],
        ["within a week", 1],
        ["8 to 14 days", 1],
        ["15 to 28 days", 1],
        ["more than 28 days", 1],
        ["no check-in yet", 1],
    ],
    "regularity": [
        ["gap between check-ins", "gaps"],
        ["on time", 6],
        ["late, within two cadences", 2],
        ["more than two cadences apart", 1],
    ],
    "closures": [
        ["outcome", "partnerships"],
        ["completed", 1],
        ["ended early: goals achieved early", 0],
        ["ended early: not a good fit", 1],
        ["ended early: no time to continue", 1],
        ["ended early: left the programme or organisation", 0],
        ["ended early: health or personal reasons", 0],
        ["ended early: something else", 0],
        ["ended early: the programme ended before it began", 0],
    ],
    "mentor-goals": [
        ["status", "goals"],
        ["achieved", 1],
        ["active", 1],
        ["dropped", 1],
    ],
    "surveys": [
        ["survey", "round", "answered", "average (1 to 5)"],
        ["Closing", "At the wrap-up", 4, 3.5],
        ["Pulse", "At 30 days", 4, 3.5],
        ["Pulse", "At 90 days", "", TOO_FEW],
    ],
    "before-after": [
        ["skill", "before", "after", "change"],
        ["Feedback", 2.0, 4.0, 2.0],
        ["Speaking up", TOO_FEW, TOO_FEW, TOO_FEW],
        ["Network", 3.0, 3.0, 0.0],
    ],
}

NUMBERS = {
    "partnerships": 5,
    "completed": 1,
    "ended_early": 2,
    "median_days_to_first_checkin": 15.5,
    "on_time_percent": 67,  # 6 of 9 gaps
    "goals_achieved": 3,  # A, C and E
    "mentor_goals_achieved_percent": 33,  # 1 of 3
    "closing_average": 3.5,
}


def as_text(rows):
    return [[str(cell) for cell in row] for row in rows]


def test_each_figure_and_number_is_what_was_worked_out_by_hand(built):
    programme, _, _ = built
    with time_machine.travel(NOW, tick=False):
        outcomes = programme_outcomes(programme)
    figures = {f.key: f for f in outcomes.figures}
    assert set(figures) == set(EXPECTED)
    for key, (columns, *rows) in EXPECTED.items():
        assert figures[key].columns == columns, key
        assert figures[key].rows == rows, key
    assert outcomes.numbers == NUMBERS


def _tables(page: str) -> dict[str, list[list[str]]]:
    """Each figure's table on the page as text, header row first."""
    found = {}
    for key, body in re.findall(r'<section[^>]* id="([\w-]+)"[^>]*>(.*?)</section>', page, re.S):
        rows = []
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            rows.append([html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
        found[key] = rows
    return found


def test_the_page_and_every_csv_show_the_same_figures(client, built):
    programme, coordinator, _ = built
    client.force_login(coordinator)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("admin:partnerships_programme_outcomes", args=[programme.pk]))
        tables = _tables(page.text)
        for key, expected in EXPECTED.items():
            header, *rows = as_text(expected)
            assert tables[key] == [[h[0].upper() + h[1:] for h in header], *rows], key
            response = client.get(
                reverse("admin:partnerships_programme_outcome_figure", args=[programme.pk]),
                {"figure": key},
            )
            body = b"".join(response.streaming_content).decode()
            assert list(csv.reader(io.StringIO(body))) == as_text(expected), key
    # The before/after chart draws only the skills three or more answered, before and after.
    before_after = page.text.split('id="before-after"')[1].split("</section>")[0]
    assert "Feedback, before: 2.0" in before_after
    assert "Network, after: 3.0" in before_after
    assert "Speaking up," not in before_after


def test_the_comparison_shows_each_cohort_and_hides_a_survey_two_answered(client, built):
    _, coordinator, _ = built
    with time_machine.travel(NOW, tick=False):
        earlier = make_programme("Earlier Cohort", starts_on=d(1, 5), ends_on=d(7, 31))
        make_coordinator(coordinator, earlier)
        closing, (valuable,) = _survey(earlier, "closing", "Closing", ["Valuable?"])
        for i in range(2):
            p = make_partnership(earlier, make_user(f"Early mentor {i}"), make_user(f"Early {i}"))
            services.partnership_complete(partnership=p, by=p.mentor.user)
            p.refresh_from_db()
            _answer(closing, [valuable], p, p.mentee.user, (1,), "closing", TODAY)
        client.force_login(coordinator)
        response = client.get(reverse("admin:partnerships_programme_compare"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Hand Cohort"][3:] == ["5", "1", "2", "15.5", "67", "3", "33", "3.5"]
    assert by_name["Earlier Cohort"][-1] == ""  # two answers: no average


def test_the_pages_queries_do_not_grow_with_partnerships_answers_or_revisions(client, built):
    """The same number of queries with 200 more partnerships (each with a check-in, a goal
    and feedback), 400 more survey answers and 200 more goal revisions."""
    programme, coordinator, _ = built
    client.force_login(coordinator)
    url = reverse("admin:partnerships_programme_outcomes", args=[programme.pk])
    with time_machine.travel(NOW, tick=False):
        client.get(url)
        with CaptureQueriesContext(connection) as small:
            client.get(url)
        more = populate(programme, 200)
        pulse = Survey.objects.get(programme=programme, kind="pulse")
        useful = pulse.questions.order_by("position").first()
        responses = SurveyResponse.objects.bulk_create(
            SurveyResponse(survey=pulse, round="day30", respondent_id=who, partnership=p, role=role)
            for p in more
            for who, role in ((p.mentee.user_id, "mentee"), (p.mentor.user_id, "mentor"))
        )
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(response=r, question=useful, scale=1 + r.pk % 5) for r in responses
        )
        GoalRevision.objects.bulk_create(
            GoalRevision(
                goal=goal,
                kind="revised",
                changes={"status": ["active", "achieved"]},
                author_id=goal.partnership.mentee.user_id,
                goal_version=goal.version + 1,
            )
            for goal in Goal.objects.filter(partnership__in=more).select_related(
                "partnership__mentee"
            )
        )
        with CaptureQueriesContext(connection) as large:
            page = client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    tables = _tables(page.text)
    assert tables["surveys"][2][:3] == ["Pulse", "At 30 days", "404"]  # 4 + 400 answered
    assert tables["goals"][-1] == ["Apr 2026", "201", "1", "0"]  # 1 + 200 achieved
