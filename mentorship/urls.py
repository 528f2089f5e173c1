from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mentorship import views

admin.site.site_header = "Mentorship programmes"
admin.site.site_title = "Mentorship admin"
admin.site.index_title = "Run your programmes"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/profile/", views.profile, name="profile"),
    # Two-factor sign-in, and each person's own data (download, delete).
    path("accounts/", include("mentorship.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    # The partners' workspace.
    path("partnerships/", include("partnerships.urls")),
    path("goals/", include("goals.urls")),
    # Reminders: one-click unsubscribe and per-kind preferences.
    path("reminders/", include("partnerships.urls_reminders")),
]

# Coordinators' features for people outside the admin: joining by invitation, matching.
urlpatterns += [
    path("invitations/", include("partnerships.urls_invitations")),
    path("matching/", include("partnerships.urls_matching")),
]

if settings.BENCHMARK_BASELINE:
    urlpatterns += [
        path("bench/baseline", views.bench_baseline, name="bench_baseline"),
        path("bench/page-cache/<uuid:code>", views.bench_page_cache, name="bench_page_cache"),
    ]

# A database that is away answers 503 "briefly unavailable" instead of a 500 (issue 7).
handler500 = "mentorship.errors.server_error"
