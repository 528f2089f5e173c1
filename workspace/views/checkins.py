"""Logging a check-in, each partner adding their part, and feedback between partners."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goals.checkin_parts import checkin_contribute, checkin_log
from partnerships import services
from partnerships.access import get_checkin_for, get_partnership_for
from workspace.forms.checkins import CheckInPartForms
from workspace.forms.partnership import FeedbackForm
from workspace.page import Workspace, checkins_for
from workspace.views.common import (
    action_done,
    add_service_error,
    checkin_forms,
    partnership_url,
    refreshed,
    render_sections,
    workspace_context,
)

CHECKIN_PAGE = "partnerships/checkin.html"
HISTORY_PAGE_SIZE = 20


def _read_only(partnership) -> str:
    return f"This partnership is {partnership.get_status_display().lower()}, so it is read-only."


def _checkin_anchor(checkin) -> str:
    return f"checkin-{checkin.code}"


@login_required
@require_http_methods(["GET", "POST"])
def checkin_new(request, code):
    """Log a check-in: its date, the mentee's agenda, and the logger's part."""
    partnership = get_partnership_for(request.user, code)
    ws = Workspace(partnership=partnership, user=request.user)
    # "Log this check-in" from a meeting: its day, and its agenda to mark item by item.
    meeting = _meeting_to_log(ws, request.GET.get("meeting"))
    forms = CheckInPartForms(request.POST or None, workspace=ws, meeting=meeting)
    if request.method == "POST":
        if not ws.workable:
            forms.non_field_errors.append(_read_only(partnership))
        elif forms.is_valid():
            try:
                checkin = checkin_log(
                    partnership=partnership,
                    by=request.user,
                    held_on=forms.held_on,
                    part=forms.part(),
                )
            except ValidationError as error:
                forms.add_error(error)
            else:
                partner = partnership.partner_of(request.user).get_short_name()
                return action_done(
                    request,
                    partnership,
                    sections=("checkins", "header", "goals", "attention"),
                    notice=f"Check-in of {checkin.held_on:%-d %B} logged. "
                    f"{partner} can now add their part.",
                    anchor=_checkin_anchor(checkin),
                )
        if request.htmx:
            context = workspace_context(request, ws, new_checkin=forms)
            return render_sections(request, context, ("checkins",))
        status = 422
    else:
        status = 200
    return render(
        request,
        "partnerships/checkin_new.html",
        {"ws": ws, "new_checkin": forms, "meeting": meeting},
        status=status,
    )


def _meeting_to_log(ws, code):
    """The partnership's scheduled meeting named in the address, or None (any other code,
    or none: the form is the plain one)."""
    meeting = ws.meeting
    if not code or meeting is None or str(meeting.code) != code:
        return None
    return meeting if meeting.status == meeting.Status.SCHEDULED else None


def _checkin_in_workspace(request, checkin):
    ws = Workspace(partnership=checkin.partnership, user=request.user)
    return ws, ws.checkin(checkin.pk)


@login_required
@require_GET
def checkin_history(request, code):
    """Every check-in of the partnership, newest first, a page at a time."""
    partnership = get_partnership_for(request.user, code)
    ws = Workspace(partnership=partnership, user=request.user)
    page = Paginator(checkins_for(partnership, request.user), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "partnerships/checkin_history.html",
        {"ws": ws, "partnership": partnership, "page": page, "checkins": ws.load_checkins(page)},
    )


@login_required
@require_GET
def checkin_detail(request, code):
    """A check-in's own page; to htmx (an older check-in opened on the workspace), the
    check-in alone, read-only, in the workspace's reader."""
    checkin = get_checkin_for(request.user, code)
    ws, current = _checkin_in_workspace(request, checkin)
    if request.htmx:
        current.part_forms = current.feedback_form = None
        return render(
            request,
            f"{CHECKIN_PAGE}#reader",
            {"ws": ws, "checkin": current, "partnership": ws.partnership, "in_reader": True},
        )
    checkin_forms(ws, current)
    return render(request, CHECKIN_PAGE, {"ws": ws, "checkin": current, "on_checkin_page": True})


def _checkin_done(request, checkin, notice: str):
    """The refreshed check-in (plus goals and to-dos when in the workspace), or a redirect."""
    on_page = request.POST.get("page") == "checkin"
    if request.htmx:
        ws = Workspace(partnership=refreshed(checkin.partnership), user=request.user)
        # ws.checkin, not the latest ten: a check-in's own page may be an older one.
        current = ws.checkin(checkin.pk)
        if on_page:
            context = {"ws": ws, "partnership": ws.partnership, "on_checkin_page": True, "level": 2}
            sections = ("checkin",)
        else:
            context = workspace_context(request, ws)
            sections = ("checkin", "goals", "attention")
        checkin_forms(ws, current)
        context.update(checkin=current, notice=notice, notice_for="checkin")
        return render_sections(request, context, sections)
    messages.success(request, notice)
    if on_page:
        return redirect("partnerships:checkin", code=checkin.code)
    return redirect(f"{partnership_url(checkin.partnership)}#{_checkin_anchor(checkin)}")


def _checkin_failed(request, ws, current):
    on_page = request.POST.get("page") == "checkin"
    context = {
        "ws": ws,
        "partnership": ws.partnership,
        "checkin": current,
        "on_checkin_page": on_page,
        "level": 2 if on_page else 3,
    }
    if request.htmx:
        return render_sections(request, context, ("checkin",))
    context["on_checkin_page"] = True
    return render(request, CHECKIN_PAGE, context, status=422)


@login_required
@require_POST
def checkin_contribute_view(request, code):
    """The other partner (or the same one, later) adds their part to a check-in."""
    checkin = get_checkin_for(request.user, code)
    ws, current = _checkin_in_workspace(request, checkin)
    checkin_forms(ws, current, data=request.POST)
    current.feedback_form = (
        FeedbackForm(prefix=f"fb-{current.code}") if current.can_give_feedback else None
    )
    forms = current.part_forms
    if forms is None:
        forms = CheckInPartForms(request.POST, workspace=ws, checkin=current)
        current.part_forms = forms
        forms.non_field_errors.append(_read_only(ws.partnership))
    elif forms.is_valid():
        part = forms.part()
        if part.is_empty():
            forms.non_field_errors.append("Add a review, a reflection or a next step first.")
        else:
            try:
                checkin_contribute(checkin=current, by=request.user, part=part)
            except ValidationError as error:
                forms.add_error(error)
            else:
                return _checkin_done(request, checkin, "Your part of the check-in is saved.")
    return _checkin_failed(request, ws, current)


@login_required
@require_POST
def feedback_give(request, code):
    checkin = get_checkin_for(request.user, code)
    ws, current = _checkin_in_workspace(request, checkin)
    checkin_forms(ws, current)
    form = FeedbackForm(request.POST, prefix=f"fb-{current.code}")
    if form.is_valid():
        try:
            services.feedback_give(
                checkin=current,
                by=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            partner = ws.partner.get_short_name()
            return _checkin_done(
                request, checkin, f"Thank you. {partner} can now read your feedback."
            )
    current.feedback_form = form
    return _checkin_failed(request, ws, current)
