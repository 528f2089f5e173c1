"""Every page of the partners: their dashboard and profile, each partnership's workspace and
goals, finding a mentor, joining by invitation, and their own data. The namespaces are
the URL names the pages have always had."""

from django.urls import include, path

from workspace.views import (
    agreements,
    checkins,
    goals,
    home,
    joining,
    lifecycle,
    matching,
    meetings,
    my_data,
    notifications,
    people,
    profile,
    signup,
    surveys,
    workspace,
)

partnership_patterns = [
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
    path(
        "<uuid:code>/surveys/<uuid:survey>/<str:round_key>/",
        surveys.survey_answer_view,
        name="survey",
    ),
    path("<uuid:code>/match/", matching.match_view, name="match"),
    path("<uuid:code>/meetings/propose/", meetings.meeting_propose, name="meeting_propose"),
    path("meetings/<uuid:code>/move/", meetings.meeting_move, name="meeting_move"),
    path("meetings/<uuid:code>/accept/", meetings.meeting_accept, name="meeting_accept"),
    path("meetings/<uuid:code>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("<uuid:code>/agenda/", meetings.agenda_add, name="agenda_add"),
    path("agenda/<uuid:code>/accept/", meetings.agenda_accept, name="agenda_accept"),
    path("agenda/<uuid:code>/remove/", meetings.agenda_remove, name="agenda_remove"),
    path("agenda/<uuid:code>/<str:direction>/", meetings.agenda_move, name="agenda_move"),
]

goal_patterns = [
    path("new/<uuid:code>/<str:owner>/", goals.goal_create, name="create"),
    path("<uuid:code>/", goals.goal_detail, name="detail"),
    path("<uuid:code>/edit/", goals.goal_edit, name="edit"),
    path("<uuid:code>/propose-change/", goals.goal_change_propose, name="propose_change"),
    path("<uuid:code>/adopt/", goals.goal_adopt, name="adopt"),
    path("<uuid:code>/decline/", goals.goal_decline, name="decline"),
    path("<uuid:code>/steps/", goals.next_step_create, name="step_create"),
    path("changes/<uuid:code>/adopt/", goals.proposal_adopt, name="proposal_adopt"),
    path("changes/<uuid:code>/decline/", goals.proposal_decline, name="proposal_decline"),
    path("steps/<uuid:code>/done/", goals.next_step_set_done, name="step_done"),
]

matching_patterns = [
    path("", matching.suggestions_view, name="suggestions"),
    path("requests/", matching.requests_view, name="requests"),
    path("requests/<uuid:code>/<str:answer>/", matching.request_answer_view, name="answer"),
    path("mine/<uuid:code>/withdraw/", matching.request_withdraw_view, name="withdraw"),
]

people_patterns = [
    path("<uuid:code>/", people.profile_detail, name="profile"),
    path("<uuid:code>/edit/", people.profile_edit, name="edit"),
    path("<uuid:code>/photo/", people.profile_photo, name="photo"),
]

notification_patterns = [
    path("", notifications.notifications_list, name="list"),
    path("count/", notifications.notifications_count, name="count"),
    path("read/", notifications.notifications_read_all, name="read_all"),
]

invitation_patterns = [
    path("<str:token>/", joining.invitation_accept_view, name="accept"),
]

signup_patterns = [
    path("confirm/<str:token>/", signup.signup_confirm, name="confirm"),
    path("welcome/<str:token>/", signup.signup_welcome, name="welcome"),
    path("<str:token>/", signup.signup_page, name="page"),
    path("<str:token>/sent/", signup.signup_sent, name="sent"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/profile/", profile.profile, name="profile"),
    path("accounts/my-data.json", my_data.account_data, name="account_data"),
    path("accounts/delete/", my_data.account_delete_view, name="account_delete"),
    path("accounts/calendar-feed/", meetings.calendar_feed_make, name="calendar_feed_make"),
    path("accounts/calendar-feed/off/", meetings.calendar_feed_stop, name="calendar_feed_stop"),
    path("calendar/<str:token>.ics", meetings.calendar_feed, name="calendar_feed"),
    path("partnerships/", include((partnership_patterns, "partnerships"))),
    path("goals/", include((goal_patterns, "goals"))),
    path("matching/", include((matching_patterns, "matching"))),
    path("invitations/", include((invitation_patterns, "invitations"))),
    path("notifications/", include((notification_patterns, "notifications"))),
    path("people/", include((people_patterns, "people"))),
    path("join/", include((signup_patterns, "signup"))),
]
