from django.urls import path

from partnerships import matching_views

app_name = "matching"

urlpatterns = [
    path("", matching_views.suggestions_view, name="suggestions"),
    path("requests/", matching_views.requests_view, name="requests"),
    path(
        "requests/<uuid:code>/<str:answer>/",
        matching_views.request_answer_view,
        name="answer",
    ),
    path(
        "mine/<uuid:code>/withdraw/",
        matching_views.request_withdraw_view,
        name="withdraw",
    ),
]
