"""In a real Chromium: the Content-Security-Policy holds on the main pages without a single
violation, and text people write is shown as text, never run as script."""

import datetime

import pytest
from django.urls import reverse

from tests.browser.conftest import csp_violations, log_in, watched_page
from tests.builders import PASSWORD, make_coordinator_of
from tests.security.forms import DESTRUCTIVE, build_partner_world, every_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOADS = ["<script>window.__xss=1</script>", '<img src=x onerror="window.__xss=1">']


def visit(page, url: str, problems: list[str]) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    assert "content-security-policy" in response.headers, url
    problems.extend(csp_violations(page))
    assert page.evaluate("typeof window.__xss") == "undefined", f"script ran on {url}"


@pytest.fixture
def partnerships_with_every_form():
    partnerships_with_every_form = build_partner_world()
    partnerships_with_every_form.coordinator = make_coordinator_of(
        partnerships_with_every_form.partnership.programme, "Cleo Coordinator"
    )
    return partnerships_with_every_form


def partner_pages(partnerships_with_every_form) -> list[str]:
    return [
        url
        for url in partnerships_with_every_form.pages()
        if url != reverse("matching:suggestions")
    ]


def coordinator_pages(partnerships_with_every_form) -> list[str]:
    programme, partnership = (
        partnerships_with_every_form.partnership.programme,
        partnerships_with_every_form.partnership,
    )
    return [
        reverse("admin:index"),
        reverse("admin:partnerships_partnership_changelist"),
        reverse("admin:partnerships_partnership_change", args=[partnership.pk]),
        reverse("admin:goals_goal_changelist"),
        reverse("admin:partnerships_programme_dashboard", args=[programme.pk]),
        reverse("admin:partnerships_programme_matching", args=[programme.pk]),
        reverse("admin:partnerships_programme_invitations", args=[programme.pk]),
        reverse("admin:partnerships_programme_change", args=[programme.pk]),
    ]


def test_the_main_pages_run_under_the_policy_without_a_violation(
    new_page, partnerships_with_every_form
):
    problems: list[str] = []
    page = watched_page(new_page, problems)
    visit(page, reverse("login"), problems)
    log_in(page, partnerships_with_every_form.mentee.email, PASSWORD)
    for url in partner_pages(partnerships_with_every_form):
        visit(page, url, problems)
    # htmx is loaded with its nonce and works: a section updates in place.
    page.goto(
        reverse("partnerships:workspace", args=[partnerships_with_every_form.partnership.code])
    )
    page.evaluate("window.__stillHere = true")
    page.get_by_role("button", name="Sign version 1").click()
    page.locator("#agreement").get_by_text("signed", exact=False).first.wait_for()
    assert page.evaluate("window.__stillHere === true"), "the page reloaded: htmx did not run"

    admin_page = watched_page(new_page, problems)
    log_in(admin_page, partnerships_with_every_form.coordinator.email, PASSWORD)
    for url in coordinator_pages(partnerships_with_every_form):
        visit(admin_page, url, problems)
    assert problems == [], "\n".join(problems)


def test_what_people_write_is_shown_as_text_and_never_runs(
    client, new_page, partnerships_with_every_form
):
    # Every text field of every form either partner can submit, through the real views.
    written = 0
    for person in (partnerships_with_every_form.mentee, partnerships_with_every_form.mentor):
        for n, form in enumerate(every_form(client, partnerships_with_every_form, person)):
            if form.name in DESTRUCTIVE or not form.text_fields:
                continue
            payload = dict(form.fields)
            # A meeting's empty date and time need real values for its words to be saved.
            for name in payload:
                if name.endswith("day") and not payload[name]:
                    payload[name] = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
                elif name.endswith("start_time") and not payload[name]:
                    payload[name] = "10:00"
            for i, name in enumerate(form.text_fields):
                if name != "time_zone":
                    payload[name] = PAYLOADS[(n + i) % 2]
            response = client.post(form.action, payload)
            assert response.status_code in (200, 302), (form.action, response.status_code)
            written += 1
    assert written >= 10

    problems: list[str] = []
    page = watched_page(new_page, problems)
    log_in(page, partnerships_with_every_form.mentee.email, PASSWORD)
    for url in partner_pages(partnerships_with_every_form):
        visit(page, url, problems)
    page.goto(
        reverse("partnerships:workspace", args=[partnerships_with_every_form.partnership.code])
    )
    shown = page.locator("main").inner_text()
    assert PAYLOADS[0] in shown and PAYLOADS[1] in shown  # shown, as text

    admin_page = watched_page(new_page, problems)
    log_in(admin_page, partnerships_with_every_form.coordinator.email, PASSWORD)
    for url in coordinator_pages(partnerships_with_every_form):
        visit(admin_page, url, problems)
    changelist = reverse("admin:partnerships_partnership_changelist")
    admin_page.goto(changelist)
    assert any(p in admin_page.locator("#result_list").inner_text() for p in PAYLOADS)
    assert problems == [], "\n".join(problems)
