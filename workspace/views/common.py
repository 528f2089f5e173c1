"""What every workspace action shares: building the page, answering htmx or a plain POST."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from partnerships.models import Partnership
from workspace.forms.checkins import CheckInPartForms
from workspace.forms.goals import GoalForm
from workspace.forms.meetings import (
    AgendaItemForm,
    MeetingCancelForm,
    MeetingForm,
    default_day,
)
from workspace.forms.partnership import (
    AgreementForm,
    ClosingReflectionForm,
    EndForm,
    FeedbackForm,
    NextStepForm,
    PauseForm,
)
from workspace.page import Workspace

WORKSPACE = "partnerships/workspace.html"
# The latest check-in offers its forms inline; older ones link to their own page (rendering
# every form of every recent check-in was most of the workspace's cost).
INLINE_FORMS_FOR = 1


def add_service_error(form, error: ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def agreement_initial(workspace: Workspace) -> dict:
    latest = workspace.agreement_latest
    if latest is not None:
        return latest.terms()
    return {"checkin_cadence_days": workspace.partnership.checkin_cadence_days}


def checkin_forms(workspace: Workspace, checkin, *, data=None) -> None:
    """Attach the part and feedback forms a partner can still use on a check-in."""
    checkin.part_forms = (
        CheckInPartForms(data, workspace=workspace, checkin=checkin) if workspace.workable else None
    )
    checkin.feedback_form = (
        FeedbackForm(data, prefix=f"fb-{checkin.code}") if checkin.can_give_feedback else None
    )


def workspace_context(request, workspace: Workspace, **overrides) -> dict:
    p, user = workspace.partnership, workspace.user
    for index, checkin in enumerate(workspace.checkins):
        if index < INLINE_FORMS_FOR:
            checkin_forms(workspace, checkin)
        else:
            checkin.part_forms = checkin.feedback_form = None
    for goal in workspace.goals:
        goal.step_form = NextStepForm(partnership=p, user=user, prefix=f"step-{goal.code}")
    meeting = workspace.meeting
    context = {
        "meeting_form": MeetingForm(
            user=user,
            meeting=meeting,
            prefix="meeting",
            **({} if meeting else {"initial": {"day": default_day(user), "duration_minutes": 45}}),
        ),
        "cancel_form": MeetingCancelForm(prefix="cancel"),
        "agenda_form": AgendaItemForm(prefix="agenda"),
        "ws": workspace,
        "partnership": p,
        "agreement_form": AgreementForm(prefix="agreement", initial=agreement_initial(workspace)),
        "mentee_goal_form": GoalForm(prefix="goal-mentee"),
        "mentor_goal_form": GoalForm(prefix="goal-mentor"),
        "new_checkin": CheckInPartForms(workspace=workspace) if workspace.workable else None,
        "pause_form": PauseForm(prefix="pause"),
        "end_form": EndForm(prefix="end"),
        "closing_form": ClosingReflectionForm(prefix="closing"),
    }
    context.update(overrides)
    for goal in workspace.goals:
        if goal.pk in context.get("step_form_for", {}):
            goal.step_form = context["step_form_for"][goal.pk]
    return context


def render_sections(request, context: dict, sections, *, template=WORKSPACE, status=200):
    """The first section replaces its target; the others ride along out of band."""
    html = []
    for index, section in enumerate(sections):
        html.append(
            render_to_string(
                f"{template}#{section}", {**context, "oob": index > 0}, request
            ).strip()
        )
    return HttpResponse("".join(html), status=status)


def action_done(
    request,
    partnership: Partnership,
    *,
    sections: tuple[str, ...],
    notice: str,
    anchor: str | None = None,
):
    """After an action: fresh sections for htmx, otherwise Post/Redirect/Get."""
    if request.htmx:
        workspace = Workspace(partnership=refreshed(partnership), user=request.user)
        context = workspace_context(request, workspace, notice=notice, notice_for=sections[0])
        return render_sections(request, context, sections)
    messages.success(request, notice)
    return redirect(f"{partnership_url(partnership)}#{anchor or sections[0]}")


def action_failed(request, workspace: Workspace, *, section: str, **forms):
    """Show the form again with its errors and everything that was typed."""
    context = workspace_context(request, workspace, **forms)
    if request.htmx:
        return render_sections(request, context, (section,))
    context["open_section"] = section
    return render(request, WORKSPACE, context, status=422)


def refreshed(partnership: Partnership) -> Partnership:
    return Partnership.objects.with_people().get(pk=partnership.pk)


def partnership_url(partnership: Partnership) -> str:
    return reverse("partnerships:workspace", args=[partnership.code])
