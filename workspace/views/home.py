from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from workspace.dashboard import Dashboard


@login_required
def home(request):
    """The dashboard: every partnership, what waits for this person, recent activity."""
    return render(request, "home.html", {"dash": Dashboard(request.user)})
