"""Run one reminder sweep now, in this process, and say what it did."""

from django.core.management.base import BaseCommand

from reminders.send import deliver
from reminders.sweep import sweep
from reminders.tasks import queue_sends


class Command(BaseCommand):
    help = (
        "Record every reminder that is due, then send those whose moment has come "
        "(here, in this process; --queue hands them to the Celery workers instead)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", action="store_true", help="Queue the sends for the Celery workers."
        )

    def handle(self, *args, queue: bool = False, **options):
        ready: list[int] = []
        result = sweep(dispatch=queue_sends if queue else ready.extend)
        created = ", ".join(f"{kind} {n}" for kind, n in sorted(result.created.items()))
        self.stdout.write(
            f"Created {result.created_total} reminder(s){f': {created}' if created else ''}."
        )
        if result.reclaimed or result.failed_lost:
            self.stdout.write(
                f"Reclaimed {result.reclaimed} with an expired lease; "
                f"failed {result.failed_lost} that lost their worker too often."
            )
        if queue:
            self.stdout.write(f"Queued {len(result.queued)} for the workers.")
            return
        outcomes: dict[str, int] = {}
        for reminder_id in ready:
            outcome = str(deliver(reminder_id))
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        summary = ", ".join(f"{name} {n}" for name, n in sorted(outcomes.items()))
        detail = f" ({summary})" if summary else ""
        self.stdout.write(f"Sent {outcomes.get('sent', 0)} of {len(ready)} ready{detail}.")
