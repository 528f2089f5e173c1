"""A demo programme that shows every part of the product. Safe to run again."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from coordinators.demo.closed_cohort import AGENDAS, FEEDBACK, REFLECTIONS, seed_closed_cohort
from coordinators.demo.joining import seed_joining
from coordinators.demo.meetings import seed_meetings
from coordinators.demo.signup import seed_signup
from coordinators.demo.timeline import happened_at, moment_on
from coordinators.group import make_coordinator
from goals import services as goal_services
from goals.models import Goal
from goals.models import ReviewDecision as Decision
from partnerships import services
from partnerships.models import Participant, Partnership, Programme
from partnerships.models.participant import Role
from partnerships.models.partnership import Status
from partnerships.models.visibility import Visibility

DEMO_PASSWORD = "mentorship-demo"
DEMO_SLUG = "demo"

COORDINATOR = ("coordinator@example.org", "Cora Ordinator", "Europe/London")
MENTORS = [
    (
        "amara.okafor@example.org",
        "Amara Okafor",
        "Europe/London",
        3,
        "leadership, public speaking, product management",
    ),
    (
        "ben.carter@example.org",
        "Ben Carter",
        "America/New_York",
        2,
        "data engineering, python, career change",
    ),
    (
        "chen.wei@example.org",
        "Chen Wei",
        "Australia/Sydney",
        2,
        "design, user research, leadership",
    ),
    (
        "dana.schmidt@example.org",
        "Dana Schmidt",
        "Europe/Berlin",
        2,
        "finance, negotiation, management",
    ),
    (
        "elif.yilmaz@example.org",
        "Elif Yilmaz",
        "Europe/Istanbul",
        2,
        "python, machine learning, writing",
    ),
]
MENTEES = [
    ("maya.patel@example.org", "Maya Patel", "Europe/London", "public speaking, leadership"),
    ("noah.kim@example.org", "Noah Kim", "America/New_York", "python, data engineering"),
    ("olivia.brown@example.org", "Olivia Brown", "Australia/Sydney", "user research, design"),
    ("pablo.ruiz@example.org", "Pablo Ruiz", "Europe/Madrid", "negotiation, finance"),
    ("quinn.taylor@example.org", "Quinn Taylor", "America/Chicago", "machine learning, writing"),
    ("rosa.silva@example.org", "Rosa Silva", "America/Sao_Paulo", "product management, leadership"),
    ("sam.lee@example.org", "Sam Lee", "Asia/Singapore", "career change, python"),
    ("tara.nguyen@example.org", "Tara Nguyen", "Asia/Ho_Chi_Minh", "management, leadership"),
    ("uma.rao@example.org", "Uma Rao", "Asia/Kolkata", "design, writing"),
]
# (mentor index, mentee index, final status, weeks since start, weeks since last check-in)
PAIRS = [
    (0, 0, Status.ACTIVE, 16, 1),  # healthy
    (1, 1, Status.ACTIVE, 14, 6),  # overdue by two weeks: past the grace period
    (2, 2, Status.ACTIVE, 12, 1),  # healthy, with a pending agreement change
    (0, 5, Status.ACTIVE, 10, 8),  # badly overdue
    (3, 3, Status.PAUSED, 12, 4),
    (4, 4, Status.COMPLETED, 18, 2),
    (1, 6, Status.ENDED_EARLY, 9, 5),
    (3, 7, Status.PROPOSED, 0, None),
]  # Uma Rao (index 8) stays unmatched.

GOAL_IDEAS = [
    ("Lead a team meeting with confidence", "Run the weekly sync three times without notes"),
    ("Give a talk at the internal conference", "Talk accepted and delivered"),
    ("Move into a data engineering role", "An offer or an internal transfer"),
    ("Build a portfolio of two design case studies", "Two case studies published"),
    ("Negotiate my next salary review", "A prepared case and a meeting booked"),
    ("Publish a technical blog post", "One post published and shared"),
    ("Learn to delegate well", "Three tasks handed over with clear outcomes"),
]
MENTOR_BIOS = {
    "amara.okafor@example.org": "Product director; mentored in both cohorts. Believes most "
    "leadership problems are meeting problems.",
    "ben.carter@example.org": "Moved from analytics into data engineering at 35 and has "
    "helped a dozen people do the same.",
    "chen.wei@example.org": "Leads a design team of eight in Sydney; early mornings suit her.",
    "dana.schmidt@example.org": "Finance lead in Berlin, negotiates for a living.",
    "elif.yilmaz@example.org": "ML engineer and occasional technical writer in Istanbul.",
}
MENTEE_BIOS = {
    "maya.patel@example.org": "Product manager, back for a second cohort with Amara.",
    "noah.kim@example.org": "Analyst learning Python in the evenings.",
    "olivia.brown@example.org": "Junior designer building her portfolio.",
    "pablo.ruiz@example.org": "Accountant preparing for his first salary negotiation.",
    "quinn.taylor@example.org": "Data scientist who wants to write more.",
    "rosa.silva@example.org": "New team lead in São Paulo.",
    "sam.lee@example.org": "Teacher retraining as a developer.",
    "tara.nguyen@example.org": "Operations coordinator aiming for her first management role.",
    "uma.rao@example.org": "UX writer looking for a design mentor.",
}
CHANNELS = [
    "Video call, with chat in between",
    "Video every other week; email for quick questions",
    "In person when we can, video otherwise",
]
RESPONSE_TIMES = ["Within two working days", "By the end of the week", "Same day if urgent"]
OFF_LIMITS = [
    "Salary details of colleagues",
    "Anything about my current manager's team",
    "Internal reorganisation plans",
]
REVIEW_NOTES = {
    Decision.KEEP: [
        "On track.",
        "No change this time; busy sprint.",
        "Halfway there.",
        "Keeping it; next step is booked.",
    ],
    Decision.REVISE: [
        "Pushed the date: the conference moved.",
        "Narrowed the scope to something I control.",
        "New date after the team change.",
    ],
    Decision.ACHIEVED: ["Done, and it went better than expected.", "Achieved!"],
    Decision.DROP: ["No longer relevant after the reorganisation."],
}
NEXT_STEPS = [
    "Draft the plan for the next fortnight",
    "Ask my manager for a stretch assignment",
    "Book a rehearsal with two colleagues",
    "Read the chapter on delegation and bring one question",
    "Send the draft to my mentor by Friday",
]
MENTOR_LEARNING = [
    "Get better at asking open questions",
    "Learn how early-career people use AI tools",
    "Practise giving feedback that lands",
]


class Command(BaseCommand):
    help = "Create the demo programme with people, partnerships, goals and check-ins."

    def handle(self, *args, **options):
        if Programme.objects.filter(slug=DEMO_SLUG).exists():
            self.stdout.write("The demo programme is already there.")
        else:
            with transaction.atomic():
                Seeder(today=timezone.localdate()).run()
            self.stdout.write(self.style.SUCCESS("Created the demo programme."))
        self.print_logins()

    def print_logins(self):
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"  coordinator  {COORDINATOR[0]}   → /admin/")
        self.stdout.write("  superuser    admin@example.org       → /admin/")
        self.stdout.write(f"  mentor       {MENTORS[0][0]}")
        self.stdout.write(f"  mentee       {MENTEES[0][0]}")
        self.stdout.write("  (every demo person above logs in the same way)\n")


class Seeder:
    def __init__(self, *, today: datetime.date):
        self.today = today
        self.rng = random.Random(2026)
        self.User = get_user_model()
        # Hash once: password hashing is deliberately slow and everyone shares the demo one.
        self.password_hash = make_password(DEMO_PASSWORD)

    def person(self, email, name, time_zone, **extra):
        user, _ = self.User.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "time_zone": time_zone,
                "password": self.password_hash,
                **extra,
            },
        )
        return user

    def run(self):
        self.person("admin@example.org", "Ada Admin", "UTC", is_staff=True, is_superuser=True)
        coordinator = self.person(*COORDINATOR)
        starts_on = self.today - datetime.timedelta(weeks=20)
        with happened_at(moment_on(starts_on - datetime.timedelta(weeks=3), 10)):
            programme = Programme.objects.create(
                name="Leadership Mentoring 2026",
                slug=DEMO_SLUG,
                description="A six-month programme pairing experienced leaders with emerging "
                "ones: the second cohort.",
                starts_on=starts_on,
                ends_on=self.today + datetime.timedelta(weeks=6),
                checkin_cadence_days=14,
                deliver_any_hour=True,  # so that `make run` shows reminders straight away
            )
            make_coordinator(coordinator, programme)
        with happened_at(moment_on(starts_on - datetime.timedelta(weeks=2), 11)):
            mentors = [
                Participant.objects.create(
                    programme=programme,
                    user=self.person(email, name, tz),
                    role=Participant.Role.MENTOR,
                    capacity=capacity,
                    interests=interests,
                    bio=MENTOR_BIOS.get(email, ""),
                )
                for email, name, tz, capacity, interests in MENTORS
            ]
            mentees = [
                Participant.objects.create(
                    programme=programme,
                    user=self.person(email, name, tz),
                    role=Participant.Role.MENTEE,
                    interests=interests,
                    bio=MENTEE_BIOS.get(email, ""),
                )
                for email, name, tz, interests in MENTEES
            ]
        for mentor_i, mentee_i, status, weeks, since_last in PAIRS:
            self.partnership(
                programme,
                mentors[mentor_i],
                mentees[mentee_i],
                status,
                weeks,
                since_last,
                coordinator,
            )
        self.other_programme()
        seed_closed_cohort(  # coordinators/demo/closed_cohort.py
            programme, coordinator=coordinator, password_hash=self.password_hash, today=self.today
        )
        seed_meetings(programme)  # coordinators/demo/meetings.py
        seed_joining(programme, password_hash=self.password_hash)  # coordinators/demo/joining.py
        seed_signup(programme)  # coordinators/demo/signup.py

    def other_programme(self):
        """A second programme with its own coordinator, so that scoping is visible."""
        with happened_at(moment_on(self.today - datetime.timedelta(weeks=6), 10)):
            other = Programme.objects.create(
                name="Engineering Guild 2026",
                slug="engineering-guild",
                starts_on=self.today - datetime.timedelta(weeks=4),
                ends_on=self.today + datetime.timedelta(weeks=20),
            )
            make_coordinator(
                self.person("guild.coordinator@example.org", "Gil Coordinator", "UTC"), other
            )
            mentor = Participant.objects.create(
                programme=other,
                user=self.person("vik.mentor@example.org", "Vik Mentor", "Europe/Paris"),
                role=Role.MENTOR,
                interests="architecture, testing",
            )
            mentee = Participant.objects.create(
                programme=other,
                user=self.person("wen.mentee@example.org", "Wen Mentee", "Asia/Shanghai"),
                role=Role.MENTEE,
                interests="testing",
            )
        with happened_at(moment_on(self.today - datetime.timedelta(days=3), 15)):
            services.partnership_create(programme=other, mentor=mentor, mentee=mentee)

    def at(self, day: datetime.date, hour: int = 12):
        return happened_at(moment_on(day, hour))

    def partnership(self, programme, mentor, mentee, status, weeks, since_last, coordinator):
        mentor_user, mentee_user = mentor.user, mentee.user
        if status == Status.PROPOSED:
            proposed_on = self.today - datetime.timedelta(days=2)
        else:
            started = self.today - datetime.timedelta(weeks=weeks)
            proposed_on = started - datetime.timedelta(days=4)
        with self.at(proposed_on, 10):
            p = services.partnership_create(
                programme=programme, mentor=mentor, mentee=mentee, by=coordinator
            )
            agreement = services.agreement_propose(
                partnership=p,
                by=mentee_user,
                channels=self.rng.choice(CHANNELS),
                response_time=self.rng.choice(RESPONSE_TIMES),
                off_limits=self.rng.choice(OFF_LIMITS),
            )
            services.agreement_sign(agreement=agreement, by=mentee_user)
        if status == Status.PROPOSED:
            return p  # the mentor has not signed yet: "waiting for your signature"
        with self.at(started, 9):
            services.agreement_sign(agreement=agreement, by=mentor_user)
            services.partnership_activate(partnership=p, by=coordinator)
        Partnership.objects.filter(pk=p.pk).update(started_on=started)
        p.refresh_from_db()

        goals = []
        with self.at(started + datetime.timedelta(days=1), 19):
            for title, measure in self.rng.sample(GOAL_IDEAS, 3):
                goals.append(
                    goal_services.goal_create(
                        partnership=p,
                        by=mentee_user,
                        title=title,
                        success_measure=measure,
                        target_date=started + datetime.timedelta(weeks=self.rng.randint(10, 22)),
                    )
                )
            goal_services.goal_create(
                partnership=p,
                by=mentor_user,
                title=self.rng.choice(MENTOR_LEARNING),
                owner_role=Role.MENTOR,
            )
            proposal = goal_services.goal_create(
                partnership=p,
                by=mentor_user,
                title="Find a sponsor in senior leadership",
                description="Someone who will speak up for you in rooms you are not in.",
                owner_role=Role.MENTEE,  # a mentor's goal for the mentee is only a proposal
            )
        if status == Status.ACTIVE and weeks > 12:
            with self.at(started + datetime.timedelta(weeks=3), 20):
                goal_services.goal_adopt(
                    goal=proposal, by=mentee_user, reason="Good idea, let's do it"
                )

        last = self.checkins(p, goals, started, since_last, mentor_user, mentee_user)

        if mentee.user.email == MENTEES[2][0]:
            # A change proposed by the mentor that the mentee has not signed yet.
            with self.at(self.today - datetime.timedelta(days=4), 18):
                newer = services.agreement_propose(
                    partnership=p,
                    by=mentor_user,
                    change_note="Meet weekly during the portfolio push",
                    checkin_cadence_days=7,
                    channels="Video call",
                    response_time="Same day on weekdays",
                )
                services.agreement_sign(agreement=newer, by=mentor_user)

        if status == Status.PAUSED:
            with self.at(last + datetime.timedelta(days=3), 21):
                services.partnership_pause(
                    partnership=p,
                    by=mentee_user,
                    reason=Partnership.PauseReason.HEALTH,
                    note="Parental leave until the spring. I'll be back in touch in March!",
                )
        elif status == Status.COMPLETED:
            done_on = last + datetime.timedelta(days=1)
            with self.at(done_on, 17):
                services.partnership_complete(partnership=p, by=mentor_user)
                Partnership.objects.filter(pk=p.pk).update(ended_on=done_on)
                p.refresh_from_db()
            for author, text in (
                (
                    mentor_user,
                    "Quinn set the pace from the first week. I learned to ask before I advise.",
                ),
                (
                    mentee_user,
                    "I published my first post and started a second. We agreed "
                    "to stop while it was going well.",
                ),
            ):
                with self.at(done_on + datetime.timedelta(days=1), 20):
                    services.closing_reflection_write(partnership=p, by=author, text=text)
        elif status == Status.ENDED_EARLY:
            with self.at(last + datetime.timedelta(days=5), 18):
                services.partnership_end(
                    partnership=p,
                    by=mentee_user,
                    reason=Partnership.EndReason.LEFT,
                    note="I changed jobs and the new team has its own mentoring scheme. Thank you!",
                    share_note=True,
                )
                Partnership.objects.filter(pk=p.pk).update(
                    ended_on=last + datetime.timedelta(days=5)
                )
        return p

    def checkins(self, p, goals, started, since_last, mentor_user, mentee_user):
        """Check-ins every cadence from the start, the last ``since_last`` weeks ago;
        returns the last one's day."""
        cadence = datetime.timedelta(days=p.checkin_cadence_days)
        last = self.today - datetime.timedelta(weeks=since_last)
        day = started + cadence
        dates = []
        while day < last:
            dates.append(day)
            day += cadence
        dates.append(last)
        for n, held_on in enumerate(dates):
            starter = mentee_user if n % 3 else mentor_user
            with self.at(held_on, self.rng.choice([8, 12, 13, 17, 18])):
                checkin = services.checkin_start(partnership=p, by=starter, held_on=held_on)
                services.checkin_set_agenda(
                    checkin=checkin, by=mentee_user, agenda=self.rng.choice(AGENDAS)
                )
                for author in (mentee_user, mentor_user):
                    if author is mentor_user and self.rng.random() < 0.3:
                        continue  # some check-ins are one-sided, as in real life
                    services.reflection_write(
                        checkin=checkin,
                        by=author,
                        text=self.rng.choice(REFLECTIONS),
                        visibility=self.rng.choice(Visibility.values),
                    )
                for goal in goals:
                    goal.refresh_from_db()
                    if goal.status != Goal.Status.ACTIVE:
                        continue
                    decision = self.review_decision(n, len(dates))
                    extra = {}
                    if decision == Decision.REVISE:
                        extra = {"target_date": goal.target_date + datetime.timedelta(weeks=2)}
                    goal_services.goal_review_record(
                        checkin=checkin,
                        goal=goal,
                        by=mentee_user,
                        decision=decision,
                        note=self.rng.choice(REVIEW_NOTES[decision]),
                        **extra,
                    )
                step = goal_services.next_step_create(
                    partnership=p,
                    by=starter,
                    description=self.rng.choice(NEXT_STEPS),
                    owner=mentee_user,
                    due_on=held_on + datetime.timedelta(days=7),
                    checkin=checkin,
                )
                for author in (mentee_user, mentor_user):
                    services.feedback_give(
                        checkin=checkin,
                        by=author,
                        rating=self.rng.choice([3, 4, 4, 5, 5]),
                        comment=self.rng.choice(FEEDBACK),
                    )
            if n < len(dates) - 1:  # earlier steps were done before the next meeting
                with self.at(held_on + datetime.timedelta(days=6), 19):
                    goal_services.next_step_set_done(step=step, by=mentee_user)
        return last

    def review_decision(self, n: int, total: int) -> str:
        if n == total - 1 and self.rng.random() < 0.3:
            return Decision.ACHIEVED
        return self.rng.choice([Decision.KEEP, Decision.KEEP, Decision.KEEP, Decision.REVISE])
