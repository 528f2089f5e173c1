"""A person's own data: download it all, or delete the account."""

import json

from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from mentorship.accounts.data_export import account_export
from mentorship.accounts.deletion import account_delete
from mentorship.accounts.forms import AccountDeleteForm, OwnPasswordChangeForm


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


@login_required
@never_cache
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change(request):
    """Django's password change, with the old password counted like a login (reauth.py)."""
    form = OwnPasswordChangeForm(
        request.POST if request.method == "POST" else None, request=request
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        # The other sessions end (their hash no longer matches); this one stays.
        update_session_auth_hash(request, form.user)
        return redirect("password_change_done")
    return render(
        request,
        "registration/password_change_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )
