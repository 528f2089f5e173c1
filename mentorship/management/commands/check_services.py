from django.core.management.base import BaseCommand, CommandError

from mentorship.services_check import create_database_if_missing, unreachable_services


class Command(BaseCommand):
    help = "Check that the configured database and Redis answer; explain how to start them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--create-database",
            action="store_true",
            help="Create the PostgreSQL database if the server is up but it does not exist.",
        )

    def handle(self, *args, **options):
        if options["create_database"] and create_database_if_missing():
            self.stdout.write("Created the database.")
        problems = unreachable_services()
        if problems:
            raise CommandError("\n\n".join(problems))
        self.stdout.write("Database and Redis are reachable.")
