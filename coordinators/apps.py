from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoordinatorsConfig(AppConfig):
    """The admin site and the coordinators' pages. No models of its own."""

    name = "coordinators"

    def ready(self):
        from coordinators.group import ensure_coordinators_group  # noqa: PLC0415 (needs the models loaded)

        # After every migrate, so that the Coordinators group always matches the code.
        post_migrate.connect(ensure_coordinators_group, dispatch_uid="coordinators_group")
