"""Fill an empty PostgreSQL database with a programme office at real scale, fast (COPY).

Full size: 10,000 partnerships in 5 programmes (one of 4,000), 20,000 people,
50,000 goals, 200,000 check-ins, 200,000 goal revisions, 100,000 feedback rows, with a
few mentors of 10 partnerships and a few partnerships of 100 check-ins and 40 goals.
``--fraction 0.1`` makes a tenth of that, for measuring how cost grows with data.
"""

import datetime
import itertools
import json
import random
import time
import uuid

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from coordinators.group import make_coordinator
from partnerships.models import Partnership

PASSWORD = "mentorship-scale"
PROGRAMME_SHARES = (0.4, 0.15, 0.15, 0.15, 0.15)  # the first is the 4,000 programme
HEAVY = 3  # mentors with 10 partnerships; partnerships with 100 check-ins and 40 goals


class Table:
    """Rows for one model, written with COPY and ids assigned here."""

    def __init__(self, label: str, columns: list[str]):
        self.model = apps.get_model(label)
        self.columns = ["id", *columns]
        self.rows: list[tuple] = []

    def add(self, *values) -> int:
        row_id = len(self.rows) + 1
        self.rows.append((row_id, *values))
        return row_id

    def write(self, cursor) -> None:
        table = self.model._meta.db_table
        with cursor.copy(f"COPY {table} ({', '.join(self.columns)}) FROM STDIN") as copy:
            for row in self.rows:
                copy.write_row(row)
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s, true)",
            [max(len(self.rows), 1)],
        )


class Command(BaseCommand):
    help = "Fill an empty PostgreSQL database with data at scale, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--fraction", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=6)

    def handle(self, *args, fraction, seed, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale uses PostgreSQL's COPY; set DATABASE_URL.")
        User = apps.get_model("mentorship.User")
        if User.objects.exists():
            raise CommandError("seed_scale fills an empty database; this one has people.")
        started = time.monotonic()
        with transaction.atomic():
            counts = ScaleSeeder(fraction=fraction, rng=random.Random(seed)).run()
        for name, count in counts.items():
            self.stdout.write(f"{name:>16}: {count:>8,}")
        self.stdout.write(f"Seeded in {time.monotonic() - started:.1f}s.")
        self.stdout.write(f"Every person's password is {PASSWORD!r}.")


class ScaleSeeder:
    def __init__(self, *, fraction: float, rng: random.Random):
        self.fraction = fraction
        self.n_partnerships = round(10_000 * fraction)
        self.n_goals = round(50_000 * fraction)
        self.n_checkins = round(200_000 * fraction)
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.password = make_password(PASSWORD)

    def run(self) -> dict[str, int]:
        rng, now, today = self.rng, self.now, self.today
        users = Table(
            "mentorship.User",
            [
                "password",
                "is_superuser",
                "email",
                "name",
                "time_zone",
                "email_reminders",
                "is_staff",
                "is_active",
                "date_joined",
            ],
        )
        programmes = Table(
            "partnerships.Programme",
            [
                "name",
                "slug",
                "description",
                "starts_on",
                "ends_on",
                "checkin_cadence_days",
                "reminder_lead_days",
                "delivery_hour",
                "quiet_hours_start",
                "quiet_hours_end",
                "deliver_any_hour",
                "time_zone",
                "wrap_up_days",
                "health_grace_days",
                "retention_includes_shared",
                "created_at",
            ],
        )
        participants = Table(
            "partnerships.Participant",
            [
                "programme_id",
                "user_id",
                "role",
                "bio",
                "interests",
                "capacity",
                "joined_at",
                # The profile (migration 0012): empty, and its own code.
                "code",
                "offers",
                "wants",
                "languages",
                "meeting_format",
                "availability",
                "photo",
            ],
        )
        partnerships = Table(
            "partnerships.Partnership",
            [
                "code",
                "programme_id",
                "mentor_id",
                "mentee_id",
                "mentor_role",
                "mentee_role",
                "status",
                "started_on",
                "ended_on",
                "pause_reason",
                "pause_note",
                "pause_note_shared",
                "paused_by_id",
                "end_reason",
                "end_note",
                "end_note_shared",
                "ended_by_id",
                "checkin_cadence_days",
                "last_checkin_on",
                "next_checkin_due_on",
                "created_at",
                "updated_at",
            ],
        )
        agreements = Table(
            "partnerships.Agreement",
            [
                "partnership_id",
                "version",
                "checkin_cadence_days",
                "channels",
                "response_time",
                "confidentiality",
                "off_limits",
                "other_expectations",
                "proposed_by_id",
                "change_note",
                "created_at",
                "mentor_signed_at",
                "mentee_signed_at",
            ],
        )
        checkins = Table(
            "partnerships.CheckIn",
            [
                "code",
                "partnership_id",
                "held_on",
                "agenda",
                "started_by_id",
                "created_at",
                "updated_at",
            ],
        )
        feedback = Table(
            "partnerships.Feedback",
            ["checkin_id", "author_id", "recipient_id", "rating", "comment", "given_at"],
        )
        activities = Table(
            "partnerships.Activity", ["partnership_id", "actor_id", "verb", "summary", "created_at"]
        )
        goals = Table(
            "goals.Goal",
            [
                "code",
                "partnership_id",
                "owner_role",
                "title",
                "description",
                "success_measure",
                "target_date",
                "status",
                "proposed_by_id",
                "version",
                "created_at",
                "updated_at",
            ],
        )
        revisions = Table(
            "goals.GoalRevision",
            [
                "goal_id",
                "kind",
                "changes",
                "reason",
                "author_id",
                "checkin_id",
                "goal_version",
                "created_at",
            ],
        )

        def person(name: str, email: str) -> int:
            zone = rng.choice(["Europe/London", "America/New_York", "Australia/Sydney", "UTC"])
            return users.add(self.password, False, email, name, zone, True, False, True, now)

        # Programmes, each with a coordinator.
        sizes = [round(self.n_partnerships * share) for share in PROGRAMME_SHARES]
        sizes[0] += self.n_partnerships - sum(sizes)
        programme_ids, coordinator_ids = [], []
        for n, size in enumerate(sizes, 1):
            programme_ids.append(
                programmes.add(
                    f"Scale programme {n} ({size:,} partnerships)",
                    f"scale-{n}",
                    "",
                    today - datetime.timedelta(days=400),
                    today + datetime.timedelta(days=200),
                    14,
                    2,
                    9,
                    21,
                    8,
                    False,
                    "UTC",
                    14,
                    7,
                    False,
                    now,
                )
            )
            coordinator_ids.append(person(f"Coordinator {n}", f"coordinator{n}@scale.example"))

        # People and pairs: a few mentors take 10 mentees each, the rest one.
        def participant(*values):
            return participants.add(*values, uuid.uuid4(), "", "", "", "", "", "")

        pairs = []  # (programme, mentor participant, mentor user, mentee participant, mentee user)
        serial = itertools.count(1)
        for programme_id, size in zip(programme_ids, sizes, strict=True):
            remaining = size
            while remaining:
                take = 10 if len(pairs) < HEAVY * 10 and remaining >= 10 else 1
                i = next(serial)
                mentor_user = person(f"Mentor {i}", f"mentor{i}@scale.example")
                mentor = participant(
                    programme_id, mentor_user, "mentor", "", "leadership, python", max(take, 2), now
                )
                for _ in range(take):
                    j = next(serial)
                    mentee_user = person(f"Mentee {j}", f"mentee{j}@scale.example")
                    mentee = participant(
                        programme_id, mentee_user, "mentee", "", "leadership", 1, now
                    )
                    pairs.append((programme_id, mentor, mentor_user, mentee, mentee_user))
                remaining -= take

        # Statuses first, so that check-ins are spread over partnerships that have met.
        heavy = min(HEAVY, len(pairs))
        mix = ["active"] * 80 + ["paused"] * 7 + ["completed"] * 6 + ["ended_early"] * 4
        mix += ["proposed"] * 3
        status_of = ["active"] * heavy + [rng.choice(mix) for _ in pairs[heavy:]]
        met = [i for i, status in enumerate(status_of) if status != "proposed"]
        checkin_plan = dict(
            zip(met, self._spread(self.n_checkins, len(met), heavy, 100), strict=True)
        )
        goal_plan = self._spread(self.n_goals, len(pairs), heavy, 40)

        # People who are not matched yet, up to 20,000 in all (at full size).
        for k in range(max(round(20_000 * self.fraction) - len(users.rows), 0)):
            waiting = person(f"Waiting mentee {k}", f"waiting{k}@scale.example")
            participant(
                programme_ids[k % len(programme_ids)], waiting, "mentee", "", "leadership", 1, now
            )

        pause_reasons, end_reasons = Partnership.PauseReason.values, Partnership.EndReason.values
        for index, (programme_id, mentor, mentor_user, mentee, mentee_user) in enumerate(pairs):
            status = status_of[index]
            n_checkins = checkin_plan.get(index, 0)
            gap = 3 if n_checkins > 40 else 14
            last = today - datetime.timedelta(days=rng.randint(0, 30))
            started = last - datetime.timedelta(days=gap * n_checkins + 7)
            cadence = 14
            due = last + datetime.timedelta(days=cadence) if status == "active" else None
            ended = last if status in ("completed", "ended_early") else None
            pid = partnerships.add(
                uuid.uuid4(),
                programme_id,
                mentor,
                mentee,
                "mentor",
                "mentee",
                status,
                None if status == "proposed" else started,
                ended,
                # A category for each pause and early end (by index: the random sequence
                # of everything else stays as it was); no notes, which are the partners'.
                pause_reasons[index % len(pause_reasons)] if status == "paused" else "",
                "",
                False,
                mentee_user if status == "paused" else None,
                end_reasons[index % len(end_reasons)] if status == "ended_early" else "",
                "",
                False,
                mentee_user if status == "ended_early" else None,
                cadence,
                last if n_checkins else None,
                due,
                now,
                now,
            )
            signed = None if status == "proposed" else now
            agreements.add(
                pid,
                1,
                cadence,
                "Video call",
                "Two working days",
                "Between us.",
                "",
                "",
                mentee_user,
                "",
                now,
                signed,
                now,
            )

            checkin_ids = []
            for k in range(n_checkins):
                held = last - datetime.timedelta(days=gap * k)
                starter = mentee_user if k % 2 else mentor_user
                at = timezone.make_aware(datetime.datetime.combine(held, datetime.time(12)))
                cid = checkins.add(uuid.uuid4(), pid, held, "Goals and blockers", starter, at, at)
                checkin_ids.append(cid)
                if k % 2 == 0:
                    author, recipient = (
                        (mentee_user, mentor_user) if k % 4 else (mentor_user, mentee_user)
                    )
                    feedback.add(cid, author, recipient, rng.choice([2, 3, 4, 4, 5, 5]), "", at)
                activities.add(
                    pid, starter, "checkin_logged", f"logged the check-in of {held:%-d %b %Y}", at
                )

            for g in range(goal_plan[index]):
                owner_role = "mentor" if g % 5 == 4 else "mentee"
                goal_status = rng.choice(["active", "active", "active", "achieved", "dropped"])
                version = 4
                gid = goals.add(
                    uuid.uuid4(),
                    pid,
                    owner_role,
                    f"Goal {g + 1} of partnership {pid}",
                    "",
                    "",
                    started + datetime.timedelta(days=90),
                    goal_status,
                    mentee_user if owner_role == "mentee" else mentor_user,
                    version,
                    now,
                    now,
                )
                author = mentee_user if owner_role == "mentee" else mentor_user
                revisions.add(
                    gid, "created", json.dumps({"title": [None, "Goal"]}), "", author, None, 1, now
                )
                for v in range(2, version + 1):
                    checkin_id = checkin_ids[v] if v < len(checkin_ids) else None
                    revisions.add(
                        gid,
                        "revised",
                        json.dumps({"target_date": ["2026-01-01", "2026-02-01"]}),
                        "Adjusting",
                        author,
                        checkin_id,
                        v,
                        now,
                    )

        with connection.cursor() as cursor:
            for table in (
                users,
                programmes,
                participants,
                partnerships,
                agreements,
                checkins,
                feedback,
                activities,
                goals,
                revisions,
            ):
                table.write(cursor)
        for coordinator_id, programme_id in zip(coordinator_ids, programme_ids, strict=True):
            Programme = apps.get_model("partnerships.Programme")
            User = apps.get_model("mentorship.User")
            make_coordinator(
                User.objects.get(pk=coordinator_id), Programme.objects.get(pk=programme_id)
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return {
            "people": len(users.rows),
            "programmes": len(programmes.rows),
            "partnerships": len(partnerships.rows),
            "goals": len(goals.rows),
            "check-ins": len(checkins.rows),
            "goal revisions": len(revisions.rows),
            "feedback": len(feedback.rows),
            "activities": len(activities.rows),
        }

    @staticmethod
    def _spread(total: int, buckets: int, heavy: int, per_heavy: int) -> list[int]:
        """Give the first `heavy` buckets `per_heavy` each and share the rest evenly."""
        plan = [per_heavy] * heavy
        rest, others = total - per_heavy * heavy, buckets - heavy
        if others > 0:
            base, extra = divmod(max(rest, 0), others)
            plan += [base + (1 if i < extra else 0) for i in range(others)]
        return plan[:buckets]
