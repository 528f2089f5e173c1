from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from mentorship.services_check import database_error, redis_error
from partnerships.models import Partnership


@login_required
def home(request):
    partnerships = Partnership.objects.for_user(request.user).with_people().order_by("-started_on")
    return render(request, "home.html", {"partnerships": partnerships})


@login_required
def bench_baseline(request):
    """Django's ceiling for `make bench`: login, middleware and the base template, no data."""
    return render(request, "bench_baseline.html")


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
