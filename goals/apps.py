from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "goals"

    def ready(self):
        from goals import health_facts  # needs the models loaded

        health_facts.connect()
