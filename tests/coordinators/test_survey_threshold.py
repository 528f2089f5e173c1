"""The three-answer threshold through every filter a coordinator can combine: a group of
two people (mentors or mentees) never shows a figure, on the Surveys page or in its CSV,
even when everyone's figure (five people) is shown; the Outcomes page's survey figures and
their CSV say "too few answers" below three; and a third answer shows them."""

import csv
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Programme
from partnerships.services.surveys import survey_copy
from partnerships.survey_results import TOO_FEW
from tests.builders import builtin_survey
from tests.coordinators.test_surveys import answer, pairs
from tests.reading import text_of

DAY = datetime.timedelta(days=1)
VALUABLE = "Overall, how valuable was the programme for you?"


@pytest.fixture
def closing(programme, coordinator):
    Programme.objects.filter(pk=programme.pk).update(ends_on=timezone.localdate() + DAY * 5)
    programme.refresh_from_db()
    return survey_copy(survey=builtin_survey("closing"), programme=programme, by=coordinator)


def csv_rows(client, programme, survey, group):
    response = client.get(
        reverse("admin:partnerships_programme_survey_results", args=[programme.pk]),
        {"survey": survey.pk, "group": group},
    )
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode().splitlines()[1:]


def test_two_mentors_beside_three_mentees_are_never_singled_out(as_coordinator, programme, closing):
    partnerships = pairs(programme, 3)
    for p in partnerships:
        answer(closing, p, p.mentee.user, value=4)
    for p in partnerships[:2]:
        answer(closing, p, p.mentor.user, value=1)  # two mentors
    url = reverse("admin:partnerships_programme_surveys", args=[programme.pk])

    everyone = text_of(as_coordinator.get(url, {"survey": closing.pk}).text)
    assert "5 people answered" in everyone
    assert "average 2.8 of 5" in everyone  # (4 + 4 + 4 + 1 + 1) / 5
    for group in ("mentors", "mentees"):
        words = text_of(as_coordinator.get(url, {"survey": closing.pk, "group": group}).text)
        assert "people answered" not in words
        assert "average" not in words
        assert "too few answers" in words
        rows = csv_rows(as_coordinator, programme, closing, group)
        assert rows and all(row.endswith(f'"{TOO_FEW}"') for row in rows)
        assert {row[4] for row in csv.reader(rows)} == {""}  # not even how many answered

    answer(closing, partnerships[2], partnerships[2].mentor.user, value=1)  # a third mentor
    mentors = text_of(as_coordinator.get(url, {"survey": closing.pk, "group": "mentors"}).text)
    assert "3 people answered" in mentors
    assert "average 1.0 of 5" in mentors
    rows = csv_rows(as_coordinator, programme, closing, "mentees")
    assert f'"{VALUABLE}","3","average","4.0"' in "\n".join(rows)


def test_outcomes_survey_figures_need_three_answers_on_the_page_and_in_csv(
    as_coordinator, programme, closing
):
    partnerships = pairs(programme, 3)
    for p in partnerships[:2]:
        answer(closing, p, p.mentee.user, value=5)
    url = reverse("admin:partnerships_programme_outcomes", args=[programme.pk])
    csv_url = reverse("admin:partnerships_programme_outcome_figure", args=[programme.pk])

    def trend():
        body = b"".join(
            as_coordinator.get(csv_url, {"figure": "surveys"}).streaming_content
        ).decode()
        return body.splitlines()[1:]

    assert trend() == [f'"{closing.title}","At the wrap-up","","{TOO_FEW}"']
    page = as_coordinator.get(url).text
    section = page.split('id="surveys"')[1].split("</section>")[0]
    assert "<svg" not in section  # nothing to draw
    assert TOO_FEW in section and "5.0" not in section
    compare = as_coordinator.get(reverse("admin:partnerships_programme_compare"), {"format": "csv"})
    assert b"".join(compare.streaming_content).decode().splitlines()[1].endswith('""')

    answer(closing, partnerships[2], partnerships[2].mentee.user, value=2)
    assert trend() == [f'"{closing.title}","At the wrap-up","3","4.0"']
