"""The critical attacks on the admin, replayed over HTTP against the production shape:
gunicorn with DEBUG=false and 3 workers, a coordinator logged in with their password and
their own second factor, as the attack in issue 13 was run. Each is refused."""

import datetime
import http.cookiejar
import os
import secrets
import urllib.error
import urllib.parse
import urllib.request
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from load import harness
from mentorship.celery import app as celery_app
from partnerships import services
from partnerships.models import (
    AgendaItem,
    Application,
    Meeting,
    Participant,
    Programme,
    SignupQuestion,
    Survey,
)
from partnerships.services.signup import application_submit
from tests.builders import (
    PASSWORD,
    make_coordinator_of,
    make_partnership,
    make_programme,
    make_user,
    today_for,
)
from tests.workspace.signup_world import open_signup

pytestmark = [
    pytest.mark.slow,
    pytest.mark.real_password_hashing(
        reason="gunicorn checks the coordinator's password with production's hashers"
    ),
]


class Browser:
    """Cookies kept, redirects not followed: each answer is seen as it was sent."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect
        )

    def open(self, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = None
        headers = {"Referer": self.base + path}
        if data is not None:
            data = {"csrfmiddlewaretoken": self.csrf(), **data}
            body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode(errors="replace")

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def log_in(self, email: str, device: TOTPDevice) -> None:
        self.open("/accounts/login/")
        status, _, _ = self.open("/accounts/login/", {"username": email, "password": PASSWORD})
        assert status == 302, "the password was refused"
        self.open("/accounts/two-factor/verify/")
        code = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
        status, _, _ = self.open("/accounts/two-factor/verify/", {"code": f"{code:06d}"})
        assert status == 302, "the second factor was refused"
        status, _, _ = self.open("/admin/")
        assert status == 200, "not in the admin after both factors"


@pytest.fixture
def coordinator_in_production_shape(transactional_db):
    """A programme of the coordinator's, another programme with its mentee, a check-in with
    an agenda; gunicorn in the production shape serving them from the test database."""
    own = make_programme("Second Cohort")
    coordinator = make_coordinator_of(own, "Cora Coordinator")
    device = TOTPDevice.objects.create(user=coordinator, name="Phone", confirmed=True)
    mine = make_partnership(own, make_user("Mo Mentor"), make_user("Mia Mentee"))
    theirs = make_partnership(make_programme("First Cohort"), make_user("Ela"), make_user("Eli"))
    checkin = services.checkin_start(
        partnership=mine,
        by=mine.mentee.user,
        held_on=today_for(mine.mentee.user),
        agenda="Money worries at home",
    )
    url = urlsplit(os.environ["DATABASE_URL"])
    test_url = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    env = harness.production_env(
        database_url=test_url, redis_url=os.environ["REDIS_URL"], REQUIRE_2FA_FOR_STAFF="true"
    )
    harness.prepare(env)
    with harness.web(env, workers=3) as base:
        browser = Browser(base)
        browser.log_in(coordinator.email, device)
        yield browser, own, mine, theirs, checkin
    connection.close()


def test_the_attacks_of_issue_13_are_refused_in_the_production_shape(
    coordinator_in_production_shape,
):
    browser, own, mine, theirs, checkin = coordinator_in_production_shape
    victim = theirs.mentee.user

    # The replay proves something only if the coordinator is really in: their own page
    # answers, with their programme's people.
    status, _, page = browser.open(f"/admin/partnerships/programme/{own.pk}/change/")
    assert status == 200
    assert "<title>Second Cohort | Change programme | Mentorship admin</title>" in page
    assert "Mia Mentee" in page

    # 1. Another programme's mentee, added to the coordinator's programme by her id.
    browser.open("/admin/partnerships/participant/add/")
    status, _, page = browser.open(
        "/admin/partnerships/participant/add/",
        {"programme": own.pk, "user": victim.pk, "role": "mentee", "capacity": "1",
         "interests": "", "bio": "", "_save": "Save"},
    )  # fmt: skip
    assert status == 200
    assert "Select a valid choice. That choice is not one of the available choices." in page
    assert not Participant.objects.filter(user=victim, programme=own).exists()

    # 2. Anyone's password page, in the programme or not, by GET or POST.
    for person in (victim, mine.mentee.user):
        url = f"/admin/mentorship/user/{person.pk}/password/"
        assert browser.open(url)[0] == 403
        data = {"usable_password": "true", "password1": "Taken-over-1234",
                "password2": "Taken-over-1234", "set-password": "1"}  # fmt: skip
        assert browser.open(url, data)[0] == 403
        person.refresh_from_db()
        assert person.check_password(PASSWORD)

    # 3. The agenda, guessed a letter at a time through a list filter.
    answers = set()
    for guess in ("A", "M", "Z"):
        query = urllib.parse.urlencode({"id__exact": checkin.pk, "agenda__gte": guess})
        status, headers, page = browser.open(f"/admin/partnerships/checkin/?{query}")
        answers.add((status, headers.get("Location"), page))
    assert answers == {(302, "/admin/partnerships/checkin/?e=1", "")}


def test_the_new_rooms_refuse_outsiders_in_the_production_shape(coordinator_in_production_shape):
    """Meetings, agendas, profiles, photos, calendar feeds and surveys of another programme,
    tried by a partner of another partnership; its outcomes, survey results, matching and
    surveys tried by this coordinator."""
    browser, own, mine, theirs, _ = coordinator_in_production_shape
    their_survey = Survey.objects.create(
        programme=theirs.programme, kind="closing", title="Their closing survey"
    )
    their_survey.questions.create(text="How was it?", kind="scale")

    for suffix in ("outcomes/", "surveys/", "matching/", "survey-results.csv/",
                   "outcome-figure.csv/?figure=regularity"):  # fmt: skip
        url = f"/admin/partnerships/programme/{theirs.programme.pk}/{suffix}"
        assert browser.open(url)[0] == 404, url
    # The same figure of the coordinator's own programme answers: the 404s are the scope's.
    own_figure = f"/admin/partnerships/programme/{own.pk}/outcome-figure.csv/?figure=regularity"
    assert browser.open(own_figure)[0] == 200
    status, headers, _ = browser.open(f"/admin/partnerships/survey/{their_survey.pk}/change/")
    assert (status, headers.get("Location")) == (302, "/admin/")  # "doesn't exist"
    status, _, page = browser.open("/admin/partnerships/programme/compare/")
    assert status == 200
    assert own.name in page
    assert theirs.programme.name not in page

    partner = Browser(browser.base)
    partner.open("/accounts/login/")
    credentials = {"username": mine.mentee.user.email, "password": PASSWORD}
    assert partner.open("/accounts/login/", credentials)[0] == 302
    assert partner.open(f"/partnerships/{mine.code}/")[0] == 200  # really in, as herself
    day = (today_for(mine.mentee.user) + datetime.timedelta(days=7)).isoformat()
    meeting = {"day": day, "start_time": "10:00", "duration_minutes": "45", "place": "Here"}
    refused = [
        (f"/partnerships/{theirs.code}/", None),
        (f"/partnerships/{theirs.code}/meetings/propose/", meeting),
        (f"/partnerships/{theirs.code}/agenda/", {"text": "Their agenda, mine now"}),
        (f"/partnerships/{theirs.code}/surveys/{their_survey.code}/closing/", None),
        (f"/people/{theirs.mentee.code}/", None),
        (f"/people/{theirs.mentee.code}/photo/", None),
        (f"/people/{theirs.mentee.code}/edit/", {"bio": "Rewritten by a stranger"}),
        (f"/calendar/{secrets.token_urlsafe(32)}.ics", None),
    ]
    for url, data in refused:
        assert partner.open(url, data)[0] == 404, url
    assert not Meeting.objects.filter(partnership=theirs).exists()
    assert not AgendaItem.objects.filter(partnership=theirs).exists()
    theirs.mentee.refresh_from_db()
    assert theirs.mentee.bio == ""


def test_sign_up_and_the_next_cohort_hold_in_the_production_shape(coordinator_in_production_shape):
    """Another programme's applications, next cohort and archive, tried by this coordinator;
    the public sign-up's limit per address, counted together by the three workers."""
    browser, own, _, theirs, _ = coordinator_in_production_shape
    their_programme = theirs.programme
    Programme.objects.filter(pk=their_programme.pk).update(
        ends_on=their_programme.starts_on + datetime.timedelta(days=30),
        closed_at=timezone.now(),
    )

    def apply(intake, name):
        track = SignupQuestion.objects.get(programme=intake.programme, text="Which track?")
        person = make_user(name)
        return application_submit(
            intake=intake,
            role="mentee",
            name=name,
            email=person.email,
            answers={track.pk: "Data"},
            user=person,
        ).application

    their_application = apply(open_signup(their_programme), "Ana Applicant")
    programmes = Programme.objects.count()

    next_cohort = f"/admin/partnerships/programme/{their_programme.pk}/next-cohort/"
    assert browser.open(next_cohort)[0] == 404
    data = {"name": "Their next cohort", "starts_on": "2027-01-01", "ends_on": "2027-06-30"}
    assert browser.open(next_cohort, data)[0] == 404
    browser.open("/admin/partnerships/programme/")
    browser.open(
        "/admin/partnerships/programme/",
        {"action": "archive", "_selected_action": [their_programme.pk], "index": "0"},
    )
    status, headers, _ = browser.open(
        f"/admin/partnerships/application/{their_application.pk}/change/"
    )
    assert (status, headers.get("Location")) == (302, "/admin/")  # "doesn't exist"
    own_application = apply(open_signup(own), "Oli Own")
    browser.open("/admin/partnerships/application/")
    for application in (their_application, own_application):
        browser.open(
            "/admin/partnerships/application/",
            {"action": "approve", "_selected_action": [application.pk], "index": "0"},
        )
    # The same action approves the coordinator's own: the refusal is the scope's.
    own_application.refresh_from_db()
    assert own_application.status == "approved"
    assert Programme.objects.count() == programmes
    their_programme.refresh_from_db()
    assert their_programme.archived_at is None
    their_application.refresh_from_db()
    assert their_application.status == "waiting"
    assert not Participant.objects.filter(user=their_application.user).exists()

    # Sign-up: three tries per address an hour, whichever worker answers each.
    cache.clear()
    intake = own.intake
    track = SignupQuestion.objects.get(programme=own, text="Which track?")
    page = f"/join/{intake.token}/?role=mentee"
    answers = []
    for _ in range(5):
        stranger = Browser(browser.base)
        stranger.open(page)
        status, _, _ = stranger.open(
            page,
            {"role": "mentee", "name": "Sam Signup", "email": "sam.signup@example.org",
             f"q{track.pk}": "Data"},
        )  # fmt: skip
        answers.append(status)
    assert answers == [302, 302, 302, 429, 429]
    assert Application.objects.filter(email="sam.signup@example.org").count() == 1
    # The queued confirmation emails are not for any later test's worker.
    celery_app.control.purge()
    cache.clear()
