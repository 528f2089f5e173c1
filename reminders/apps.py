from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Decides, composes and sends the emails that are due. Its rows are
    partnerships.Reminder; its tasks keep the names they were scheduled under."""

    name = "reminders"
