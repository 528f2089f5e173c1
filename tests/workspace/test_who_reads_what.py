"""Every form that asks for partners' words or ratings says who reads them, and what the
coordinator sees follows the models' PRIVATE_FIELDS."""

import pytest

from partnerships import services
from partnerships.models import Feedback
from tests.builders import today_for
from tests.reading import text_of, workspace


@pytest.fixture
def checkin(partnership, mentee):
    return services.checkin_start(
        partnership=partnership, by=mentee, held_on=today_for(mentee), agenda="Speaking up"
    )


def test_the_feedback_form_says_the_coordinator_sees_the_rating(
    client, partnership, checkin, mentor
):
    page = text_of(workspace(client, mentor, partnership))
    assert (
        "Milo reads your rating and note. Your coordinator can see the rating, never the note."
        in page
    )
    assert "Only Milo and you can read it" not in page


def test_the_part_forms_say_who_reads_what(client, partnership, checkin, mentee):
    page = text_of(workspace(client, mentee, partnership))
    for line in (
        "Mara reads the agenda too. Your coordinator never sees it.",
        "Private: only you read it. Shared: Mara reads it too. "
        "Your coordinator never sees the text, whichever you choose.",
        "Mara sees the step too. Your coordinator can see who owns it and when it is due, "
        "never the step itself.",
        "Mara reads the whole goal. Your coordinator can see the title, the target date and "
        "its status, never the description or how you'll know.",
        "Mara reads and signs every term. Your coordinator can see how often you meet and "
        "when each of you signs, never how you meet, the response time, what stays "
        "confidential, off-limits topics, other expectations or your note on the change.",
    ):
        assert line in page


def test_the_lines_follow_the_private_fields(client, partnership, checkin, mentor, monkeypatch):
    """Mark the rating private, and the feedback form says so without anyone editing it."""
    monkeypatch.setattr(Feedback, "PRIVATE_FIELDS", ("comment", "rating"))
    page = text_of(workspace(client, mentor, partnership))
    assert "Your coordinator never sees the rating or the note." in page


def test_a_line_naming_a_field_that_does_not_exist_is_an_error(partnership):
    from django.core.exceptions import FieldDoesNotExist
    from django.template import Context, Template

    template = Template(
        '{% load workspace %}{% coordinator_sees "partnerships.Feedback" stars="the stars" %}'
    )
    with pytest.raises(FieldDoesNotExist):
        template.render(Context())


def test_the_closing_reflection_form_says_who_reads_it(client, partnership, mentor, mentee):
    services.partnership_complete(partnership=partnership, by=mentor)
    page = text_of(workspace(client, mentee, partnership))
    assert (
        "Private: only you read it. Shared: Mara reads it too. "
        "Your coordinator never sees the text, whichever you choose." in page
    )
