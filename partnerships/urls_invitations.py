from django.urls import path

from partnerships.invitation_views import invitation_accept_view

app_name = "invitations"

urlpatterns = [
    path("<str:token>/", invitation_accept_view, name="accept"),
]
