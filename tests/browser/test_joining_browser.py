"""Joining in a real Chromium, from a programme's link to an active partnership: Noor signs
up on a phone (without JavaScript) and answers the questions, confirms her address from
the email (read from a real SMTP server on loopback), the coordinator approves her in the
admin, she sets her password from the approval email, fills her profile, finds Chen in the
directory (suggested first: the same answer to the matching question) and asks him; Chen
accepts, the coordinator approves the match, both accept it, and the partnership is
active. Each sees the other's actions as notifications in the app and by email. The
sign-up pages pass axe on a phone."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from mentorship.celery import app as celery_app
from partnerships.models import Partnership, ProfileAnswer, Reminder
from reminders.send import deliver
from reminders.sweep import sweep
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from tests.builders import PASSWORD, join, make_coordinator_of, make_programme, make_user
from tests.reminders.smtp import SMTPServer
from tests.workspace.signup_world import open_signup, questions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def mail_server(settings):
    server = SMTPServer().start()
    settings.MAILERS = server.mailer()
    settings.REQUIRE_2FA_FOR_STAFF = False
    celery_app.conf.task_always_eager = True
    cache.clear()
    yield server
    celery_app.conf.task_always_eager = False
    server.stop()


def link_in(message, path: str) -> str:
    text = message.get_body(("plain",)).get_content()
    [link] = re.findall(rf"https?://[^/\s]+({path}\S+/)", text)
    return link


def emails_to(server, address: str) -> list[str]:
    return [m["Subject"] for m in server.inbox.messages if m["To"] == address]


def send_notification_emails() -> None:
    """What the reminders' worker does each minute: sweep, then send what is due."""
    ready: list[int] = []
    sweep(dispatch=ready.extend)
    for pk in Reminder.objects.filter(pk__in=ready).values_list("pk", flat=True):
        deliver(pk)


def no_accessibility_problems(page, name: str) -> None:
    screenshot(page, name)
    assert serious_accessibility_violations(page) == [], name


def test_a_person_signs_up_is_approved_finds_a_mentor_and_the_partnership_starts(
    new_page, mail_server, live_server
):
    programme = make_programme(
        "Spring Cohort", description="Six months of growing together.", deliver_any_hour=True
    )
    intake = open_signup(programme, requests_need_approval=True)
    track = questions(intake)["track"]
    coordinator = make_coordinator_of(programme, "Cora Coordinator")
    chen = make_user("Chen Wei", email="chen@example.org")
    chen_here = join(programme, chen, "mentor", capacity=2, interests="Distributed systems")
    ProfileAnswer.objects.create(participant=chen_here, question=track, choices=["Backend"])
    other = join(programme, make_user("Olu Other", email="olu@example.org"), "mentor")
    ProfileAnswer.objects.create(participant=other, question=track, choices=["Frontend"])

    # The sign-up pages on a phone, with JavaScript for axe: no sideways scroll, no problems.
    signup = f"/join/{intake.token}/"
    checker = new_page(**PHONE)
    for url, name in ((signup, "roles"), (f"{signup}?role=mentee", "form")):
        checker.goto(url)
        assert checker.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        no_accessibility_problems(checker, f"signup-{name}-phone")

    # Noor signs up on her phone, without JavaScript.
    noor = new_page(javascript=False, **PHONE)
    noor.goto(signup)
    expect(noor.get_by_role("heading", name="Sign up to Spring Cohort")).to_be_visible()
    noor.get_by_label("A mentee: I'd like a mentor").check()
    noor.get_by_role("button", name="Continue").click()
    noor.get_by_label("Your name").fill("Noor Haddad")
    noor.get_by_role("button", name="Sign up").click()  # the required answers left out
    expect(noor.locator(".error-summary")).to_contain_text("Some answers need another look")
    expect(noor.get_by_label("Your name")).to_have_value("Noor Haddad")
    screenshot(noor, "signup-form-errors-phone")
    noor.get_by_label("Your email address").fill("noor@example.org")
    noor.get_by_label("Backend").check()
    noor.get_by_label("What do you hope to learn?").fill("Designing systems that scale.")
    noor.get_by_role("button", name="Sign up").click()
    expect(noor.get_by_role("heading", name="Check your inbox")).to_be_visible()
    screenshot(noor, "signup-sent-phone")

    [confirm] = mail_server.inbox.wait_for(1, timeout=10)
    assert confirm["Subject"] == "Confirm your sign-up to Spring Cohort"
    checker.goto(link_in(confirm, "/join/confirm/"))  # opening it confirms nothing
    no_accessibility_problems(checker, "signup-confirm-phone")
    noor.goto(link_in(confirm, "/join/confirm/"))
    noor.get_by_role("button", name="Confirm my sign-up").click()
    expect(noor.get_by_role("heading", name="Thank you: your sign-up is confirmed")).to_be_visible()

    # The coordinator approves her in the admin.
    cora = new_page()
    log_in(cora, coordinator.email, PASSWORD)
    cora.goto(f"/admin/partnerships/programme/{programme.pk}/change/")
    expect(cora.locator("#intake-0 .field-signup_link")).to_contain_text(f"/join/{intake.token}/")
    cora.locator("#intake-group").screenshot(path=str(screenshot(cora, "signup-settings-admin")))
    cora.goto(f"/admin/partnerships/programme/{programme.pk}/dashboard/")
    cora.get_by_role("link", name="1 sign-up waiting").click()
    cora.get_by_role("link", name="Noor Haddad").click()
    expect(cora.locator("body")).to_contain_text("Designing systems that scale.")
    screenshot(cora, "signup-application-admin")
    cora.go_back()
    cora.locator("input[name=_selected_action]").first.check()
    cora.locator("select[name=action]").select_option("approve")
    cora.get_by_role("button", name="Run").click()
    expect(cora.locator(".messagelist")).to_contain_text("Approved 1 application.")

    # Noor sets her password from the approval email and fills her profile.
    welcome = mail_server.inbox.wait_for(3, timeout=10)[-1]
    assert welcome["Subject"] == "Welcome to Spring Cohort"
    noor = new_page()
    noor.goto(link_in(welcome, "/join/welcome/"))
    no_accessibility_problems(noor, "signup-welcome")
    noor.get_by_label("Choose a password").fill(PASSWORD)
    noor.get_by_label("The same password again").fill(PASSWORD)
    noor.get_by_role("button", name="Set my password and join").click()
    expect(noor.get_by_role("heading", name="Your profile in Spring Cohort")).to_be_visible()
    noor.get_by_label("About you").fill("Backend developer, three years in.")
    noor.get_by_role("button", name="Save your profile").click()

    # She finds Chen first in the directory (the same track) and asks him.
    noor.get_by_role("link", name="Find a mentor").first.click()
    first_card = noor.locator(".mentor-card").first
    expect(first_card).to_contain_text("Chen Wei")
    expect(first_card).to_contain_text("Same answer to “Which track?”: Backend")
    noor.get_by_text("Ask Chen", exact=True).click()
    noor.get_by_label("A short note to Chen").fill("I'd love your help with system design.")
    noor.get_by_role("button", name="Send the request to Chen").click()
    screenshot(noor, "signup-asked")

    # Chen accepts; the coordinator approves the match.
    chen_page = new_page()
    log_in(chen_page, chen.email, PASSWORD)
    chen_page.get_by_role("link", name=re.compile("Requests")).click()
    expect(chen_page.locator("body")).to_contain_text("I'd love your help with system design.")
    chen_page.get_by_role("button", name="Accept").click()
    cora.goto(f"/admin/partnerships/programme/{programme.pk}/matching/")
    cora.get_by_role("button", name="Approve", exact=True).click()

    # Both accept the match; the partnership starts.
    partnership = Partnership.objects.get(mentee__user__email="noor@example.org")
    assert partnership.status == "proposed"
    for page in (noor, chen_page):
        page.goto(f"/partnerships/{partnership.code}/match/")
        page.get_by_role("button", name="Accept the match").click()
    partnership.refresh_from_db()
    assert partnership.status == "active"

    # Each hears of the other's actions by email (the reminders' worker sends within a
    # minute; an email read first in the app is skipped)...
    send_notification_emails()
    noor_emails = emails_to(mail_server, "noor@example.org")
    chen_emails = emails_to(mail_server, "chen@example.org")
    assert "Chen accepted your match: your partnership has started" in noor_emails, noor_emails
    assert "Noor asked you to be their mentor" in chen_emails, chen_emails
    assert "Noor accepted your match; it starts when you accept it too" in chen_emails
    # ...and in the app.
    noor.goto("/notifications/")
    expect(noor.locator("main")).to_contain_text("Chen accepted your request")
    expect(noor.locator("main")).to_contain_text("Chen accepted your match")
    chen_page.goto("/notifications/")
    expect(chen_page.locator("main")).to_contain_text("Noor asked you to be their mentor")
    expect(chen_page.locator("main")).to_contain_text("Noor accepted your match")
    screenshot(chen_page, "signup-notifications")
