import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mentorship.accounts.two_factor import has_app
from mentorship.forms import ProfileForm
from mentorship.models import time_zone_choices
from mentorship.services_check import database_error, redis_error
from partnerships.access import get_partnership_for
from partnerships.dashboard import Dashboard
from partnerships.views.workspace import workspace


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
        {"form": form, "time_zones": time_zone_choices(), "two_factor_on": has_app(request.user)},
        status=422 if form.errors else 200,
    )


@login_required
def bench_baseline(request):
    """Django's ceiling for `make bench`: login, middleware and the base template, no data."""
    return render(request, "bench_baseline.html")


@login_required
def bench_page_cache(request, code):
    """A second reference for `make bench`: the workspace as a full-page cache would serve it.

    The membership check still runs; the page itself is rendered once and then read from
    the cache, with this response's CSRF token and CSP nonce put in. It shows how fast a
    partner page could be with no rendering at all, so the benchmark can tell what caching
    would buy.
    """
    partnership = get_partnership_for(request.user, code)
    key = f"bench:page-cache:{partnership.pk}:{request.user.pk}"
    cached = cache.get(key)
    if cached is None:
        html = workspace(request, code).content.decode()
        # Each get_token() masks the secret afresh: take the one the page was rendered with.
        token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
        cached = (html, token, str(get_nonce(request)))
        cache.set(key, cached, timeout=600)
    html, token, nonce = cached
    html = html.replace(token, get_token(request)).replace(nonce, str(get_nonce(request)))
    return HttpResponse(html)


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
