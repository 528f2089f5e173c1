from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PartnershipsConfig(AppConfig):
    name = "partnerships"

    def ready(self):
        from partnerships import health_facts
        from partnerships.coordinators import ensure_coordinators_group

        post_migrate.connect(ensure_coordinators_group, sender=self)
        health_facts.connect()
