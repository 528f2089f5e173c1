from django.apps import AppConfig


class BenchConfig(AppConfig):
    """`make bench`: the seed_scale command and the reference pages (only with MEASURING)."""

    name = "bench"
