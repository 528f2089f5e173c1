from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mentorship.forms import ProfileForm
from mentorship.models import time_zone_choices
from partnerships.dashboard import Dashboard


@login_required
def home(request):
    """The dashboard: every partnership, what waits for this person, recent activity."""
    return render(request, "home.html", {"dash": Dashboard(request.user)})


@require_http_methods(["GET", "POST"])
@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
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
