"""A person's notifications: the list (seen means read), the bell's count for htmx, and
marking everything read. Each person sees only their own: there is nothing to look up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from partnerships.models import Notification
from partnerships.services.notifications import notifications_mark_read
from workspace.navigation import navigation_for

PER_PAGE = 30


@login_required
@require_GET
def notifications_list(request):
    """Newest first; the ones shown are marked read once the page is built, so they are
    still marked new on it this time."""
    notifications = Notification.objects.filter(recipient=request.user).select_related(
        "actor", "programme"
    )
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    unread = [n.code for n in shown if not n.is_read]
    if unread:
        notifications_mark_read(user=request.user, codes=unread)
    return render(request, "notifications/list.html", {"page": page, "notifications": shown})


@login_required
@require_GET
def notifications_count(request):
    """The bell's badge alone, for htmx to refresh it every minute."""
    return render(
        request,
        "notifications/_bell.html",
        {"nav": navigation_for(request.user)},
    )


@login_required
@require_POST
def notifications_read_all(request):
    count = notifications_mark_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' * (count != 1)} read.")
    return redirect("notifications:list")
