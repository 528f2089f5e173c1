from celery import shared_task

from goals import health_facts


@shared_task(name="partnerships.tasks.refresh_health_facts")
def refresh_health_facts() -> None:
    """Run by beat nightly: rebuilds the dashboard's stored facts from scratch."""
    health_facts.refresh_all()
