"""The project's URLs: each app brings its own. The paths and names are the same as they
have always been; only where they are declared moved (docs/architecture.md)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mentorship import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    # Two-factor sign-in, password and email changes.
    path("accounts/", include("mentorship.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    # Coordinators: the admin site and the pages it adds to each programme.
    path("admin/", admin.site.urls),
    # Reminders: one-click unsubscribe and per-kind preferences.
    path("reminders/", include("reminders.urls")),
    # Partners: dashboard, profile, workspaces, goals, finding a mentor, joining.
    path("", include("workspace.urls")),
]

if settings.MEASURING:
    urlpatterns += [path("", include("bench.urls"))]

# A database that is away answers 503 "briefly unavailable" instead of a 500 (issue 7).
handler500 = "mentorship.errors.server_error"
