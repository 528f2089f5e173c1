from django.urls import path

from mentorship.accounts import two_factor_views, views

urlpatterns = [
    # Before django.contrib.auth's own view of the same name: the old password is counted.
    path("password_change/", views.password_change, name="password_change"),
    path("email/", views.email_change, name="email_change"),
    path(
        "email/confirm/<str:token>/",
        views.email_change_confirm_view,
        name="email_change_confirm",
    ),
    path("two-factor/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", two_factor_views.two_factor_verify, name="two_factor_verify"),
    path(
        "two-factor/recovery-codes/",
        two_factor_views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("two-factor/off/", two_factor_views.two_factor_off, name="two_factor_off"),
]
