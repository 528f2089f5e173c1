"""The workspace shows the latest check-ins; the history pages hold the rest."""

import datetime

from django.urls import reverse

from partnerships import services
from partnerships.models import Partnership
from workspace.page import LATEST_CHECKINS, OLDER_LISTED


def log_checkins(partnership, person, count):
    start = datetime.date(2025, 1, 6)
    Partnership.objects.filter(pk=partnership.pk).update(started_on=start)
    partnership.refresh_from_db()
    return [
        services.checkin_start(
            partnership=partnership, by=person, held_on=start + datetime.timedelta(days=7 * n)
        )
        for n in range(count)
    ]


def test_the_workspace_shows_the_latest_checkin_in_full_and_lists_those_before_it(
    client, partnership, mentee
):
    checkins = log_checkins(partnership, mentee, LATEST_CHECKINS + OLDER_LISTED + 2)
    client.force_login(mentee)
    page = client.get(reverse("partnerships:workspace", args=[partnership.code])).content.decode()
    newest, listed, unlisted = checkins[-1], checkins[-2:-14:-1], checkins[:2]
    assert f'<article class="checkin" id="checkin-{newest.code}"' in page
    for checkin in listed:
        url = reverse("partnerships:checkin", args=[checkin.code])
        assert f'<a href="{url}" data-hx-get="{url}" data-hx-target="#checkin-reader"' in page
        assert f'id="checkin-{checkin.code}"' not in page  # a link, not expanded
    for checkin in unlisted:
        assert str(checkin.code) not in page
    assert page.count('<article class="checkin"') == 1
    history = reverse("partnerships:checkin_history", args=[partnership.code])
    assert f'<a href="{history}">All check-ins, from the first →</a>' in page


def test_an_earlier_checkin_opens_alone_in_the_workspace_with_htmx(client, partnership, mentee):
    oldest = log_checkins(partnership, mentee, 3)[0]
    client.force_login(mentee)
    url = reverse("partnerships:checkin", args=[oldest.code])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith(f'<article class="checkin" id="checkin-{oldest.code}"')
    assert "<html" not in fragment
    assert '<h4 id="checkin-title-' in fragment  # under the workspace's "Earlier check-ins"
    page = client.get(url).content.decode()  # without JavaScript: its own page
    assert page.startswith("<!doctype html>")
    assert '<h2 id="checkin-title-' in page


def test_the_history_pages_list_every_checkin_newest_first(client, partnership, mentee):
    checkins = log_checkins(partnership, mentee, 25)
    client.force_login(mentee)
    url = reverse("partnerships:checkin_history", args=[partnership.code])
    first = client.get(url)
    second = client.get(url, {"page": 2})
    assert first.status_code == second.status_code == 200
    assert [c.pk for c in first.context["checkins"]] == [c.pk for c in checkins[::-1][:20]]
    assert [c.pk for c in second.context["checkins"]] == [c.pk for c in checkins[::-1][20:]]
    assert "25 check-ins, newest first." in first.content.decode()


def test_an_old_checkin_still_has_its_own_page(client, partnership, mentee):
    oldest = log_checkins(partnership, mentee, LATEST_CHECKINS + 2)[0]
    client.force_login(mentee)
    response = client.get(reverse("partnerships:checkin", args=[oldest.code]))
    assert response.status_code == 200
    assert response.context["checkin"].pk == oldest.pk


def test_a_nonsense_page_number_shows_the_last_page(client, partnership, mentee):
    log_checkins(partnership, mentee, 3)
    client.force_login(mentee)
    url = reverse("partnerships:checkin_history", args=[partnership.code])
    assert client.get(url, {"page": "x' OR 1=1"}).status_code == 200
    assert client.get(url, {"page": 999}).status_code == 200


def test_outsiders_get_no_history(client, partnership, outsider, coordinator):
    url = reverse("partnerships:checkin_history", args=[partnership.code])
    for person in (outsider, coordinator):
        client.force_login(person)
        assert client.get(url).status_code == 404


def test_only_the_latest_checkin_carries_its_forms_and_older_ones_link_to_theirs(
    client, partnership, mentee
):
    latest, older = log_checkins(partnership, mentee, 2)[::-1]
    client.force_login(mentee)
    page = client.get(reverse("partnerships:workspace", args=[partnership.code])).content.decode()
    contribute = reverse("partnerships:checkin_contribute", args=[latest.code])
    assert f'action="{contribute}"' in page
    assert reverse("partnerships:checkin_contribute", args=[older.code]) not in page
    own_page = reverse("partnerships:checkin", args=[older.code])
    assert f'<a href="{own_page}" data-hx-get="{own_page}"' in page
    there = client.get(own_page).content.decode()
    assert reverse("partnerships:checkin_contribute", args=[older.code]) in there
    assert reverse("partnerships:feedback_give", args=[older.code]) in there


HTMX = {"HX-Request": "true"}


def test_feedback_on_an_old_checkins_own_page_answers_htmx_with_that_checkin(
    client, partnership, mentor, mentee
):
    oldest = log_checkins(partnership, mentee, LATEST_CHECKINS + 2)[0]
    client.force_login(mentee)
    response = client.post(
        reverse("partnerships:feedback_give", args=[oldest.code]),
        {f"fb-{oldest.code}-rating": "4", f"fb-{oldest.code}-comment": "Steady", "page": "checkin"},
        headers=HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith(f'<article class="checkin" id="checkin-{oldest.code}"')
    assert '<p class="notice" role="status">Thank you. Mara can now read your feedback.</p>' in page
    assert "4/5</span> from you to Mara" in page
    assert list(oldest.feedback.values_list("author", "rating")) == [(mentee.pk, 4)]


def test_your_part_on_an_old_checkins_own_page_answers_htmx_with_that_checkin(
    client, partnership, mentor, mentee
):
    oldest = log_checkins(partnership, mentee, LATEST_CHECKINS + 2)[0]
    client.force_login(mentor)
    prefix = f"c-{oldest.code}"
    response = client.post(
        reverse("partnerships:checkin_contribute", args=[oldest.code]),
        {f"{prefix}-text": "Good pace", f"{prefix}-visibility": "shared", "page": "checkin"},
        headers=HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith(f'<article class="checkin" id="checkin-{oldest.code}"')
    assert '<p class="notice" role="status">Your part of the check-in is saved.</p>' in page
    assert "<p>Good pace</p>" in page
    assert list(oldest.reflections.values_list("author", "text")) == [(mentor.pk, "Good pace")]


def test_feedback_on_an_old_checkin_without_javascript_returns_to_its_page(
    client, partnership, mentor, mentee
):
    oldest = log_checkins(partnership, mentee, LATEST_CHECKINS + 2)[0]
    client.force_login(mentee)
    response = client.post(
        reverse("partnerships:feedback_give", args=[oldest.code]),
        {f"fb-{oldest.code}-rating": "5", "page": "checkin"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("partnerships:checkin", args=[oldest.code]), 302)]
    page = response.content.decode()
    assert "Thank you. Mara can now read your feedback." in page
    assert "5/5</span> from you to Mara" in page


def test_an_old_checkin_posted_from_the_workspace_answers_htmx_too(
    client, partnership, mentor, mentee
):
    """A tab opened when the check-in was the latest, submitted after ten more were logged."""
    oldest = log_checkins(partnership, mentee, LATEST_CHECKINS + 2)[0]
    client.force_login(mentee)
    response = client.post(
        reverse("partnerships:feedback_give", args=[oldest.code]),
        {f"fb-{oldest.code}-rating": "3"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response.content.decode().startswith(
        f'<article class="checkin" id="checkin-{oldest.code}"'
    )
    assert list(oldest.feedback.values_list("rating", flat=True)) == [3]
