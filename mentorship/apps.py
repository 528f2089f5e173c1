from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = "Accounts"

    def ready(self):
        # The middleware module imports the models, which are loaded only now.
        from mentorship.accounts.middleware import start_idle_clock  # noqa: PLC0415 (see above)

        user_logged_in.connect(start_idle_clock, dispatch_uid="accounts_start_idle_clock")
