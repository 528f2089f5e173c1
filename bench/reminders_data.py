"""Shared by the reminder benchmarks: Django set-up on a database of their own, and a
programme of active partnerships of which a given number are three days overdue.

Import ``setup`` first; the rest needs Django ready.
"""

import datetime
import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MENTOR_CAPACITY = 10
CHUNK = 5_000


def setup(database_url: str | None) -> None:
    """Point Django at ``database_url`` (default: $DATABASE_URL), create it if missing
    and migrate it, so each benchmark runs on a fresh clone with one command."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("check_services", create_database=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("migrate", interactive=False, verbosity=0)


def programme_of(slug: str, size: int, today: datetime.date):
    """The benchmark programme ``slug`` with ``size`` active partnerships, built once."""
    from partnerships.models import Partnership, Programme

    programme = Programme.objects.filter(slug=slug).first()
    if programme is None:
        return build(slug, size, today)
    if Partnership.objects.filter(programme=programme).count() != size:
        sys.exit(f"Programme {slug!r} has another size; drop the benchmark database first.")
    return programme


def build(slug: str, size: int, today: datetime.date):
    """``size`` active partnerships, mentors with ten mentees each, everyone in UTC."""
    from django.contrib.auth import get_user_model

    from partnerships.models import Participant, Partnership, Programme

    User = get_user_model()
    programme = Programme.objects.create(
        name=f"Benchmark {slug}",
        slug=slug,
        starts_on=today - datetime.timedelta(days=365),
        ends_on=today + datetime.timedelta(days=365),
        deliver_any_hour=True,
    )
    print(f"building {size:,} partnerships (once; kept for the next run)...", flush=True)
    mentors_needed = -(-size // MENTOR_CAPACITY)
    User.objects.bulk_create(
        [
            User(email=f"{slug}-mentor-{n}@example.org", name=f"Mentor {n}", password="!")
            for n in range(mentors_needed)
        ]
        + [
            User(email=f"{slug}-mentee-{n}@example.org", name=f"Mentee {n}", password="!")
            for n in range(size)
        ],
        batch_size=CHUNK,
    )
    users = list(
        User.objects.filter(email__startswith=f"{slug}-").order_by("pk").values_list("pk", "email")
    )
    mentor_ids = [pk for pk, email in users if email.startswith(f"{slug}-mentor-")]
    mentee_ids = [pk for pk, email in users if email.startswith(f"{slug}-mentee-")]
    Participant.objects.bulk_create(
        [
            Participant(programme=programme, user_id=u, role="mentor", capacity=MENTOR_CAPACITY)
            for u in mentor_ids
        ]
        + [Participant(programme=programme, user_id=u, role="mentee") for u in mentee_ids],
        batch_size=CHUNK,
    )
    ids = dict(Participant.objects.filter(programme=programme).values_list("user_id", "pk"))
    Partnership.objects.bulk_create(
        [
            Partnership(
                programme=programme,
                mentor_id=ids[mentor_ids[n // MENTOR_CAPACITY]],
                mentee_id=ids[mentee],
                status="active",
                started_on=today - datetime.timedelta(days=60),
                checkin_cadence_days=14,
            )
            for n, mentee in enumerate(mentee_ids)
        ],
        batch_size=CHUNK,
    )
    return programme


def make_current(programme, today: datetime.date, *, every: int) -> int:
    """A fresh copy of the same picture: every ``every``-th partnership (by id) three days
    overdue, the rest due 20 to 200 days from now, no reminders at all. Returns how many
    are overdue (each gives two reminders today: one per partner)."""
    from django.db import connection

    from partnerships.models import Partnership, Reminder

    Reminder.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE partnerships_partnership SET next_checkin_due_on = CASE"
            " WHEN (id - %s) %% %s = 0 THEN %s::date - 3"
            " ELSE %s::date + (20 + id %% 180)::integer END WHERE programme_id = %s",
            [programme_first_id(programme), every, today, today, programme.pk],
        )
        # No dead rows or stale statistics left over from the previous measurement.
        cursor.execute("VACUUM ANALYZE partnerships_reminder")
        cursor.execute("VACUUM ANALYZE partnerships_partnership")
        cursor.execute("ANALYZE partnerships_participant")
        cursor.execute("ANALYZE mentorship_user")
    return Partnership.objects.filter(programme=programme, next_checkin_due_on__lt=today).count()


def programme_first_id(programme) -> int:
    from partnerships.models import Partnership

    return Partnership.objects.filter(programme=programme).order_by("pk").first().pk


def median(values):
    return statistics.median(values)


def write_json(path: str | None, document: dict) -> None:
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(document, indent=2) + "\n")
