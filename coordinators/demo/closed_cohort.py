"""The demo's earlier cohort (issue 17): Leadership Mentoring 2025 ran for six months and
closed before the current programme began. Its pairs met, revised, achieved and dropped
goals, wrote closing reflections and answered the closing survey and the before/after
self-assessment (four mentors and five mentees: every figure above the three-answer
threshold), so its Outcomes and Surveys pages and the cohorts side by side have something
to show. Maya and Amara went on together into the current programme, which follows it.

Everything is dated when it happened (coordinators/demo/timeline.py)."""

import datetime
import random

from django.contrib.auth import get_user_model

from coordinators.demo.timeline import happened_at, moment_on
from goals import services as goal_services
from goals.models import Goal
from goals.models import ReviewDecision as Decision
from partnerships import services
from partnerships.models import CheckIn, Participant, Partnership, Programme, Survey
from partnerships.models.participant import Role
from partnerships.models.partnership import EndReason
from partnerships.models.programme import add_months
from partnerships.models.visibility import Visibility
from partnerships.services.programme_life import programme_close
from partnerships.services.surveys import survey_answer, survey_copy

DAY = datetime.timedelta(days=1)
SLUG = "demo-2025"

# (email, name, time zone, capacity or None for a mentee, interests)
PEOPLE = [
    ("amara.okafor@example.org", "Amara Okafor", "Europe/London", 2, "leadership"),
    ("ben.carter@example.org", "Ben Carter", "America/New_York", 1, "data engineering"),
    ("chen.wei@example.org", "Chen Wei", "Australia/Sydney", 1, "design"),
    ("farah.haddad@example.org", "Farah Haddad", "Asia/Dubai", 2, "operations, finance"),
    ("maya.patel@example.org", "Maya Patel", "Europe/London", None, "public speaking"),
    ("jonas.berg@example.org", "Jonas Berg", "Europe/Stockholm", None, "leadership"),
    ("keiko.sato@example.org", "Keiko Sato", "Asia/Tokyo", None, "data engineering"),
    ("luis.romero@example.org", "Luis Romero", "America/Mexico_City", None, "design"),
    ("nadia.ivanova@example.org", "Nadia Ivanova", "Europe/Sofia", None, "finance"),
    ("omar.farouk@example.org", "Omar Farouk", "Africa/Cairo", None, "operations"),
]
# (mentor, mentee, goals with how each ended, and whether the pair ended early)
PAIRS = [
    (
        "amara.okafor@example.org",
        "maya.patel@example.org",
        [
            ("Speak at the spring all-hands", "A five-minute update given live", "achieved"),
            ("Chair the weekly product sync", "Four syncs run end to end", "revised"),
        ],
        False,
    ),
    (
        "amara.okafor@example.org",
        "jonas.berg@example.org",
        [
            ("Hire my first team member", "An offer accepted", "achieved"),
            ("Write a one-page team charter", "Shared with the team and agreed", "achieved"),
        ],
        False,
    ),
    (
        "ben.carter@example.org",
        "keiko.sato@example.org",
        [
            ("Ship a dbt project to production", "Nightly models running for a month", "revised"),
            ("Get the cloud data engineer certificate", "Exam passed", "dropped"),
        ],
        False,
    ),
    (
        "chen.wei@example.org",
        "luis.romero@example.org",
        [
            ("Run five user interviews on my own", "Five interviews with notes", "achieved"),
            ("Rebuild my portfolio site", "Three case studies online", "revised"),
        ],
        False,
    ),
    (
        "farah.haddad@example.org",
        "nadia.ivanova@example.org",
        [
            ("Own the quarterly budget review", "Presented to the leadership team", "achieved"),
            ("Learn to read a cash-flow statement", "Explain one to a colleague", "achieved"),
        ],
        False,
    ),
    (
        "farah.haddad@example.org",
        "omar.farouk@example.org",
        [("Map our supplier process", "A process map reviewed by the team", "active")],
        True,
    ),
]
MENTOR_LEARNING = {
    "amara.okafor@example.org": "Coach without giving the answer away",
    "ben.carter@example.org": "Explain data work to people outside it",
    "chen.wei@example.org": "Mentor someone in another time zone well",
    "farah.haddad@example.org": "Listen more than I talk",
}
AGENDAS = [
    "How the all-hands draft is going; rehearsal plan",
    "The hiring loop: what to ask, and how to decide",
    "Stuck on the dbt tests; what to drop this month",
    "Interview notes from last week; what surprised me",
    "Budget review dry run; questions I expect",
    "Prioritising when everything is urgent",
    "Feedback from my manager and what to do with it",
    "Next month's goals: what is realistic",
]
REFLECTIONS = [
    "Saying the plan out loud made the first step obvious.",
    "I talked too much this time; next time more questions.",
    "We found the real blocker: I had not asked for the access.",
    "Good to hear it is normal to feel like this in a first lead role.",
    "The mock interview was uncomfortable and exactly what I needed.",
    "Less progress than I hoped, but a clearer picture of why.",
    "Her example of a difficult conversation stuck with me all week.",
    "We agreed to cut one goal's scope; that was a relief.",
]
FEEDBACK = [
    "The practice run helped more than any reading.",
    "Thanks for pushing back on my timeline.",
    "Clear, kind and direct, as always.",
    "Could we leave ten minutes for next steps next time?",
    "Your questions made me see the problem differently.",
    "Really useful examples from your own first year.",
]
CLOSING = {
    "maya.patel@example.org": "Six months ago I avoided speaking in meetings; in April I gave "
    "the all-hands update. I want to keep going, now on leading the product sync.",
    "amara.okafor@example.org": "Maya did the hard part herself. I learned to ask before I "
    "advise, and we both want another round.",
    "jonas.berg@example.org": "Hiring my first person felt impossible in November. The "
    "charter we wrote together is on the team wall now.",
    "keiko.sato@example.org": "The certificate could wait; shipping the pipeline could not. "
    "Dropping it was the best decision we made.",
    "ben.carter@example.org": "Keiko is ready for a senior role. I need to get better at "
    "explaining trade-offs without jargon.",
    "luis.romero@example.org": "Doing interviews alone is still scary, but I have done five "
    "and I know what to look for.",
    "chen.wei@example.org": "Meeting at 7 a.m. my time was worth it. Luis asks sharper "
    "questions than most seniors.",
    "nadia.ivanova@example.org": "I presented the budget review to the leadership team "
    "and nobody noticed how nervous I was.",
    "farah.haddad@example.org": "Two very different mentees taught me to listen first.",
}
CLOSING_TEXT = [
    "Keep the check-in reminders; an earlier kick-off for everyone.",
    "More time with other mentees, perhaps a mid-point meetup.",
    "Keep the goal reviews. Shorter surveys.",
    "Pair people earlier; the first month was slow.",
    "A short guide for first meetings would help.",
]
GAINED = ["Confidence", "New skills", "A wider network", "Clarity about my career"]


def seed_closed_cohort(
    current: Programme, *, coordinator, password_hash: str, today: datetime.date
) -> Programme:
    """The closed cohort before ``current``; ``current`` follows it."""
    rng = random.Random(2025)
    starts = add_months(current.starts_on, -8)
    ends = current.starts_on - DAY * 42
    User = get_user_model()
    with happened_at(moment_on(starts - DAY * 30, 10)):
        # Its dates are set last: the services write only while a programme runs, so it
        # runs "until next week" while its past is written, then ends where it did.
        cohort = Programme.objects.create(
            name="Leadership Mentoring 2025",
            slug=SLUG,
            description="The first cohort: six months, emerging leaders with experienced ones.",
            starts_on=starts,
            ends_on=today + DAY * 7,
            checkin_cadence_days=14,
            retention_months=12,
        )
        cohort.coordinators.add(coordinator)
        people = {}
        for email, name, zone, capacity, interests in PEOPLE:
            user, _ = User.objects.get_or_create(
                email=email, defaults={"name": name, "time_zone": zone, "password": password_hash}
            )
            people[email] = Participant.objects.create(
                programme=cohort,
                user=user,
                role=Role.MENTEE if capacity is None else Role.MENTOR,
                capacity=capacity or 1,
                interests=interests,
            )
    surveys = _surveys(cohort, coordinator, starts)
    pairs = []
    for n, (mentor_email, mentee_email, goals, ends_early) in enumerate(PAIRS):
        started = starts + DAY * (10 + 3 * n)
        pair = _pair(rng, cohort, people[mentor_email], people[mentee_email], started, ends)
        _meet(rng, pair, goals, started, ends - DAY * (70 if ends_early else 10), coordinator)
        if ends_early:
            with happened_at(moment_on(ends - DAY * 60, 18)):
                services.partnership_end(
                    partnership=pair,
                    by=pair.mentee.user,
                    reason=EndReason.NO_TIME,
                    note="A reorganisation took every evening I had. Thank you, Farah.",
                )
            Partnership.objects.filter(pk=pair.pk).update(ended_on=ends - DAY * 60)
            continue
        _answer(rng, pair, surveys, started, ends)
        pairs.append(pair)
    # Amara's reflection is about Maya: she wrote none for Jonas.
    written = {(people["amara.okafor@example.org"].user, "jonas.berg@example.org")}
    for pair in pairs:
        for person in (pair.mentee.user, pair.mentor.user):
            text = CLOSING.get(person.email)
            if text is None or (person, pair.mentee.user.email) in written:
                continue
            written.add((person, pair.mentee.user.email))
            with happened_at(moment_on(ends - DAY * rng.randint(2, 9), 20)):
                services.closing_reflection_write(
                    partnership=pair,
                    by=person,
                    text=text,
                    visibility=Visibility.SHARED if rng.random() < 0.7 else Visibility.PRIVATE,
                )
    Programme.objects.filter(pk=cohort.pk).update(ends_on=ends)
    cohort.refresh_from_db()
    closed_at = moment_on(ends + DAY, 0, 15)
    with happened_at(closed_at):
        programme_close(programme=cohort, now=closed_at)
    Programme.objects.filter(pk=current.pk).update(follows=cohort)
    maya_again = Partnership.objects.filter(
        programme=current, mentee__user__email="maya.patel@example.org"
    ).first()
    maya_before = [p for p in pairs if p.mentee.user.email == "maya.patel@example.org"]
    if maya_again is not None and maya_before:
        Partnership.objects.filter(pk=maya_again.pk).update(continued_from=maya_before[0])
    return cohort


def _surveys(cohort, coordinator, starts) -> dict[str, Survey]:
    surveys = {}
    with happened_at(moment_on(starts - DAY * 20, 11)):
        for kind in ("closing", "self_assessment"):
            template = Survey.objects.templates().filter(kind=kind).first()
            if template is not None:  # the built-in templates, from migration 0011
                surveys[kind] = survey_copy(survey=template, programme=cohort, by=coordinator)
    return surveys


def _pair(rng, cohort, mentor, mentee, started, ends) -> Partnership:
    with happened_at(moment_on(started - DAY * 4, 9, 30)):
        pair = services.partnership_create(programme=cohort, mentor=mentor, mentee=mentee)
    with happened_at(moment_on(started - DAY * 2, 17)):
        agreement = services.agreement_propose(
            partnership=pair,
            by=mentee.user,
            channels=rng.choice(["Video call every other Tuesday", "Video, and chat between"]),
            response_time=rng.choice(["Within two working days", "By the end of the week"]),
            off_limits="Colleagues' performance reviews",
        )
        services.agreement_sign(agreement=agreement, by=mentee.user)
    with happened_at(moment_on(started, 8, 40)):
        services.agreement_sign(agreement=agreement, by=mentor.user)
        services.partnership_activate(partnership=pair, by=mentor.user)
    Partnership.objects.filter(pk=pair.pk).update(started_on=started)
    pair.refresh_from_db()
    return pair


def _meet(rng, pair, goals, started, last_day, coordinator) -> None:
    mentee, mentor = pair.mentee.user, pair.mentor.user
    made = []
    with happened_at(moment_on(started + DAY, 19)):
        for title, measure, outcome in goals:
            goal = goal_services.goal_create(
                partnership=pair,
                by=mentee,
                title=title,
                success_measure=measure,
                target_date=started + DAY * rng.randint(90, 150),
            )
            made.append((goal, outcome))
        learning = goal_services.goal_create(
            partnership=pair,
            by=mentor,
            title=MENTOR_LEARNING[mentor.email],
            owner_role=Role.MENTOR,
        )
    dates = []
    day = started + DAY * rng.randint(6, 9)
    while day <= last_day:
        dates.append(day)
        day += DAY * rng.choice([13, 14, 14, 15, 18, 21])
    for n, held_on in enumerate(dates):
        with happened_at(moment_on(held_on, rng.choice([8, 12, 17, 18]))):
            checkin = services.checkin_start(partnership=pair, by=mentee, held_on=held_on)
            services.checkin_set_agenda(checkin=checkin, by=mentee, agenda=rng.choice(AGENDAS))
            for author in (mentee, mentor):
                services.reflection_write(
                    checkin=checkin,
                    by=author,
                    text=rng.choice(REFLECTIONS),
                    visibility=rng.choice(Visibility.values),
                )
            for goal, outcome in made:
                goal.refresh_from_db()
                if goal.status != Goal.Status.ACTIVE:
                    continue
                decision, extra = _decision(n, len(dates), outcome, goal)
                goal_services.goal_review_record(
                    checkin=checkin,
                    goal=goal,
                    by=mentee,
                    decision=decision,
                    note=rng.choice(["On track.", "Slower than planned.", "Done!", "Rescoped."]),
                    **extra,
                )
            if n == len(dates) - 1:
                learning.refresh_from_db()
                if learning.status == Goal.Status.ACTIVE and rng.random() < 0.75:
                    goal_services.goal_review_record(
                        checkin=checkin, goal=learning, by=mentor, decision=Decision.ACHIEVED
                    )
            for author in (mentee, mentor):
                services.feedback_give(
                    checkin=checkin,
                    by=author,
                    rating=rng.choice([3, 4, 4, 5, 5, 5]),
                    comment=rng.choice(FEEDBACK),
                )
    if dates:
        CheckIn.objects.filter(partnership=pair).update(updated_at=moment_on(dates[-1], 20))


def _decision(n: int, total: int, outcome: str, goal) -> tuple[str, dict]:
    """Each goal moves the way its story says, at a check-in that suits it."""
    if outcome == "achieved" and n == max(total - 2, 0):
        return Decision.ACHIEVED, {}
    if outcome == "dropped" and n == total // 2:
        return Decision.DROP, {}
    if outcome == "revised" and n in (total // 3, 2 * total // 3):
        return Decision.REVISE, {"target_date": goal.target_date + DAY * 21}
    return Decision.KEEP, {}


def _answer(rng, pair, surveys, started, ends) -> None:
    """Both partners answer the self-assessment at the start and the end, and the
    closing survey; some let their free text be shown without their name."""
    before = surveys.get("self_assessment")
    for person in (pair.mentee.user, pair.mentor.user):
        if before is not None:
            with happened_at(moment_on(started + DAY * 3, 21)):
                survey_answer(
                    partnership=pair,
                    survey=before,
                    round_key="before",
                    by=person,
                    answers={q.pk: rng.choice([1, 2, 2, 3]) for q in before.questions.all()},
                    today=started + DAY * 3,
                )
        end = pair.programme.ends_on  # still next week: the wrap-up is open
        if before is not None:
            with happened_at(moment_on(ends - DAY * rng.randint(4, 12), 21)):
                survey_answer(
                    partnership=pair,
                    survey=before,
                    round_key="after",
                    by=person,
                    answers={q.pk: rng.choice([3, 4, 4, 5]) for q in before.questions.all()},
                    today=end - DAY,
                )
        closing = surveys.get("closing")
        if closing is None:
            continue
        answers = {}
        for question in closing.questions.all():
            if question.kind == "scale":
                answers[question.pk] = rng.choice([4, 4, 5, 5, 3])
            elif question.kind == "one":
                answers[question.pk] = question.choice_list()[0 if rng.random() < 0.7 else 2]
            elif question.kind == "several":
                answers[question.pk] = rng.sample(GAINED, 2)
            else:
                answers[question.pk] = rng.choice(CLOSING_TEXT)
        with happened_at(moment_on(ends - DAY * rng.randint(1, 3), 20)):
            survey_answer(
                partnership=pair,
                survey=closing,
                round_key="closing",
                by=person,
                answers=answers,
                share_text=rng.random() < 0.8,
                today=end - DAY,
            )
