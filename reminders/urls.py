from django.urls import path

from reminders import views as views_reminders

app_name = "reminders"

urlpatterns = [
    path("preferences/", views_reminders.reminder_preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views_reminders.unsubscribe, name="unsubscribe"),
]
