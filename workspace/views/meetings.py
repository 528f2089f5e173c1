"""The next meeting and its agenda, on the workspace: propose, accept, move, cancel; add,
accept, order and remove agenda items. And each person's private calendar feed.

The services decide who may do what (403 for a partner whose role does not allow it, 404
for anyone outside the partnership); every action works as a plain POST and, with htmx,
swaps the meeting section and what waits for whom.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from partnerships.access import get_agenda_item_for, get_meeting_for, get_partnership_for
from partnerships.calendar import calendar_of, meeting_event
from partnerships.services import agenda as agenda_services
from partnerships.services import calendar_feeds
from partnerships.services import meetings as meeting_services
from workspace.forms.meetings import AgendaItemForm, MeetingCancelForm, MeetingForm
from workspace.page import Workspace
from workspace.views.common import action_done, action_failed, add_service_error

SECTIONS = ("meeting", "attention", "header")


def _when(meeting, user) -> str:
    start = meeting.start_for(user)
    return f"{start:%A %-d %B, %H:%M}"


def _failed(request, partnership, **context):
    ws = Workspace(partnership=partnership, user=request.user)
    return action_failed(request, ws, section="meeting", **context)


@login_required
@require_POST
def meeting_propose(request, code):
    partnership = get_partnership_for(request.user, code)
    form = MeetingForm(request.POST, user=request.user, prefix="meeting")
    if form.is_valid():
        try:
            meeting = meeting_services.meeting_propose(
                partnership=partnership, by=request.user, **form.arguments()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            partner = partnership.partner_of(request.user).get_short_name()
            return action_done(
                request,
                partnership,
                sections=SECTIONS,
                notice=f"You proposed {_when(meeting, request.user)}. {partner} accepts it or "
                "suggests another time; you both have the invitation by email.",
            )
    return _failed(request, partnership, meeting_form=form)


@login_required
@require_POST
def meeting_move(request, code):
    meeting = get_meeting_for(request.user, code)
    partnership = meeting.partnership
    form = MeetingForm(request.POST, user=request.user, prefix="meeting")
    if form.is_valid():
        try:
            meeting_services.meeting_move(meeting=meeting, by=request.user, **form.arguments())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            partner = partnership.partner_of(request.user).get_short_name()
            return action_done(
                request,
                partnership,
                sections=SECTIONS,
                notice=f"You suggested {_when(meeting, request.user)}. {partner} accepts it or "
                "suggests another time; both calendars show the change.",
            )
    return _failed(request, partnership, meeting_form=form, meeting_form_open=True)


@login_required
@require_POST
def meeting_accept(request, code):
    meeting = get_meeting_for(request.user, code)
    try:
        meeting_services.meeting_accept(meeting=meeting, by=request.user)
    except ValidationError as error:
        return _failed(request, meeting.partnership, meeting_error=error.messages)
    return action_done(
        request,
        meeting.partnership,
        sections=SECTIONS,
        notice=f"Scheduled: {_when(meeting, request.user)}. It is in both your calendars.",
    )


@login_required
@require_POST
def meeting_cancel(request, code):
    meeting = get_meeting_for(request.user, code)
    form = MeetingCancelForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            meeting_services.meeting_cancel(
                meeting=meeting, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return action_done(
                request,
                meeting.partnership,
                sections=SECTIONS,
                notice="The meeting is cancelled and leaves both calendars. "
                "Propose another when you are ready.",
            )
    return _failed(request, meeting.partnership, cancel_form=form)


# --- the agenda ----------------------------------------------------------------------


@login_required
@require_POST
def agenda_add(request, code):
    partnership = get_partnership_for(request.user, code)
    form = AgendaItemForm(request.POST, prefix="agenda")
    if form.is_valid():
        try:
            item = agenda_services.agenda_item_add(
                partnership=partnership, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            mentee = partnership.mentee.user.get_short_name()
            notice = (
                "Added to the agenda."
                if item.status == item.Status.ON_AGENDA
                else f"Suggested. {mentee} decides whether it goes on the agenda."
            )
            return action_done(request, partnership, sections=SECTIONS, notice=notice)
    return _failed(request, partnership, agenda_form=form)


def _item_action(request, code, action, notice: str, **arguments):
    item = get_agenda_item_for(request.user, code)
    try:
        action(item=item, by=request.user, **arguments)
    except ValidationError as error:
        return _failed(request, item.partnership, meeting_error=error.messages)
    return action_done(request, item.partnership, sections=SECTIONS, notice=notice)


@login_required
@require_POST
def agenda_accept(request, code):
    return _item_action(request, code, agenda_services.agenda_item_accept, "On the agenda.")


@login_required
@require_POST
def agenda_remove(request, code):
    return _item_action(request, code, agenda_services.agenda_item_remove, "Taken off.")


@login_required
@require_POST
def agenda_move(request, code, direction):
    if direction not in ("up", "down"):
        raise Http404
    return _item_action(
        request,
        code,
        agenda_services.agenda_item_move,
        f"Moved {direction}.",
        up=direction == "up",
    )


# --- the calendar feed ---------------------------------------------------------------


@login_required
@require_POST
def calendar_feed_make(request):
    """A new private feed address, shown once (only its hash is kept)."""
    token = calendar_feeds.calendar_feed_make(user=request.user)
    url = request.build_absolute_uri(reverse("calendar_feed", args=[token]))
    response = render(request, "partnerships/calendar_feed.html", {"feed_url": url})
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_POST
def calendar_feed_stop(request):
    if calendar_feeds.calendar_feed_stop(user=request.user):
        messages.success(request, "Your calendar feed is off: its address no longer works.")
    return redirect(reverse("profile") + "#calendar-feed")


@never_cache
@require_GET
def calendar_feed(request, token):
    """The person's meetings as text/calendar, for calendar apps that subscribe. No login:
    the long random address is the key. Unknown, replaced or turned-off addresses: 404."""
    user = calendar_feeds.calendar_feed_owner(token)
    if user is None:
        raise Http404
    events = [
        meeting_event(
            meeting,
            partnership=meeting.partnership,
            for_user=user,
            url=request.build_absolute_uri(
                reverse("partnerships:workspace", args=[meeting.partnership.code]) + "#meeting"
            ),
        )
        for meeting in calendar_feeds.feed_meetings(user)
    ]
    response = HttpResponse(
        calendar_of(events, method=None), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="mentoring.ics"'
    return response
