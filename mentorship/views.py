from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mentorship.forms import ProfileForm
from mentorship.models import time_zone_choices
from mentorship.services_check import database_error, redis_error
from partnerships.dashboard import Dashboard


@login_required
def home(request):
    """The dashboard: every partnership, what waits for this person, recent activity."""
    return render(request, "home.html", {"dash": Dashboard(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("profile")
    return render(
        request,
        "registration/profile.html",
        {"form": form, "time_zones": time_zone_choices()},
        status=422 if form.errors else 200,
    )


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
