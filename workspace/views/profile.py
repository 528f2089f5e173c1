from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from mentorship.accounts.two_factor import has_app
from mentorship.models import time_zone_choices
from partnerships.models import Participant
from workspace.forms.profile import ProfileForm


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
        {
            "form": form,
            "time_zones": time_zone_choices(),
            "two_factor_on": has_app(request.user),
            # One profile per programme, each edited on its own page (workspace.views.people).
            "participations": Participant.objects.filter(user=request.user).select_related(
                "programme"
            ),
        },
        status=422 if form.errors else 200,
    )
