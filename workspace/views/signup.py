"""The public sign-up at a programme's shared link, the confirmation of the address, and
the page where a newly approved person sets their password.

Every anonymous submission gets the same answer, whatever the address: "check your
inbox". What applies to that address (confirm, already applied, already in) is said only
in the email, which only its owner reads.
"""

import hashlib

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from mentorship.accounts.client_ip import client_ip
from mentorship.rate_limits import rate_allows
from partnerships.models import Application, Participant
from partnerships.models.signup import ApplicationStatus
from partnerships.services.signup import (
    SignupClosed,
    SignupLinkError,
    application_confirm,
    application_from_confirm_token,
    application_from_join_token,
    application_submit,
    check_open,
    intake_for_token,
    open_roles,
    questions_for,
)
from workspace.forms.signup import SetPasswordForm, SignupForm

# Submissions allowed per window: from one address (a shared office or school network
# signs up several people), and for one email address (each sends it an email).
PER_IP = (20, 60 * 60)
PER_EMAIL = (3, 60 * 60)


def _intake_or_404(token: str):
    intake = intake_for_token(token)
    if intake is None:
        raise Http404("No sign-up has this link.")
    return intake


def _closed(request, intake, error: SignupClosed, *, status: int = 200):
    return render(
        request,
        "signup/closed.html",
        {"programme": intake.programme, "error": error},
        status=status,
    )


def _limited(request, programme):
    return render(request, "signup/limited.html", {"programme": programme}, status=429)


def _email_key(email: str) -> str:
    # Hashed: the cache holds no addresses.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _existing_for(user, programme):
    """What a logged-in person already has in this programme: a place, or an application."""
    if not user.is_authenticated:
        return None, None
    participant = Participant.objects.filter(programme=programme, user=user).first()
    application = Application.objects.filter(programme=programme, email__iexact=user.email).first()
    return participant, application


@never_cache
@require_http_methods(["GET", "POST"])
def signup_page(request, token):
    intake = _intake_or_404(token)
    programme = intake.programme
    participant, application = _existing_for(request.user, programme)
    if participant is not None or (
        application is not None and application.status != ApplicationStatus.UNCONFIRMED
    ):
        return render(
            request,
            "signup/status.html",
            {"programme": programme, "participant": participant, "application": application},
        )
    try:
        check_open(intake)
    except SignupClosed as error:
        return _closed(request, intake, error, status=409 if request.method == "POST" else 200)

    offered = intake.roles_offered()
    available = open_roles(intake)
    role = request.POST.get("role") or request.GET.get("role")
    if len(offered) == 1:
        role = offered[0]
    if role not in offered:
        return render(
            request,
            "signup/roles.html",
            {"programme": programme, "offered": offered, "available": available},
            status=400 if request.method == "POST" else 200,
        )
    if role not in available:
        try:
            check_open(intake, role)
        except SignupClosed as error:
            return _closed(request, intake, error, status=409 if request.method == "POST" else 200)

    questions = questions_for(programme, role)
    form = SignupForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        user=request.user,
    )
    if request.method == "POST":
        if not rate_allows(
            f"signup:ip:{client_ip(request)}", limit=PER_IP[0], window_seconds=PER_IP[1]
        ):
            return _limited(request, programme)
        if form.is_valid():
            email = request.user.email if form.signed_in else form.cleaned_data["email"]
            if not rate_allows(
                f"signup:email:{_email_key(email)}", limit=PER_EMAIL[0], window_seconds=PER_EMAIL[1]
            ):
                return _limited(request, programme)
            try:
                application_submit(
                    intake=intake,
                    role=role,
                    name="" if form.signed_in else form.cleaned_data["name"],
                    email=email,
                    answers=form.answers(),
                    user=request.user if form.signed_in else None,
                )
            except SignupClosed as error:
                return _closed(request, intake, error, status=409)
            except ValidationError as error:
                for question_id, problems in error.message_dict.items():
                    name = f"q{question_id}"
                    form.add_error(name if name in form.fields else None, problems)
            else:
                if form.signed_in:
                    return redirect("signup:page", token=token)
                return redirect("signup:sent", token=token)
    return render(
        request,
        "signup/page.html",
        {
            "programme": programme,
            "intake": intake,
            "role": role,
            "offered": offered,
            "form": form,
            "role_label": dict(Application.Role.choices)[role].lower(),
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@never_cache
def signup_sent(request, token):
    intake = _intake_or_404(token)
    return render(request, "signup/sent.html", {"programme": intake.programme})


@never_cache
@require_http_methods(["GET", "POST"])
def signup_confirm(request, token):
    """GET shows a button; the POST confirms. (Mail scanners open links in emails: a GET
    that confirmed would confirm for them.)"""
    try:
        application = application_from_confirm_token(token)
    except SignupLinkError as error:
        return render(request, "signup/link_invalid.html", {"error": error}, status=404)
    programme = application.programme
    if request.method == "POST" and application.status == ApplicationStatus.UNCONFIRMED:
        try:
            application = application_confirm(application=application)
        except SignupClosed as error:
            return render(
                request,
                "signup/closed.html",
                {"programme": programme, "error": error},
                status=409,
            )
        return redirect("signup:confirm", token=token)
    return render(
        request,
        "signup/confirm.html",
        {"programme": programme, "application": application},
    )


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup_welcome(request, token):
    """A newly approved person sets their password, is logged in, and fills their profile."""
    try:
        application = application_from_join_token(token)
    except SignupLinkError as error:
        return render(request, "signup/link_invalid.html", {"error": error}, status=410)
    user = application.user
    form = SetPasswordForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        user.set_password(form.cleaned_data["password1"])
        user.save(update_fields=["password"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, f"Welcome to {application.programme}! Tell people a little about you."
        )
        if application.participant is not None:
            return redirect(reverse("people:edit", args=[application.participant.code]))
        return redirect("home")
    return render(
        request,
        "signup/welcome.html",
        {"application": application, "programme": application.programme, "form": form},
        status=422 if form.errors else 200,
    )
