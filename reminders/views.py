"""One-click unsubscribe (RFC 8058) and reminder preferences.

The unsubscribe URL carries a signed token (user and kind), so it works without logging
in. A GET only shows a confirmation page — mail scanners follow links — and a POST (the
mail client's one-click request, or the page's button) turns the kind off at once.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from partnerships.models.reminder import ReminderKind, ReminderOptOut
from reminders import preferences
from reminders.links import read_unsubscribe_token


def get_unsubscriber(token: str):
    """The person and kind a token names, or 404 for a forged or mangled token."""
    try:
        user_id, kind = read_unsubscribe_token(token)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Http404("This unsubscribe link is not valid.") from None
    if kind not in ReminderKind.values:
        raise Http404("This unsubscribe link is not valid.")
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise Http404("This unsubscribe link is not valid.")
    return user, ReminderKind(kind)


@csrf_exempt  # the signed token is the authority; mail clients POST without a CSRF token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        user, kind = get_unsubscriber(token)
    except Http404 as error:
        # Said plainly, with the other way to stop the emails: the generic "page not found"
        # leaves someone who only wants fewer emails with nowhere to go.
        context = {"message": str(error)}
        return render(request, "reminders/unsubscribe_invalid.html", context, status=404)
    context = {"person": user, "kind": kind, "token": token}
    if request.method == "GET":
        context["turned_off"] = ReminderOptOut.objects.filter(user=user, kind=kind).exists()
        return render(request, "reminders/unsubscribe.html", context)
    if request.POST.get("action") == "resubscribe":
        preferences.turn_on(user=user, kind=kind)
        return render(request, "reminders/unsubscribe.html", {**context, "turned_on": True})
    preferences.turn_off(user=user, kind=kind)
    return render(request, "reminders/unsubscribed.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reminder_preferences(request):
    user = request.user
    if request.method == "POST":
        wanted = set(request.POST.getlist("kinds"))
        preferences.set_kinds(user=user, on={k for k in ReminderKind.values if k in wanted})
        messages.success(request, "Your reminder preferences are saved.")
        return redirect("reminders:preferences")
    off = set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))
    kinds = [
        {"value": kind.value, "label": kind.label, "on": kind.value not in off}
        for kind in ReminderKind
        if kind != ReminderKind.COORDINATOR_DIGEST or user.coordinated_programmes.exists()
    ]
    return render(request, "reminders/preferences.html", {"kinds": kinds})
