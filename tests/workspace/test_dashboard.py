"""The dashboard: every partnership, what waits for this person, and recent activity."""

from django.urls import reverse

from tests.workspace_world import build_world


def test_the_mentee_sees_everything_that_waits_for_them(client, partnership, mentor, mentee):
    world = build_world(partnership, mentor, mentee)
    client.force_login(mentee)
    page = client.get(reverse("home")).content.decode()
    workspace = reverse("partnerships:workspace", args=[partnership.code])
    assert f'<a href="{workspace}">Mara Mentor</a>' in page
    assert "Sign agreement version 1" in page
    assert "Adopt or decline “Blog”" in page
    assert "Decide on a change to “Speak up”" in page
    assert f"#checkin-{world.checkin.code}" in page  # feedback not given yet
    assert "Draft notes" in page  # their open next step
    assert '<span class="count">5</span>' in page
    assert "Mara</span> proposed the goal “Blog”" in page


def test_the_mentor_is_not_asked_to_decide_the_mentees_goals(client, partnership, mentor, mentee):
    build_world(partnership, mentor, mentee)
    client.force_login(mentor)
    page = client.get(reverse("home")).content.decode()
    assert "Adopt or decline" not in page
    assert "Sign agreement version 1" in page


def test_someone_without_a_partnership_is_told_what_happens_next(client, outsider):
    client.force_login(outsider)
    page = client.get(reverse("home")).content.decode()
    assert "You are not in a partnership yet." in page
    assert "You're all caught up." in page
