from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from partnerships.access import get_partnership_for
from workspace.page import Workspace
from workspace.views.common import WORKSPACE, workspace_context


@login_required
@require_GET
def workspace(request, code):
    """The partnership's one page: agreement, goals, check-ins and what comes next."""
    partnership = get_partnership_for(request.user, code)
    ws = Workspace(partnership=partnership, user=request.user)
    return render(request, WORKSPACE, workspace_context(request, ws))
