"""One-click unsubscribe (RFC 8058) and reminder preferences.

The unsubscribe URL carries a signed token (user and kind), so it works without logging
in. A GET only shows a confirmation page — mail scanners follow links — and a POST (the
mail client's one-click request, or the page's button) turns the kind off at once.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from partnerships.models.reminder import ReminderKind, ReminderOptOut
from partnerships.services.notifications import email_choices_of, notification_preferences_set
from reminders import preferences
from reminders.forms import NotificationEmailForm
from reminders.links import read_unsubscribe_token


def get_unsubscriber(token: str):
    """The person and stream (a reminder kind, a kind of notification, or the daily
    summary) a token names, or 404 for a forged or mangled token."""
    try:
        user_id, value = read_unsubscribe_token(token)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Http404("This unsubscribe link is not valid.") from None
    kind = preferences.stream_of(value)
    if kind is None:
        raise Http404("This unsubscribe link is not valid.")
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise Http404("This unsubscribe link is not valid.")
    return user, kind


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
        context["turned_off"] = preferences.is_off(user=user, kind=kind.value)
        return render(request, "reminders/unsubscribe.html", context)
    if request.POST.get("action") == "resubscribe" and kind.can_turn_back_on:
        preferences.turn_on(user=user, kind=kind.value)
        return render(request, "reminders/unsubscribe.html", {**context, "turned_on": True})
    preferences.turn_off(user=user, kind=kind.value)
    return render(request, "reminders/unsubscribed.html", context)


def _reminder_kinds(user) -> list[dict]:
    off = set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return [
        {"value": kind.value, "label": kind.label, "on": kind.value not in off}
        for kind in preferences.reminder_kinds()
        if kind != ReminderKind.COORDINATOR_DIGEST or user.coordinated_programmes.exists()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def reminder_preferences(request):
    """One page for every email: reminders on or off, each kind of notification at once,
    in a daily summary, or not by email (in the app they always arrive)."""
    user = request.user
    form = NotificationEmailForm(
        request.POST if request.method == "POST" else None,
        initial=email_choices_of(user),
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            wanted = set(request.POST.getlist("kinds"))
            preferences.set_kinds(user=user, on={k for k in ReminderKind.values if k in wanted})
            notification_preferences_set(user=user, choices=form.choices())
        messages.success(request, "Your email preferences are saved.")
        return redirect("reminders:preferences")
    return render(
        request,
        "reminders/preferences.html",
        {"kinds": _reminder_kinds(user), "form": form},
        status=422 if form.errors else 200,
    )
