from django.core.management.base import BaseCommand

from goals.health_facts import refresh_all


class Command(BaseCommand):
    help = (
        "Rebuild the dashboard's stored health facts and weekly check-in counts from the "
        "source rows (beat does this nightly; run it after changing data with bulk SQL)."
    )

    def handle(self, *args, **options):
        refresh_all()
        self.stdout.write("Health facts rebuilt.")
