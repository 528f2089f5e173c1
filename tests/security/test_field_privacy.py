"""Field-level privacy: what partners write to each other (reflections, agendas, agreement
terms, goal descriptions, feedback comments, closing reflections) never reaches a
coordinator, nor a superuser through the admin: not on any admin page, not in the CSV
exports, not on the programme dashboard, not in the coordinator digest email."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from partnerships import services
from partnerships.models import Reminder
from partnerships.reminders.compose import compose
from tests.admin.test_scoping import SECRETS, fill_with_private_words
from tests.builders import make_user

LOW_RATING_COMMENT = "FEEDBACK-low-rating-comment"


@pytest.fixture
def secrets_world(partnership):
    """A partnership full of private words, at risk (a low rating), so that it is listed
    everywhere a coordinator looks: dashboard, exports and digest."""
    checkin, _goal = fill_with_private_words(partnership)
    services.feedback_give(
        checkin=checkin, by=partnership.mentee.user, rating=1, comment=LOW_RATING_COMMENT
    )
    return partnership


def leaks(text: str) -> list[str]:
    return [s for s in [*SECRETS.values(), LOW_RATING_COMMENT] if s in text]


def every_admin_page(programme):
    """Each changelist, and each object's change and history page, across the admin."""
    for model in admin.site._registry:
        opts = model._meta
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for obj in model._default_manager.all()[:50]:
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
    for page in ("dashboard", "matching", "invitations"):
        yield reverse(f"admin:partnerships_programme_{page}", args=[programme.pk])


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_no_admin_page_shows_what_partners_wrote(client, secrets_world, coordinator, who):
    person = coordinator if who == "coordinator" else make_user("Sue", is_staff=True,
                                                                is_superuser=True)  # fmt: skip
    client.force_login(person)
    seen = 0
    for url in every_admin_page(secrets_world.programme):
        response = client.get(url)
        if response.status_code != 200:
            continue
        seen += 1
        assert leaks(response.content.decode()) == [], url
    assert seen > 40


def test_the_dashboard_lists_the_partnership_without_its_words(client, secrets_world, coordinator):
    client.force_login(coordinator)
    url = reverse("admin:partnerships_programme_dashboard", args=[secrets_world.programme.pk])
    page = client.get(url).content.decode()
    assert secrets_world.mentee.user.name in page  # listed, at risk ...
    assert leaks(page) == []  # ... and nothing they wrote


@pytest.mark.parametrize("export", ["export_partnerships", "export_goals"])
def test_the_csv_exports_carry_metadata_only(client, secrets_world, coordinator, export):
    client.force_login(coordinator)
    url = reverse(f"admin:partnerships_programme_{export}", args=[secrets_world.programme.pk])
    text = b"".join(client.get(url).streaming_content).decode()
    assert secrets_world.mentee.user.name in text or "Visible goal title 2" in text
    assert leaks(text) == []


def test_the_coordinator_digest_email_carries_metadata_only(secrets_world, coordinator):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    digest = Reminder.objects.create(
        recipient=coordinator,
        kind="coordinator_digest",
        programme=secrets_world.programme,
        subject_key=f"programme:{secrets_world.programme.pk}",
        period=f"{monday.isocalendar().year}-W{monday.isocalendar().week:02d}",
        due_on=monday,
        send_after=timezone.now(),
    )
    message = compose(digest)
    html = "".join(content for content, _type in message.alternatives)
    assert secrets_world.mentee.user.name in message.body  # the partnership at risk is named
    for part in (message.subject, message.body, html):
        assert leaks(part) == []
