"""The authorization matrix: every URL that takes an object's id, visited by three people
who have no business there. Each gets "not found" (never the object, never a hint that it
exists), and nothing they POST changes a single row.

The URL list comes from the URLconf, so a new view is covered automatically: a new id URL
whose object this file does not know how to supply fails `test_every_id_url_is_covered`.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import get_resolver, reverse
from django.utils import timezone

from goals import services as goal_services
from partnerships import services
from partnerships.models import (
    Application,
    CoordinatorAction,
    Invitation,
    MatchAnswer,
    Partnership,
    Reminder,
)
from partnerships.services.agenda import agenda_item_add
from partnerships.services.match_requests import match_request_create
from partnerships.services.meetings import meeting_propose
from partnerships.services.surveys import survey_copy
from tests.builders import (
    builtin_survey,
    join,
    make_coordinator_of,
    make_partnership,
    make_programme,
    make_user,
)
from tests.coordinators.test_scoping import fill_with_private_words
from tests.security.test_url_walk import PUBLIC, walk

CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
APPS = ("mentorship", "partnerships", "goals", "auth")


def id_routes():
    """(route, name) of every URL with a converter that is not public by design."""
    for route, name, pattern in walk(get_resolver().url_patterns):
        if getattr(pattern.pattern, "converters", None) and name not in PUBLIC:
            yield route, name


# --- The victim's world: one partnership with something of everything -----------------


class Victim:
    """A programme with a coordinator and one partnership full of objects and words."""

    def __init__(self):
        self.programme = make_programme("Victim Cohort")
        p = self.programme
        self.coordinator = make_coordinator_of(p, "Vera Coordinator")
        self.mentor, self.mentee = make_user("Vic Mentor"), make_user("Val Mentee")
        self.partnership = make_partnership(p, self.mentor, self.mentee)
        self.checkin, self.goal = fill_with_private_words(self.partnership)
        # A second, pending agreement version (the sign URL), a proposed goal (adopt and
        # decline), a mentor's change proposal and a next step.
        self.agreement = services.agreement_propose(
            partnership=self.partnership, by=self.mentor, channels="Phone", response_time="1 day"
        )
        self.proposed_goal = goal_services.goal_create(
            partnership=self.partnership, by=self.mentor, title="Proposed", owner_role="mentee"
        )
        self.proposal = goal_services.goal_change_propose(
            goal=self.goal, by=self.mentor, reason="Sharper", title="Sharper title"
        )
        self.step = goal_services.next_step_create(
            partnership=self.partnership, by=self.mentee, description="Step", owner=self.mentee
        )
        # The next meeting (answer, move, cancel) and a mentor's agenda suggestion.
        self.meeting = meeting_propose(
            partnership=self.partnership,
            by=self.mentee,
            day=timezone.localdate() + datetime.timedelta(days=7),
            start_time=datetime.time(15, 0),
        )
        self.agenda_item = agenda_item_add(
            partnership=self.partnership, by=self.mentor, text="Suggested"
        )
        # An unmatched mentee's request to a mentor with a free place (answer and withdraw).
        free_mentor = join(p, make_user("Fay Freementor"), "mentor", capacity=2)
        waiting = join(p, make_user("Wes Waiting"), "mentee")
        self.match_request = match_request_create(
            mentee=waiting, mentor=free_mentor, by=waiting.user
        )
        # The mentee's answer to the match, and their profile in a second programme of
        # theirs that no attacker is in (a profile is for its programme's people to read).
        self.match_answer = MatchAnswer.objects.create(
            partnership=self.partnership, role="mentee", user=self.mentee, accepted=True
        )
        self.profile = join(make_programme("Victim Elsewhere"), self.mentee, "mentee")
        self.survey = survey_copy(
            survey=builtin_survey("closing"),
            programme=p,
            by=self.coordinator,
            title="The victim's closing survey",
        )
        self.invitation = Invitation.objects.create(
            programme=p, email="ivy@example.org", name="Ivy Invitee", role="mentee"
        )
        self.application = Application.objects.create(
            programme=p, email="ada@example.org", name="Ada Applicant", role="mentee",
            status="waiting",
        )  # fmt: skip
        self.reminder = Reminder.objects.create(
            recipient=self.mentee,
            kind="checkin_upcoming",
            programme=p,
            partnership=self.partnership,
            subject_key=f"partnership:{self.partnership.pk}",
            period="2026-12-16",
            due_on=datetime.date(2026, 12, 14),
            send_after=timezone.now(),
            status="failed",
        )
        self.action = CoordinatorAction.record(
            actor=self.coordinator, programme=p, partnership=self.partnership, verb="nudged",
            summary="nudged the partnership",
        )  # fmt: skip
        from mentorship.accounts.email_change import email_change_token

        # The link an email change sends: the victim's, to a new address of theirs.
        self.email_change_token = email_change_token(
            user=self.mentee, new_email="val.new@example.org"
        )
        self.feedback = self.checkin.feedback.get()
        self.activity = self.partnership.activities.first()
        # Login records and second factors: superusers' business only.
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from mentorship.models import RecoveryCodeDevice

        seen = {"ip_address": "203.0.113.9", "user_agent": "x", "http_accept": "x",
                "path_info": "/accounts/login/", "username": self.mentee.email}  # fmt: skip
        self.access_attempt = AccessAttempt.objects.create(
            get_data="", post_data="", failures_since_start=1, **seen
        )
        self.access_log = AccessLog.objects.create(**seen)
        self.access_failure = AccessFailureLog.objects.create(**seen)
        self.totp_device = TOTPDevice.objects.create(user=self.coordinator, name="Phone")
        self.recovery_codes = RecoveryCodeDevice.objects.create(user=self.coordinator, name="Codes")
        mail.outbox.clear()

    def admin_object(self, model):
        """The object of `model` whose admin pages the attackers try."""
        objects = {
            "auth.group": lambda: self.coordinator.groups.get(),
            "mentorship.user": lambda: self.mentee,
            "partnerships.programme": lambda: self.programme,
            "partnerships.participant": lambda: self.partnership.mentee,
            "partnerships.partnership": lambda: self.partnership,
            "partnerships.agreement": lambda: self.agreement,
            "partnerships.checkin": lambda: self.checkin,
            "partnerships.feedback": lambda: self.feedback,
            "partnerships.activity": lambda: self.activity,
            "partnerships.invitation": lambda: self.invitation,
            "partnerships.application": lambda: self.application,
            "partnerships.matchrequest": lambda: self.match_request,
            "partnerships.matchanswer": lambda: self.match_answer,
            "partnerships.coordinatoraction": lambda: self.action,
            "partnerships.reminder": lambda: self.reminder,
            "partnerships.survey": lambda: self.survey,
            "goals.goal": lambda: self.goal,
            "axes.accessattempt": lambda: self.access_attempt,
            "axes.accesslog": lambda: self.access_log,
            "axes.accessfailurelog": lambda: self.access_failure,
            "otp_totp.totpdevice": lambda: self.totp_device,
            "mentorship.recoverycodedevice": lambda: self.recovery_codes,
        }
        return objects[model._meta.label_lower]()

    def values_for(self, route: str, name: str) -> dict[str, str] | None:
        """The URL's arguments pointing at the victim's objects; None if unknown."""
        if name == "admin:view_on_site":
            return {
                "content_type_id": ContentType.objects.get_for_model(self.partnership).pk,
                "object_id": self.partnership.pk,
            }
        if match := re.match(r"admin/(\w+)/(\w+)/<(?:path:object_id|id|int:pk)>/", route):
            model = apps.get_model(*match.groups())
            obj = self.admin_object(model)
            return {"object_id": obj.pk, "id": obj.pk, "pk": obj.pk}
        partner_urls = {
            "partnerships:workspace": {"code": self.partnership.code},
            "partnerships:agreement_history": {"code": self.partnership.code},
            "partnerships:agreement_propose": {"code": self.partnership.code},
            "partnerships:agreement_sign": {
                "code": self.partnership.code,
                "version": self.agreement.version,
            },
            "partnerships:checkin_new": {"code": self.partnership.code},
            "partnerships:checkin_history": {"code": self.partnership.code},
            "partnerships:checkin": {"code": self.checkin.code},
            "partnerships:checkin_contribute": {"code": self.checkin.code},
            "partnerships:feedback_give": {"code": self.checkin.code},
            "partnerships:pause": {"code": self.partnership.code},
            "partnerships:resume": {"code": self.partnership.code},
            "partnerships:end": {"code": self.partnership.code},
            "partnerships:closing": {"code": self.partnership.code},
            "partnerships:survey": {
                "code": self.partnership.code,
                "survey": self.survey.code,
                "round_key": "closing",
            },
            "goals:create": {"code": self.partnership.code, "owner": "mentee"},
            "goals:detail": {"code": self.goal.code},
            "goals:edit": {"code": self.goal.code},
            "goals:propose_change": {"code": self.goal.code},
            "goals:adopt": {"code": self.proposed_goal.code},
            "goals:decline": {"code": self.proposed_goal.code},
            "goals:step_create": {"code": self.goal.code},
            "goals:proposal_adopt": {"code": self.proposal.code},
            "goals:proposal_decline": {"code": self.proposal.code},
            "goals:step_done": {"code": self.step.code},
            "partnerships:meeting_propose": {"code": self.partnership.code},
            "partnerships:meeting_move": {"code": self.meeting.code},
            "partnerships:meeting_accept": {"code": self.meeting.code},
            "partnerships:meeting_cancel": {"code": self.meeting.code},
            "partnerships:agenda_add": {"code": self.partnership.code},
            "partnerships:agenda_accept": {"code": self.agenda_item.code},
            "partnerships:agenda_remove": {"code": self.agenda_item.code},
            "partnerships:agenda_move": {"code": self.agenda_item.code, "direction": "up"},
            "matching:answer": {"code": self.match_request.code, "answer": "accept"},
            "matching:withdraw": {"code": self.match_request.code},
            "partnerships:match": {"code": self.partnership.code},
            "people:profile": {"code": self.profile.code},
            "people:edit": {"code": self.profile.code},
            "people:photo": {"code": self.profile.code},
            "email_change_confirm": {"token": self.email_change_token},
        }
        return partner_urls.get(name)

    def url(self, route: str, name: str) -> str | None:
        values = self.values_for(route, name)
        if values is None:
            return None
        return "/" + CONVERTER.sub(lambda m: str(values[m["name"]]), route)


def log_in(client, user) -> None:
    """Logged in, past the second step: with the person's authenticator app (if they have
    one) marked as used in this session, as the code page does."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


# --- The attackers ---------------------------------------------------------------------


def member_of_another_partnership(victim):
    """A mentor in the same programme, in a partnership of their own."""
    other = make_partnership(victim.programme, make_user("Sly Mentor"), make_user("Sam Mentee"))
    fill_with_private_words(other)
    return other.mentor.user


def member_of_another_programme(victim):
    other = make_partnership(
        make_programme("Elsewhere"),
        make_user("Ela Mentor"),
        make_user("Eli Mentee"),
    )
    return other.mentee.user


def coordinator_of_another_programme(victim):
    elsewhere = make_programme("Elsewhere")
    make_partnership(elsewhere, make_user("Ela Mentor"), make_user("Eli Mentee"))
    return make_coordinator_of(elsewhere, "Carl Coordinator")


ATTACKERS = [
    member_of_another_partnership,
    member_of_another_programme,
    coordinator_of_another_programme,
]

# What each would change if the door were open: a valid form for every view.
POST_DATA = {
    "title": "HIJACKED",
    "description": "HIJACKED",
    "success_measure": "HIJACKED",
    "reason": "HIJACKED",
    "text": "HIJACKED",
    "agenda": "HIJACKED",
    "reflection": "HIJACKED",
    "visibility": "shared",
    "comment": "HIJACKED",
    "rating": "1",
    "held_on": "2026-01-05",
    "channels": "HIJACKED",
    "response_time": "HIJACKED",
    "off_limits": "HIJACKED",
    "checkin_cadence_days": "7",
    "status": "ended_early",
    "name": "HIJACKED",
    "email": "hijacked@example.org",
    "post": "yes",  # the admin's delete confirmation
    "meeting-day": "2030-01-07",
    "meeting-start_time": "10:00",
    "meeting-duration_minutes": "60",
    "agenda-text": "HIJACKED",
    "_save": "Save",
}


def snapshot() -> dict:
    """Every row of every model the product owns, as plain values."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in APPS:
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


def expected(method: str, allowed: set[str], url: str, user) -> tuple[int, str | None]:
    """Django's exact "not for you" answer for this URL and this person."""
    if url.startswith("/accounts/email/confirm/"):
        # The link names its account and says so: "sent for another account" (no change).
        return 403, None
    if not url.startswith("/admin/"):
        # A method the view does not take is refused before any lookup, for any id alike.
        return (405 if allowed and method not in allowed else 404), None
    if not user.is_staff:
        return 302, f"/admin/login/?next={url}"
    if url.startswith("/admin/r/"):
        return 404, None  # the "view on site" shortcut: no object page outside the admin
    model_admin, suffix = model_admin_for(url)
    app, model = model_admin.opts.app_label, model_admin.opts.model_name
    if suffix == "":
        return 302, f"{url}change/"  # the admin's old-style URL: a redirect, no lookup
    if not user.has_perm(f"{app}.view_{model}") and not user.has_perm(f"{app}.change_{model}"):
        return 403, None
    if suffix == "password":
        return 403, None  # nobody's password is set by a coordinator: refused before the lookup
    if suffix in ("dashboard", "invitations", "matching", "export-partnerships.csv",
                  "export-goals.csv", "surveys", "survey-results.csv", "outcomes",
                  "outcome-figure.csv", "next-cohort"):  # fmt: skip
        return 404, None
    if suffix == "delete" and not user.has_perm(f"{app}.delete_{model}"):
        return 403, None  # refused before the lookup, for any id alike
    # The admin answers "doesn't exist" with a redirect to its index and a message.
    return 302, reverse("admin:index")


def allowed_methods(response) -> set[str]:
    return {m.strip().lower() for m in response.get("Allow", "").split(",") if m.strip()}


def model_admin_for(url: str):
    match = re.match(r"/admin/(\w+)/(\w+)/[^/]+/(?:([\w.-]+)/)?$", url)
    model = apps.get_model(match[1], match[2])
    return admin.site._registry[model], match[3] or ""


def test_every_id_url_is_covered(db):
    victim = Victim()
    uncovered = [name or route for route, name in id_routes() if victim.url(route, name) is None]
    assert uncovered == [], "Add these URLs to the matrix (Victim.values_for)"


@pytest.mark.parametrize("attacker", ATTACKERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("method", ["get", "post"])
def test_nobody_outside_reaches_an_object_by_its_id(client, db, attacker, method):
    victim = Victim()
    user = attacker(victim)
    client.force_login(user)
    before = snapshot()
    wrong = []
    for route, name in id_routes():
        url = victim.url(route, name)
        response = client.post(url, POST_DATA) if method == "post" else client.get(url)
        status, location = expected(method, allowed_methods(response), url, user)
        got = (response.status_code, response.get("Location"))
        if got != (status, location):
            wrong.append(f"{method.upper()} {url} ({name}) → {got}, expected {status} {location}")
        if response.status_code == 200 or b"HIJACKED" in response.content:
            wrong.append(f"{method.upper()} {url} showed something")
    assert wrong == [], "\n".join(wrong)
    assert snapshot() == before
    assert mail.outbox == []


@pytest.mark.parametrize("attacker", ATTACKERS[2:], ids=lambda f: f.__name__)
def test_admin_actions_on_another_programmes_objects_change_nothing(client, db, attacker):
    """Every admin action, on every changelist, with the victim's object selected."""
    victim = Victim()
    user = attacker(victim)
    client.force_login(user)
    before = snapshot()
    tried = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in APPS:
            continue
        obj = victim.admin_object(model)
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for action in model_admin._get_base_actions():
            response = client.post(
                changelist,
                {**POST_DATA, "action": action.name, "_selected_action": [obj.pk], "index": 0},
            )
            tried += 1
            # Refused, redirected back, or the list again with "no action selected".
            assert response.status_code in (200, 302, 403), (changelist, action.name)
            assert str(obj) not in response.content.decode(), (changelist, action.name)
    assert tried > 10
    # The lists shown again record the attacker's look at their own partnerships, and only
    # theirs (tests/coordinators/test_coordinator_access.py): nothing else changed.
    after = snapshot()
    looks = after.pop("partnerships.CoordinatorAccess")
    before.pop("partnerships.CoordinatorAccess")
    assert after == before
    assert {look["partnership_id"] for look in looks} <= set(
        Partnership.objects.filter(programme__coordinators=user).values_list("pk", flat=True)
    )
    assert mail.outbox == []


def test_the_victims_own_coordinator_does_reach_them(client, db):
    """The matrix proves refusals; this proves the same URLs answer the right person."""
    victim = Victim()
    log_in(client, victim.coordinator)
    for suffix in ("change", "dashboard", "matching", "invitations"):
        url = reverse(f"admin:partnerships_programme_{suffix}", args=[victim.programme.pk])
        assert client.get(url).status_code == 200, url
    client.force_login(victim.mentee)
    for name in ("partnerships:workspace", "goals:detail", "partnerships:checkin"):
        url = victim.url(
            next(route for route, n in id_routes() if n == name),
            name,
        )
        assert client.get(url).status_code == 200, url
