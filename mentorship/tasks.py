import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task
def heartbeat() -> str:
    """Logs that beat and a worker are alive; the beat schedule's canary."""
    now = timezone.now().isoformat()
    logger.info("heartbeat %s", now)
    return now
