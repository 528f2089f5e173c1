from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from partnerships import services
from partnerships.access import get_partnership_for
from workspace.forms.partnership import AgreementForm
from workspace.page import Workspace, agreement_changes
from workspace.views.common import action_done, action_failed, add_service_error


@login_required
@require_GET
def agreement_history(request, code):
    """Every version, newest first, each with what it changed from the one before."""
    partnership = get_partnership_for(request.user, code)
    ws = Workspace(partnership=partnership, user=request.user)
    versions = ws.agreements
    history = [
        {
            "agreement": a,
            "changes": agreement_changes(a, versions[i + 1] if i + 1 < len(versions) else None),
        }
        for i, a in enumerate(versions)
    ]
    return render(request, "partnerships/agreement_history.html", {"ws": ws, "history": history})


@login_required
@require_POST
def agreement_propose(request, code):
    partnership = get_partnership_for(request.user, code)
    form = AgreementForm(request.POST, prefix="agreement")
    if form.is_valid():
        terms = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            agreement = services.agreement_propose(
                partnership=partnership, by=request.user, **terms
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return action_done(
                request,
                partnership,
                sections=("agreement", "attention"),
                # Proposing does not sign: the notice says what the box below says.
                notice=f"You proposed version {agreement.version}. Sign it too when you are "
                "ready: it is in force once you and "
                f"{partnership.partner_of(request.user).get_short_name()} have both signed it.",
            )
    ws = Workspace(partnership=partnership, user=request.user)
    return action_failed(request, ws, section="agreement", agreement_form=form)


@login_required
@require_POST
def agreement_sign(request, code, version):
    partnership = get_partnership_for(request.user, code)
    agreement = get_object_or_404(partnership.agreements, version=version)
    try:
        agreement = services.agreement_sign(agreement=agreement, by=request.user)
    except ValidationError as error:
        ws = Workspace(partnership=partnership, user=request.user)
        return action_failed(request, ws, section="agreement", agreement_error=error.messages)
    notice = (
        f"Version {agreement.version} is signed by you both and now in force."
        if agreement.is_signed
        else f"You signed version {agreement.version}. "
        f"Waiting for {partnership.partner_of(request.user).get_short_name()} to sign."
    )
    return action_done(
        request, partnership, sections=("agreement", "header", "attention"), notice=notice
    )
