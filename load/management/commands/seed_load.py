"""People for the load scenario (load/): 50 active partnerships, 100 partners who log in
with one known password. Safe to run again: an existing load programme is left as it is.

Every partnership started five weeks ago and has no check-in yet, so the reminder sweep
that runs during the load has overdue check-ins to record and send.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from coordinators.group import make_coordinator
from goals import services as goal_services
from partnerships import services
from partnerships.models import Participant, Partnership, Programme

LOAD_PASSWORD = "mentorship-load-test"
LOAD_SLUG = "load-test"
PAIRS = 50


def load_emails(pairs: int = PAIRS) -> list[str]:
    """Every simulated partner's email: mentor then mentee of each partnership."""
    return [
        f"load-{role}-{n:03d}@example.org"
        for n in range(1, pairs + 1)
        for role in ("mentor", "mentee")
    ]


class Command(BaseCommand):
    help = "Create the load-test programme: 50 active partnerships, 100 partners."

    def add_arguments(self, parser):
        parser.add_argument("--pairs", type=int, default=PAIRS)

    def handle(self, *args, pairs: int, **options):
        if Programme.objects.filter(slug=LOAD_SLUG).exists():
            self.stdout.write("The load-test programme is already there.")
            return
        with transaction.atomic():
            seed_load(pairs=pairs)
        self.stdout.write(
            f"Created {pairs} partnerships ({2 * pairs} partners, "
            f"load-mentor-001@example.org …), password {LOAD_PASSWORD!r}."
        )


def seed_load(*, pairs: int = PAIRS) -> Programme:
    today = timezone.localdate()
    started = today - datetime.timedelta(weeks=5)
    # Hash once: the same (real-strength) hash for everyone, so seeding stays fast while
    # each login still pays the production hasher's full cost.
    password = make_password(LOAD_PASSWORD)
    User = get_user_model()
    coordinator = User.objects.create(
        email="load-coordinator@example.org", name="Lou Coordinator", password=password
    )
    programme = Programme.objects.create(
        name="Load test",
        slug=LOAD_SLUG,
        starts_on=started,
        ends_on=today + datetime.timedelta(weeks=20),
        checkin_cadence_days=14,
        deliver_any_hour=True,  # reminders are due at once, so the sweep has work to do
    )
    make_coordinator(coordinator, programme)
    emails = iter(load_emails(pairs))
    for n in range(1, pairs + 1):
        mentor_user = User.objects.create(
            email=next(emails), name=f"Mentor {n:03d}", password=password
        )
        mentee_user = User.objects.create(
            email=next(emails), name=f"Mentee {n:03d}", password=password
        )
        mentor = Participant.objects.create(
            programme=programme, user=mentor_user, role=Participant.Role.MENTOR, capacity=1
        )
        mentee = Participant.objects.create(
            programme=programme, user=mentee_user, role=Participant.Role.MENTEE
        )
        partnership = services.partnership_create(
            programme=programme, mentor=mentor, mentee=mentee, by=coordinator
        )
        agreement = services.agreement_propose(
            partnership=partnership,
            by=mentee_user,
            channels="Video call",
            response_time="Within two working days",
        )
        services.agreement_sign(agreement=agreement, by=mentee_user)
        services.agreement_sign(agreement=agreement, by=mentor_user)
        services.partnership_activate(partnership=partnership, by=coordinator)
        Partnership.objects.filter(pk=partnership.pk).update(
            started_on=started, next_checkin_due_on=started + datetime.timedelta(days=14)
        )
        for title in ("Lead a project end to end", "Give a talk at the guild"):
            goal_services.goal_create(
                partnership=partnership,
                by=mentee_user,
                title=title,
                target_date=today + datetime.timedelta(weeks=8),
            )
        goal_services.goal_create(
            partnership=partnership,
            by=mentor_user,
            title="Coach without giving answers",
            owner_role="mentor",
        )
    return programme
