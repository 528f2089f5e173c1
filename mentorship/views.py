from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

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
    """Liveness for load balancers and docker-compose: is the database answering?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception as error:  # any failure means "not healthy", reported not raised
        database = f"error: {error.__class__.__name__}"
    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database}, status=status)
