from django.urls import path

from goals import views

app_name = "goals"

urlpatterns = [
    path("new/<uuid:code>/<str:owner>/", views.goal_create, name="create"),
    path("<uuid:code>/", views.goal_detail, name="detail"),
    path("<uuid:code>/edit/", views.goal_edit, name="edit"),
    path("<uuid:code>/propose-change/", views.goal_change_propose, name="propose_change"),
    path("<uuid:code>/adopt/", views.goal_adopt, name="adopt"),
    path("<uuid:code>/decline/", views.goal_decline, name="decline"),
    path("<uuid:code>/steps/", views.next_step_create, name="step_create"),
    path("changes/<uuid:code>/adopt/", views.proposal_adopt, name="proposal_adopt"),
    path("changes/<uuid:code>/decline/", views.proposal_decline, name="proposal_decline"),
    path("steps/<uuid:code>/done/", views.next_step_set_done, name="step_done"),
]
