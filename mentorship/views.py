from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from mentorship.services_check import database_error, redis_error


@never_cache
def healthz(request):
    """For load balancers and docker-compose: are PostgreSQL and Redis answering?

    Says which part failed, never how (no error text reaches the outside).
    """
    report = {
        "database": "ok" if database_error() is None else "unavailable",
        "redis": (
            "not configured"
            if not settings.REDIS_URL
            else ("ok" if redis_error() is None else "unavailable")
        ),
    }
    healthy = "unavailable" not in report.values()
    return JsonResponse(report, status=200 if healthy else 503)
