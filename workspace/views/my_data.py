"""A person's own data: download everything of theirs, or delete the account."""

import json

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from mentorship.accounts.forms import AccountDeleteForm
from workspace.account_deletion import account_delete
from workspace.my_data import account_export


@login_required
@never_cache
@require_GET
def account_data(request):
    """Everything of the person's, as one JSON file to keep."""
    data = account_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"mentorship-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def account_delete_view(request):
    """Confirm with the password, then anonymise and log out."""
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        account_delete(user=request.user)
        logout(request)
        return render(request, "registration/account_deleted.html")
    return render(
        request,
        "registration/account_delete.html",
        {"form": form},
        status=422 if form.errors else 200,
    )
