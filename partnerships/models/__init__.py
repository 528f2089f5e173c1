from partnerships.models.activity import Activity
from partnerships.models.agenda import AgendaItem
from partnerships.models.agreement import Agreement
from partnerships.models.calendar_feed import CalendarFeed
from partnerships.models.checkin import CheckIn, Feedback, Reflection
from partnerships.models.coordinator_access import CoordinatorAccess
from partnerships.models.coordinator_action import CoordinatorAction
from partnerships.models.health import CheckInWeek, HealthFacts
from partnerships.models.invitation import Invitation
from partnerships.models.match_answer import MatchAnswer
from partnerships.models.match_request import MatchRequest
from partnerships.models.meeting import Meeting
from partnerships.models.notification import Notification, NotificationPreference
from partnerships.models.participant import Participant
from partnerships.models.partnership import ClosingReflection, Partnership
from partnerships.models.programme import Programme
from partnerships.models.reminder import Reminder, ReminderOptOut
from partnerships.models.retention import RetentionRun
from partnerships.models.signup import (
    Application,
    ApplicationAnswer,
    ProfileAnswer,
    ProgrammeIntake,
    SignupQuestion,
)
from partnerships.models.survey import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from partnerships.models.visibility import Visibility

__all__ = [
    "Activity",
    "AgendaItem",
    "Agreement",
    "Application",
    "ApplicationAnswer",
    "CalendarFeed",
    "CheckIn",
    "CheckInWeek",
    "ClosingReflection",
    "CoordinatorAccess",
    "CoordinatorAction",
    "Feedback",
    "HealthFacts",
    "Invitation",
    "MatchAnswer",
    "MatchRequest",
    "Meeting",
    "Notification",
    "NotificationPreference",
    "Participant",
    "Partnership",
    "ProfileAnswer",
    "Programme",
    "ProgrammeIntake",
    "Reflection",
    "Reminder",
    "ReminderOptOut",
    "RetentionRun",
    "SignupQuestion",
    "Survey",
    "SurveyAnswer",
    "SurveyQuestion",
    "SurveyResponse",
    "Visibility",
]
