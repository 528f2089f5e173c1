"""Free text is capped, with a clear message and nothing saved."""

from django.urls import reverse

from goals.models import Goal
from mentorship.limits import LONG_TEXT_MAX
from workspace.forms.partnership import ReflectionForm


def test_a_goal_description_over_the_cap_is_refused_and_kept(client, partnership, mentee):
    client.force_login(mentee)
    too_long = "x" * (LONG_TEXT_MAX + 1)
    response = client.post(
        reverse("goals:create", args=[partnership.code, "mentee"]),
        {"goal-mentee-title": "Lead a meeting", "goal-mentee-description": too_long},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert (
        f"Ensure this value has at most {LONG_TEXT_MAX} characters (it has {LONG_TEXT_MAX + 1})."
        in page
    )
    assert "Lead a meeting" in page  # what was typed is kept
    assert not Goal.objects.exists()


def test_text_at_the_cap_is_fine():
    form = ReflectionForm(data={"text": "y" * LONG_TEXT_MAX, "visibility": "private"})
    assert "text" not in form.errors
    assert form.fields["text"].widget.attrs["maxlength"] == str(LONG_TEXT_MAX)
