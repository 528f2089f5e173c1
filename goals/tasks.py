from celery import shared_task

from goals import health_facts
from goals.retention import retention_apply_due
from partnerships.services.programme_life import programmes_close_due


@shared_task(name="partnerships.tasks.refresh_health_facts")
def refresh_health_facts() -> None:
    """Run by beat nightly: rebuilds the dashboard's stored facts from scratch."""
    health_facts.refresh_all()


@shared_task(name="partnerships.tasks.close_programmes")
def close_programmes() -> dict:
    """Run by beat every quarter of an hour: acts on every end date that has passed
    (open partnerships complete). Safe in several workers at once, and idempotent."""
    closed = programmes_close_due()
    return {str(pk): n for pk, n in closed.items() if n}


@shared_task(name="partnerships.tasks.apply_retention")
def apply_retention() -> dict:
    """Run by beat every quarter of an hour: carries out each programme's retention
    setting on its day. Safe in several workers at once; runs once per programme."""
    runs = retention_apply_due()
    return {str(pk): run.private_reflections + run.shared_reflections for pk, run in runs.items()}
