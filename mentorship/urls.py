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
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path(
        "reminders/", include("partnerships.urls_reminders")
    ),  # reminders: unsubscribe, preferences
]
