"""Surveys in the admin: built-in templates are read and copied, never edited, by
coordinators; a copy is the programme's own to edit; results are figures over three or more
people only, on the page, in the CSV and through every group filter, and free text only
from those who agreed, without names."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Programme, Survey, SurveyResponse
from partnerships.services.surveys import survey_answer, survey_copy
from partnerships.survey_results import TOO_FEW, results_rows
from tests.builders import builtin_survey, make_partnership, make_user

DAY = datetime.timedelta(days=1)
CHANGELIST = "/admin/partnerships/survey/"


@pytest.fixture
def closing(programme, coordinator):
    """The closing survey, copied into a programme in its wrap-up."""
    Programme.objects.filter(pk=programme.pk).update(ends_on=timezone.localdate() + DAY * 5)
    programme.refresh_from_db()
    return survey_copy(survey=builtin_survey("closing"), programme=programme, by=coordinator)


def pairs(programme, count: int):
    return [
        make_partnership(programme, make_user(f"Mentor {i}"), make_user(f"Mentee {i}"))
        for i in range(count)
    ]


def answer(survey, partnership, user, *, value=4, text="", share=False):
    questions = {}
    for question in survey.questions.order_by("-position", "-pk"):
        questions[question.kind] = question  # the first of each kind
    return survey_answer(
        partnership=partnership,
        survey=survey,
        round_key="closing",
        by=user,
        answers={
            questions["scale"].pk: value,
            questions["several"].pk: ["Confidence", "New skills"],
            questions["text"].pk: text,
        },
        share_text=share,
    )


def figure_cells(survey, role=None) -> dict[tuple[str, str], object]:
    return {(row[3], row[5]): row[6] for row in list(results_rows(survey, role=role))[1:]}


def test_a_coordinator_reads_and_copies_templates_but_edits_only_the_copy(
    as_coordinator, programme, other_programme
):
    template = builtin_survey("pulse")
    listing = as_coordinator.get(CHANGELIST)
    assert "Built-in template" in listing.text
    change = reverse("admin:partnerships_survey_change", args=[template.pk])
    assert as_coordinator.get(change).status_code == 200  # to read
    assert 'name="_save"' not in as_coordinator.get(change).text
    response = as_coordinator.post(
        CHANGELIST, {"action": "copy", "_selected_action": [template.pk]}
    )
    assert response.status_code == 200  # the form asking where to
    assert other_programme.name not in response.text  # not theirs to choose
    assert f'<input type="hidden" name="_selected_action" value="{template.pk}">' in response.text
    assert '<input type="hidden" name="action" value="copy">' in response.text
    response = as_coordinator.post(
        CHANGELIST,
        {
            "action": "copy",
            "_selected_action": [template.pk],
            "apply": "1",
            "programme": other_programme.pk,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Survey.objects.filter(programme=other_programme).exists()
    response = as_coordinator.post(
        CHANGELIST,
        {
            "action": "copy",
            "_selected_action": [template.pk],
            "apply": "1",
            "programme": programme.pk,
            "title": "Our pulse",
        },
    )
    copy = Survey.objects.get(programme=programme)
    assert response.status_code == 302
    assert response.url == reverse("admin:partnerships_survey_change", args=[copy.pk])
    assert (copy.title, copy.questions.count()) == ("Our pulse", template.questions.count())
    edit = as_coordinator.get(response.url)
    assert 'name="_save"' in edit.text
    template.refresh_from_db()
    assert template.title == "Pulse check"


def test_another_programmes_survey_and_its_results_are_not_found(
    client, other_coordinator, closing, programme
):
    client.force_login(other_coordinator)
    change = reverse("admin:partnerships_survey_change", args=[closing.pk])
    assert client.get(change).status_code == 302  # the admin's "not found" for a change page
    results = reverse("admin:partnerships_programme_surveys", args=[programme.pk])
    assert client.get(results).status_code == 404
    csv = reverse("admin:partnerships_programme_survey_results", args=[programme.pk])
    assert client.get(csv).status_code == 404


def test_figures_appear_from_three_answers_and_free_text_only_if_shared(
    as_coordinator, programme, closing, html_checker
):
    partnerships = pairs(programme, 3)
    answer(
        closing, partnerships[0], partnerships[0].mentee.user, value=5, text="Keep it", share=True
    )
    answer(closing, partnerships[1], partnerships[1].mentee.user, value=3, text="Secret words")
    url = reverse("admin:partnerships_programme_surveys", args=[programme.pk])
    page = as_coordinator.get(url)
    assert page.status_code == 200
    assert "too few answers" in page.text
    assert "average" not in page.text
    assert "Keep it" not in page.text
    assert set(figure_cells(closing).values()) == {TOO_FEW}
    answer(closing, partnerships[2], partnerships[2].mentee.user, value=4, text="More calls")
    page = as_coordinator.get(url)
    assert "average 4.0" in page.text
    assert "Keep it" in page.text
    assert "Secret words" not in page.text  # their authors did not agree
    assert "More calls" not in page.text
    for partnership in partnerships:
        assert partnership.mentee.user.name not in page.text
    cells = figure_cells(closing)
    assert cells[("Overall, how valuable was the programme for you?", "average")] == 4.0
    assert cells[("What did you gain?", "Confidence")] == 3
    assert cells[("What should we keep, and what should we change?", "shared answer")] == (
        "Keep it"
    )
    assert html_checker.errors(page) == []
    csv = as_coordinator.get(
        reverse("admin:partnerships_programme_survey_results", args=[programme.pk])
    )
    body = b"".join(csv.streaming_content).decode()
    assert "Keep it" in body and "Secret words" not in body


def test_no_group_filter_singles_anyone_out(as_coordinator, programme, closing):
    """Three mentees and one mentor answered: everyone's figure is four people, but the
    mentees' figure would give away the mentor's answer by subtraction, so neither group
    is shown, on the page or in the CSV."""
    partnerships = pairs(programme, 3)
    for p in partnerships:
        answer(closing, p, p.mentee.user, value=4)
    answer(closing, partnerships[0], partnerships[0].mentor.user, value=1)
    assert figure_cells(closing)[("Overall, how valuable was the programme for you?", "average")]
    for role in ("mentor", "mentee"):
        assert set(figure_cells(closing, role).values()) == {TOO_FEW}
    url = reverse("admin:partnerships_programme_surveys", args=[programme.pk])
    for group in ("mentors", "mentees"):
        page = as_coordinator.get(url, {"survey": closing.pk, "group": group})
        assert "average" not in page.text
        csv = as_coordinator.get(
            reverse("admin:partnerships_programme_survey_results", args=[programme.pk]),
            {"survey": closing.pk, "group": group},
        )
        rows = b"".join(csv.streaming_content).decode().splitlines()[1:]
        assert rows and all(row.rstrip('"').endswith(TOO_FEW) for row in rows)
    assert SurveyResponse.objects.count() == 4
