"""Pause, resume, end, and the closing reflections that follow."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.views.decorators.http import require_POST

from partnerships import services
from partnerships.access import get_partnership_for
from workspace.forms.partnership import ClosingReflectionForm, EndForm, PauseForm
from workspace.page import Workspace
from workspace.views.common import action_done, action_failed, add_service_error

EVERYTHING = ("header", "attention", "agreement", "goals", "checkins", "closing")


def _move(request, code, *, service, form_class=None, prefix: str, notice: str):
    partnership = get_partnership_for(request.user, code)
    form = form_class(request.POST, prefix=prefix) if form_class else None
    if form is None or form.is_valid():
        try:
            service(partnership=partnership, by=request.user, **(form.arguments() if form else {}))
        except ValidationError as error:
            form = form or PauseForm(prefix="pause")
            add_service_error(form, error)
        else:
            # Everything on the page changes between editable and read-only.
            return action_done(request, partnership, sections=EVERYTHING, notice=notice)
    ws = Workspace(partnership=partnership, user=request.user)
    return action_failed(request, ws, section="header", **{f"{prefix}_form": form})


@login_required
@require_POST
def partnership_pause(request, code):
    return _move(
        request,
        code,
        service=services.partnership_pause,
        form_class=PauseForm,
        prefix="pause",
        notice="The partnership is paused. Nothing is due while it rests; resume it any time.",
    )


@login_required
@require_POST
def partnership_resume(request, code):
    return _move(
        request,
        code,
        service=services.partnership_resume,
        prefix="pause",
        notice="Welcome back: the partnership is active again.",
    )


@login_required
@require_POST
def partnership_end(request, code):
    return _move(
        request,
        code,
        service=services.partnership_end,
        form_class=EndForm,
        prefix="end",
        notice="The partnership has ended. Each of you can now write a closing reflection.",
    )


@login_required
@require_POST
def closing_reflection_write(request, code):
    partnership = get_partnership_for(request.user, code)
    form = ClosingReflectionForm(request.POST, prefix="closing")
    if form.is_valid():
        try:
            services.closing_reflection_write(
                partnership=partnership,
                by=request.user,
                text=form.cleaned_data["text"],
                visibility=form.cleaned_data["visibility"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return action_done(
                request,
                partnership,
                sections=("closing",),
                notice="Your closing reflection is saved.",
            )
    ws = Workspace(partnership=partnership, user=request.user)
    return action_failed(request, ws, section="closing", closing_form=form)
