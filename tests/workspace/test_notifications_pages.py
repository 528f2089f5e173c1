"""The notifications list and the bell: one's own only, marked read when seen, the count
refreshed by htmx, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals import services as goal_services
from goals.models import Goal
from partnerships.models import Notification
from tests.reading import text_of


def propose(partnership, mentor, n: int) -> None:
    for i in range(n):
        goal_services.goal_create(
            partnership=partnership, by=mentor, title=f"Idea {i}", owner_role="mentee"
        )


def test_the_bell_counts_unread_notifications_on_every_page(client, partnership, mentor, mentee):
    propose(partnership, mentor, 2)
    client.force_login(mentee)
    page = client.get(reverse("home"))
    assert (
        '</svg> Notifications <span class="count">2'
        '<span class="visually-hidden"> unread</span></span>' in page.text
    )
    bell = f'data-hx-get="{reverse("notifications:count")}" data-hx-trigger="every 60s"'
    assert bell in page.text


def test_the_list_shows_them_newest_first_and_marks_them_read(client, partnership, mentor, mentee):
    propose(partnership, mentor, 2)
    client.force_login(mentee)
    page = client.get(reverse("notifications:list"))
    words = text_of(page.text)
    assert words.index("Mara proposed a goal for you: “Idea 1”") < words.index(
        "Mara proposed a goal for you: “Idea 0”"
    )
    assert page.text.count('<span class="badge new">New</span>') == 2  # new this time
    assert Notification.objects.unread().count() == 0
    again = client.get(reverse("notifications:list"))
    assert '<span class="badge new">' not in again.text
    assert '<span class="count">' not in again.text.split("</nav>")[0]


def test_each_notification_links_to_its_page(client, partnership, mentor, mentee):
    propose(partnership, mentor, 1)
    goal = Goal.objects.get(partnership=partnership)
    client.force_login(mentee)
    page = client.get(reverse("notifications:list"))
    assert f'<a href="{reverse("goals:detail", args=[goal.code])}">' in page.text


def test_nobody_sees_anyone_elses(client, partnership, mentor, mentee, outsider):
    propose(partnership, mentor, 1)
    client.force_login(outsider)
    page = client.get(reverse("notifications:list"))
    assert "Idea 0" not in page.text
    assert Notification.objects.unread().count() == 1  # the mentee's, untouched


def test_the_count_fragment_for_htmx(client, partnership, mentor, mentee):
    propose(partnership, mentor, 3)
    client.force_login(mentee)
    fragment = client.get(reverse("notifications:count"), headers={"HX-Request": "true"})
    assert fragment.text.startswith('<a href="/notifications/" id="bell"')
    assert '<span class="count">3<span class="visually-hidden"> unread</span></span>' in (
        fragment.text
    )
    assert "<html" not in fragment.text


def test_mark_all_read_is_a_post(client, partnership, mentor, mentee):
    propose(partnership, mentor, 2)
    client.force_login(mentee)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert Notification.objects.unread().count() == 0


@pytest.mark.parametrize("name", ["notifications:list", "notifications:count"])
def test_the_pages_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_costs_the_same_with_one_or_thirty(client, programme, mentor, django_db_blocker):
    from tests.builders import make_partnership, make_user

    counts = []
    for n in (1, 30):
        person = make_user(f"Mentee {n}")
        propose(make_partnership(programme, mentor, person), mentor, n)
        client.force_login(person)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("notifications:list"))
        assert page.status_code == 200
        assert page.text.count('<li class="notification') == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_page_is_valid_html(client, partnership, mentor, mentee, html_checker):
    propose(partnership, mentor, 2)
    client.force_login(mentee)
    assert html_checker.errors(client.get(reverse("notifications:list"))) == []
    assert html_checker.errors(client.get(reverse("reminders:preferences"))) == []
