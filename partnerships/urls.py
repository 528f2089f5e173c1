from django.urls import path

from partnerships.views import agreements, checkins, lifecycle, workspace

app_name = "partnerships"

urlpatterns = [
    path("<uuid:code>/", workspace.workspace, name="workspace"),
    path("<uuid:code>/agreement/", agreements.agreement_history, name="agreement_history"),
    path("<uuid:code>/agreement/propose/", agreements.agreement_propose, name="agreement_propose"),
    path(
        "<uuid:code>/agreement/v<int:version>/sign/",
        agreements.agreement_sign,
        name="agreement_sign",
    ),
    path("<uuid:code>/checkins/new/", checkins.checkin_new, name="checkin_new"),
    path("<uuid:code>/checkins/", checkins.checkin_history, name="checkin_history"),
    path("checkins/<uuid:code>/", checkins.checkin_detail, name="checkin"),
    path(
        "checkins/<uuid:code>/contribute/",
        checkins.checkin_contribute_view,
        name="checkin_contribute",
    ),
    path("checkins/<uuid:code>/feedback/", checkins.feedback_give, name="feedback_give"),
    path("<uuid:code>/pause/", lifecycle.partnership_pause, name="pause"),
    path("<uuid:code>/resume/", lifecycle.partnership_resume, name="resume"),
    path("<uuid:code>/end/", lifecycle.partnership_end, name="end"),
    path("<uuid:code>/closing/", lifecycle.closing_reflection_write, name="closing"),
]
