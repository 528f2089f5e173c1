"""The account pages in a real Chromium: two-factor sign-in for a coordinator, deleting an
account, changing and resetting a password. Each page is checked with axe-core, under the
Content-Security-Policy, with the keyboard, and saved as a screenshot to look at.

Everything goes through the pages, as a person would: the key is read off the setup page
and the recovery codes off the codes page, never from the database."""

import re
import time
from base64 import b32decode
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.conftest import (
    csp_violations,
    log_in,
    screenshot,
    serious_accessibility_violations,
    watched_page,
)
from tests.builders import (
    PASSWORD,
    make_coordinator_of,
    make_partnership,
    make_programme,
    make_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = "/admin/"


@pytest.fixture(autouse=True)
def staff_need_two_factor(settings):
    settings.REQUIRE_2FA_FOR_STAFF = True


@pytest.fixture
def cleo():
    return make_coordinator_of(make_programme("Spring Cohort"), "Cleo Coordinator")


@pytest.fixture
def milo():
    mentee = make_user("Milo Mentee")
    make_partnership(make_programme("Spring Cohort"), make_user("Mara Mentor"), mentee)
    return mentee


def check(page, name: str, problems: list[str], *, phone: bool = False) -> None:
    """The page as it stands: no serious axe finding, nothing blocked, and a screenshot
    (and one as wide as a phone, if asked)."""
    assert serious_accessibility_violations(page) == [], name
    problems.extend(csp_violations(page))
    screenshot(page, name)
    if phone:
        desk = page.viewport_size
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{name} too wide"
        screenshot(page, f"{name}-phone")
        page.set_viewport_size(desk)


def unexpected(problems: list[str], *, refused: list[str]) -> list[str]:
    """``problems`` less the refusals the test asked for: a form sent back with its errors
    answers 422 (a used link 410), which Chromium also logs as a resource that failed to
    load."""
    return [
        p
        for p in problems
        if not any(
            re.match(rf"4\d\d {re.escape(url)}", p)
            or (re.search(r"status of 4\d\d", p) and url in p)
            for url in refused
        )
    ]


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app given ``secret`` shows (``steps_ahead`` codes later).

    Like a person who sees the code about to change, wait for a fresh one: a code typed
    across the change is still accepted, but it shifts the device's clock by a step."""
    left = 30 - time.time() % 30
    if left < 3:
        # Not a wait for a condition but for a moment on the clock, as the person waits:
        # the next 30-second step, when the app shows a fresh code (under 3 s away).
        time.sleep(left)
    key = b32decode(secret.replace(" ", ""))  # shown in groups of four; apps drop the spaces
    return f"{totp(key, drift=steps_ahead):06d}"


def tab_to(page, target, *, presses: int = 25) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would; it must show it."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            assert target.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
            return
    raise AssertionError(f"Tab never reached {target}")


def log_in_with_code(page, email: str, *, next_page: str = "/") -> None:
    """The password, then the code page that a login with two-factor sign-in leads to,
    before any page (``next_page``, the page asked for, comes after the code)."""
    page.goto(f"/accounts/login/?next={next_page}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**/accounts/two-factor/verify/?next={quote(next_page, safe='')}")


def go_to_admin(page) -> None:
    page.get_by_role("link", name="Admin", exact=True).click()


def test_a_coordinator_sets_up_two_factor_then_signs_in_with_a_recovery_code(new_page, cleo):
    problems: list[str] = []
    page = watched_page(new_page, problems)
    log_in(page, cleo.email, PASSWORD)
    go_to_admin(page)
    page.wait_for_url("**/accounts/two-factor/?next=%2Fadmin%2F")

    # Set up: scan the QR code or type the key, then prove it with the app's code.
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    qr = page.get_by_role("img", name="QR code for your authenticator app").locator("svg")
    size = qr.evaluate(
        """svg => {
          const shown = svg.getBoundingClientRect();
          const drawn = svg.querySelector("path:last-of-type").getBoundingClientRect();
          return {width: shown.width, height: shown.height,
                  cropped: drawn.right > shown.right + 1 || drawn.bottom > shown.bottom + 1};
        }"""
    )
    assert size == {"width": 244, "height": 244, "cropped": False}  # whole, and big enough
    check(page, "two-factor-setup", problems, phone=True)
    secret = page.locator("code.secret").inner_text()
    tab_to(page, page.get_by_label("Code from the app"))
    page.keyboard.type(app_code(secret))
    page.keyboard.press("Enter")

    # The recovery codes, shown once; then on to the admin.
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    check(page, "two-factor-codes", problems, phone=True)
    go_on = page.get_by_role("link", name="I have saved them — continue")
    tab_to(page, go_on)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{ADMIN}")
    expect(page.get_by_role("heading", name="Run your programmes")).to_be_visible()
    problems.extend(csp_violations(page))

    # Next time, the admin asks for a code; a wrong one is refused and says why.
    page.get_by_role("button", name="Log out").click()
    log_in_with_code(page, cleo.email, next_page=ADMIN)
    check(page, "two-factor-verify", problems)
    expect(page.get_by_label("Code", exact=True)).to_be_focused()
    page.keyboard.type("000000")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Code", exact=True)).to_have_accessible_description(
        re.compile("That code didn't work. App codes change every 30 seconds")
    )
    refused = [page.url]
    check(page, "two-factor-verify-refused", problems)

    page.get_by_label("Code", exact=True).fill(codes[3].upper())
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{ADMIN}")
    warning = page.locator(".messagelist .warning")
    expect(warning).to_have_text(
        "You used a recovery code; 9 left. Each works once — make new ones from your "
        "two-factor page if you are running low."
    )
    problems.extend(csp_violations(page))
    screenshot(page, "two-factor-recovery-code-used")

    # The warning leads to the page that makes new codes.
    warning.get_by_role("link", name="your two-factor page").click()
    expect(page.get_by_role("main")).to_contain_text("You have 9 unused recovery codes.")
    expect(
        page.get_by_role("button", name="Make new recovery codes")
    ).to_have_accessible_description("New codes replace all the old ones.")
    check(page, "two-factor-status", problems)
    assert unexpected(problems, refused=refused) == [], "\n".join(problems)


def test_two_factor_works_without_javascript(new_page, cleo):
    page = new_page(javascript=False)
    log_in(page, cleo.email, PASSWORD)
    go_to_admin(page)
    secret = page.locator("code.secret").inner_text()
    page.get_by_label("Code from the app").fill(app_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have saved them — continue").click()
    expect(page.get_by_role("heading", name="Run your programmes")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    log_in_with_code(page, cleo.email, next_page=ADMIN)
    # The code just used works only once: the app's next one, as if half a minute later.
    page.get_by_label("Code", exact=True).fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Run your programmes")).to_be_visible()


def test_a_partner_deletes_their_account_after_giving_the_password(new_page, milo):
    problems: list[str] = []
    page = watched_page(new_page, problems)
    log_in(page, milo.email, PASSWORD)
    page.get_by_role("link", name="Profile").click()
    page.get_by_role("link", name="Delete your account").click()
    expect(page.get_by_role("heading", name="Delete your account")).to_be_visible()
    check(page, "account-delete", problems)

    password = page.get_by_label("Your password")
    tab_to(page, password)
    page.keyboard.type("not-my-password")
    page.keyboard.press("Enter")
    expect(password).to_have_accessible_description(
        "That is not your password. Nothing was deleted.", ignore_case=False
    )
    expect(page.get_by_text("That is not your password. Nothing was deleted.")).to_be_visible()
    refused = [page.url]
    check(page, "account-delete-refused", problems)
    assert get_user_model().objects.filter(email=milo.email, is_active=True).exists()

    password.fill(PASSWORD)
    tab_to(page, page.get_by_role("button", name="Delete my account"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your account is deleted")).to_be_visible()
    check(page, "account-deleted", problems)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(milo.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text(
        "That email and password don't match. Check them and try again."
    )
    problems.extend(csp_violations(page))
    assert unexpected(problems, refused=refused) == [], "\n".join(problems)


def test_the_password_change_and_reset_pages(new_page, milo):
    problems: list[str] = []
    page = watched_page(new_page, problems)
    log_in(page, milo.email, PASSWORD)
    page.get_by_role("link", name="Profile").click()
    page.get_by_role("link", name="Change your password").click()
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    # The password rules (a list) are what a screen reader reads out for the new password.
    expect(page.get_by_label("New password", exact=True)).to_have_accessible_description(
        re.compile("Your password must contain at least 12 characters.")
    )
    check(page, "password-change", problems)
    page.get_by_role("button", name="Log out").click()

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    check(page, "password-reset", problems)
    page.get_by_label("Email").fill(milo.email)
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    check(page, "password-reset-sent", problems)
    assert problems == [], "\n".join(problems)


# --- a partner's own account: two-factor sign-in, and a new email address ------------------


def test_a_partner_turns_on_two_factor_and_then_logs_in_with_a_code(new_page, milo):
    problems: list[str] = []
    page = watched_page(new_page, problems)
    log_in(page, milo.email, PASSWORD)
    page.get_by_role("link", name="Profile").click()
    expect(page.get_by_role("main")).to_contain_text("Two-factor sign-in (off)")
    page.get_by_role("link", name="Two-factor sign-in").click()

    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "your password alone no longer opens your account"
    )
    check(page, "partner-two-factor-setup", problems, phone=True)
    secret = page.locator("code.secret").inner_text()
    page.get_by_label("Code from the app").fill(app_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved them — continue").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Hello, Milo")).to_be_visible()

    # Next time, the password is not enough: the code page comes before any page.
    page.get_by_role("button", name="Log out").click()
    log_in_with_code(page, milo.email)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    check(page, "partner-two-factor-verify", problems)
    page.goto("/accounts/profile/")  # typed in the address bar: still the code page
    page.wait_for_url("**/accounts/two-factor/verify/?next=%2Faccounts%2Fprofile%2F")
    expect(page.get_by_label("Code", exact=True)).to_be_focused()
    # The setup code was used; the app's next one, as half a minute later.
    page.keyboard.type(app_code(secret, steps_ahead=1))
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/profile/")
    expect(page.get_by_role("main")).to_contain_text("Two-factor sign-in (on)")

    # Turning it off asks for the password and a code (here a recovery code).
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Turn two-factor sign-in off")).to_be_visible()
    check(page, "partner-two-factor-status", problems, phone=True)
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_label("A code from your app, or a recovery code").fill(codes[0])
    page.get_by_role("button", name="Turn off two-factor sign-in").click()
    expect(page.get_by_label("Your password")).to_have_accessible_description(
        "That is not your password. Two-factor sign-in is still on."
    )
    refused = [page.url]
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("A code from your app, or a recovery code").fill(codes[0])
    page.get_by_role("button", name="Turn off two-factor sign-in").click()
    page.wait_for_url("**/accounts/profile/")
    expect(page.get_by_role("status")).to_contain_text("Two-factor sign-in is off")
    expect(page.get_by_role("main")).to_contain_text("Two-factor sign-in (off)")
    page.get_by_role("button", name="Log out").click()
    log_in(page, milo.email, PASSWORD)  # straight in again
    assert unexpected(problems, refused=refused) == [], "\n".join(problems)


@pytest.fixture
def smtp_server(settings, live_server):
    """A real SMTP server on loopback, and links in emails that lead to the live server."""
    from tests.reminders.smtp import SMTPServer

    server = SMTPServer().start()
    settings.MAILERS = server.mailer()
    settings.SITE_URL = live_server.url
    yield server
    server.stop()


def test_a_partner_changes_their_email_by_the_link_sent_there(new_page, milo, smtp_server):
    old, new = milo.email, "milo.elsewhere@example.org"
    problems: list[str] = []
    page = watched_page(new_page, problems)
    log_in(page, old, PASSWORD)
    page.get_by_role("link", name="Profile").click()
    page.get_by_role("link", name="Change email").click()
    expect(page.get_by_role("heading", name="Change your email address")).to_be_visible()
    check(page, "email-change", problems, phone=True)
    new_email = page.get_by_label("New email address")
    expect(new_email).to_have_accessible_description(
        "We send a link to this address; your email changes when you follow it."
    )
    new_email.fill(new)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_url("**/accounts/profile/")
    expect(page.get_by_role("status")).to_contain_text(f"Check the inbox of {new}")
    check(page, "email-change-sent", problems)

    [message] = smtp_server.inbox.wait_for(1, timeout=5)
    assert message["To"] == new
    assert message["Subject"] == "Confirm your new email address for Mentorship"
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"(http://\S+/accounts/email/confirm/\S+/)", text).group(1)

    # Followed later, logged out: the link waits for the login, then asks to confirm.
    page.get_by_role("button", name="Log out").click()
    page.goto(link)
    page.get_by_label("Email").fill(old)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Confirm your new email address")).to_be_visible()
    check(page, "email-change-confirm", problems, phone=True)
    page.get_by_role("button", name=f"Use {new}").click()
    page.wait_for_url("**/accounts/profile/")
    expect(page.get_by_role("status")).to_contain_text(f"Your email address is now {new}.")
    expect(page.get_by_role("main")).to_contain_text(new)

    notice = smtp_server.inbox.wait_for(2, timeout=5)[1]
    assert (notice["To"], notice["Subject"]) == (old, "Your Mentorship email address was changed")

    # The link worked once.
    page.goto(link)
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    check(page, "email-change-link-used", problems)
    refused = [link]
    page.get_by_role("button", name="Log out").click()
    log_in(page, new, PASSWORD)
    assert unexpected(problems, refused=refused) == [], "\n".join(problems)


def test_password_guesses_on_an_account_form_lead_to_the_lockout_page(new_page, milo):
    problems: list[str] = []
    page = watched_page(new_page, problems)
    log_in(page, milo.email, PASSWORD)
    page.goto("/accounts/delete/")
    for _ in range(5):
        page.get_by_label("Your password").fill("not-my-password")
        page.get_by_role("button", name="Delete my account").click()
        page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Please wait before trying again")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(
        "Too many wrong passwords for this account from your network. For your safety, "
        "please wait 15 minutes and try again"
    )
    check(page, "password-locked", problems, phone=True)
    assert get_user_model().objects.filter(email=milo.email, is_active=True).exists()
    assert unexpected(problems, refused=[page.url]) == [], "\n".join(problems)
