from django.apps import AppConfig


class LoadConfig(AppConfig):
    """`make load`: the seed_load command (only with MEASURING)."""

    name = "load"
