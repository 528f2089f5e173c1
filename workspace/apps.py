from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The partners' pages. No models: it reads and writes through partnerships and goals."""

    name = "workspace"
