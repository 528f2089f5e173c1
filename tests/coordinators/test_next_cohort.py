"""The next cohort: a programme duplicated from its admin, with the people the coordinator
chooses. Settings, sign-up and surveys are copied; nothing the partners wrote is, checked
by enumerating every model of the data apps; another programme's coordinator gets a 404
and nothing is written."""

import datetime

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from goals.models import Goal
from partnerships.models import (
    CheckIn,
    ClosingReflection,
    CoordinatorAction,
    Feedback,
    Participant,
    Partnership,
    ProfileAnswer,
    Programme,
    ProgrammeIntake,
    Reflection,
    SignupQuestion,
    Survey,
    SurveyAnswer,
    SurveyResponse,
)
from partnerships.privacy import DATA_APPS, private_fields
from partnerships.services.surveys import survey_copy
from tests.builders import builtin_survey, join, make_partnership, make_user
from tests.coordinators.conftest import page

SECRET = "SECRET-WORDS"
# What a new cohort may hold: its own settings and people, and the records of doing it.
CREATED_BY_DUPLICATING = {
    "partnerships.Programme",
    "partnerships.ProgrammeIntake",
    "partnerships.SignupQuestion",
    "partnerships.Survey",
    "partnerships.SurveyQuestion",
    "partnerships.Participant",
    "partnerships.ProfileAnswer",
    "partnerships.Partnership",  # a pair proposed again: both must accept
    "partnerships.Activity",  # "proposed the partnership"
    "partnerships.Notification",  # each partner is asked to accept
    "partnerships.Reminder",  # ... and its email rides the outbox
    "partnerships.CoordinatorAction",
}


def next_cohort_url(programme) -> str:
    return page("next_cohort", programme)


@pytest.fixture
def cohort_world(programme, coordinator, partnership, mentor, mentee):
    """Spring Cohort with sign-up, a survey answered, a pair who met and wrote (every kind
    of private text), a mentor without a mentee and a mentee never matched."""
    Programme.objects.filter(pk=programme.pk).update(
        checkin_cadence_days=21,
        time_zone="Pacific/Auckland",
        wrap_up_days=10,
        health_grace_days=3,
        retention_months=6,
        retention_includes_shared=True,
        delivery_hour=8,
    )
    programme.refresh_from_db()
    intake = ProgrammeIntake.objects.create(
        programme=programme, signup_open=True, roles="both", mentor_places=12
    )
    question = SignupQuestion.objects.create(
        programme=programme,
        text="Which track?",
        kind="one",
        options="Engineering\nDesign",
        is_criterion=True,
        position=1,
    )
    SignupQuestion.objects.create(programme=programme, text="Why join?", kind="long", position=2)
    ProfileAnswer.objects.create(
        participant=partnership.mentee, question=question, choices=["Design"]
    )
    closing = survey_copy(survey=builtin_survey("closing"), programme=programme, by=coordinator)
    response = SurveyResponse.objects.create(
        survey=closing, round="closing", respondent=mentee, partnership=partnership, role="mentee"
    )
    SurveyAnswer.objects.create(
        response=response, question=closing.questions.filter(kind="text").get(), text=SECRET
    )
    checkin = CheckIn.objects.create(
        partnership=partnership, held_on=programme.starts_on, started_by=mentee, agenda=SECRET
    )
    Reflection.objects.create(checkin=checkin, author=mentee, text=SECRET, visibility="private")
    Feedback.objects.create(
        checkin=checkin, author=mentor, recipient=mentee, rating=5, comment=SECRET
    )
    Goal.objects.create(
        partnership=partnership, title="Lead a meeting", description=SECRET, proposed_by=mentee
    )
    ClosingReflection.objects.create(partnership=partnership, author=mentee, text=SECRET)
    Participant.objects.filter(pk=partnership.mentor.pk).update(
        bio="Twenty years in design leadership.", languages="English, Māori", capacity=2
    )
    lone_mentor = join(programme, make_user("Lena Lonementor"), "mentor", capacity=2)
    waiting = join(programme, make_user("Wes Waiting"), "mentee", interests="design")
    declined_only = make_partnership(
        programme, lone_mentor.user, make_user("Dora Declined"), active=False
    )
    Partnership.objects.filter(pk=declined_only.pk).update(status="ended_early", ended_on=None)
    return {
        "intake": intake,
        "question": question,
        "closing": closing,
        "lone_mentor": lone_mentor,
        "waiting": waiting,
        "declined_only": declined_only,
    }


def form_data(**extra):
    data = {
        "name": "Spring Cohort 2027",
        "slug": "spring-2027",
        "starts_on": "2027-03-01",
        "ends_on": "2027-08-31",
    }
    return {**data, **extra}


def rows_of_every_model() -> dict[str, set]:
    return {
        model._meta.label: set(model.objects.values_list("pk", flat=True))
        for app in DATA_APPS
        for model in apps.get_app_config(app).get_models()
    }


def text_values(row) -> list[str]:
    return [
        str(getattr(row, field.attname))
        for field in row._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField, models.JSONField))
    ]


def test_the_next_cohort_copies_settings_sign_up_and_surveys_and_the_people_chosen(
    as_coordinator, coordinator, programme, partnership, cohort_world
):
    response = as_coordinator.get(next_cohort_url(programme))
    assert response.status_code == 200
    text = response.content.decode()
    # Offered: both mentors, the mentee never matched (and the one whose match never began),
    # and the pair who met.
    assert "Lena Lonementor" in text and "Wes Waiting" in text and "Dora Declined" in text
    assert "Milo Mentee with Mara Mentor (active)" in text

    response = as_coordinator.post(
        next_cohort_url(programme),
        form_data(
            mentors=[cohort_world["lone_mentor"].pk],
            mentees=[cohort_world["waiting"].pk],
            pairs=[partnership.pk],
        ),
    )
    cohort = Programme.objects.get(slug="spring-2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:partnerships_programme_change", args=[cohort.pk])
    assert (cohort.name, cohort.starts_on, cohort.ends_on, cohort.follows) == (
        "Spring Cohort 2027",
        datetime.date(2027, 3, 1),
        datetime.date(2027, 8, 31),
        programme,
    )
    settings = ("checkin_cadence_days", "time_zone", "wrap_up_days", "health_grace_days")
    settings += ("retention_months", "retention_includes_shared", "delivery_hour")
    assert [getattr(cohort, name) for name in settings] == [
        21,
        "Pacific/Auckland",
        10,
        3,
        6,
        True,
        8,
    ]
    assert list(cohort.coordinators.all()) == [coordinator]
    assert (cohort.closed_at, cohort.archived_at) == (None, None)

    intake = cohort.intake
    assert (intake.signup_open, intake.roles, intake.mentor_places) == (False, "both", 12)
    assert intake.token != cohort_world["intake"].token and len(intake.token) >= 43
    questions = list(cohort.signup_questions.values_list("text", "kind", "is_criterion"))
    assert questions == [("Which track?", "one", True), ("Why join?", "long", False)]

    [survey] = Survey.objects.filter(programme=cohort)
    assert (survey.title, survey.copied_from) == ("Closing survey", cohort_world["closing"])
    assert list(survey.questions.values_list("text", flat=True)) == list(
        cohort_world["closing"].questions.values_list("text", flat=True)
    )
    assert not SurveyResponse.objects.filter(survey=survey).exists()

    people = sorted(cohort.participants.values_list("user__name", "role"))
    assert people == [
        ("Lena Lonementor", "mentor"),
        ("Mara Mentor", "mentor"),
        ("Milo Mentee", "mentee"),
        ("Wes Waiting", "mentee"),
    ]
    mara = cohort.participants.get(user__name="Mara Mentor")
    assert (mara.bio, mara.languages, mara.capacity) == (
        "Twenty years in design leadership.",
        "English, Māori",
        2,
    )
    milo = cohort.participants.get(user__name="Milo Mentee")
    [answer] = ProfileAnswer.objects.filter(participant=milo)
    assert (answer.question.programme, answer.choices) == (cohort, ["Design"])

    [again] = cohort.partnerships.all()
    assert (again.status, again.continued_from, again.mentor, again.mentee) == (
        "proposed",
        partnership,
        mara,
        milo,
    )
    assert list(
        CoordinatorAction.objects.filter(verb="duplicated").values_list("programme", "summary")
    ) == [
        (
            programme.pk,
            "started the next cohort, Spring Cohort 2027: 2 mentor(s), 2 mentee(s), "
            "1 pair(s) proposed again",
        ),
        (
            cohort.pk,
            "started this cohort from Spring Cohort: 2 mentor(s), 2 mentee(s), "
            "1 pair(s) proposed again",
        ),
    ]


def test_nothing_private_is_copied_into_the_next_cohort(
    as_coordinator, programme, partnership, cohort_world
):
    before = rows_of_every_model()
    everyone = {
        "mentors": list(
            Participant.objects.filter(programme=programme, role="mentor").values_list(
                "pk", flat=True
            )
        ),
        "mentees": [cohort_world["waiting"].pk],
        "pairs": [partnership.pk],
    }
    response = as_coordinator.post(next_cohort_url(programme), form_data(**everyone))
    assert response.status_code == 302
    after = rows_of_every_model()
    grown = {label for label in after if after[label] - before[label]}
    assert grown <= CREATED_BY_DUPLICATING, grown - CREATED_BY_DUPLICATING
    for label in grown:
        model = apps.get_model(label)
        for row in model.objects.filter(pk__in=after[label] - before[label]):
            assert not any(SECRET in value for value in text_values(row)), (label, row.pk)
            for name in private_fields(model):
                # Only a partnership proposed again has private fields, and they are empty.
                assert getattr(row, name) in ("", None, []), (label, name)
    # Every model holding partners' words gained no row, except the pair proposed again.
    holders = {
        model._meta.label
        for app in DATA_APPS
        for model in apps.get_app_config(app).get_models()
        if private_fields(model)
    }
    assert grown & holders == {"partnerships.Partnership"}


def test_another_programmes_coordinator_gets_a_404_and_nothing_is_written(
    as_other_coordinator, programme, partnership, cohort_world
):
    before = rows_of_every_model()
    assert as_other_coordinator.get(next_cohort_url(programme)).status_code == 404
    response = as_other_coordinator.post(
        next_cohort_url(programme), form_data(pairs=[partnership.pk])
    )
    assert response.status_code == 404
    assert rows_of_every_model() == before


def test_their_own_programme_cannot_bring_another_programmes_people(
    as_other_coordinator, other_programme, partnership, cohort_world
):
    before = Programme.objects.count()
    response = as_other_coordinator.post(
        next_cohort_url(other_programme),
        form_data(mentees=[cohort_world["waiting"].pk], pairs=[partnership.pk]),
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"mentees", "pairs"}
    assert Programme.objects.count() == before


def test_bad_input_is_a_form_error_that_keeps_what_was_typed(
    as_coordinator, programme, cohort_world
):
    response = as_coordinator.post(
        next_cohort_url(programme),
        form_data(name="Autumn pilot", slug=programme.slug, ends_on="2027-01-01"),
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"slug", "ends_on"}
    assert 'value="Autumn pilot"' in response.content.decode()
    assert not Programme.objects.filter(name="Autumn pilot").exists()
    response = as_coordinator.post(next_cohort_url(programme), form_data(starts_on="soon"))
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"starts_on"}


def test_a_pair_that_ended_early_cannot_come_along(as_coordinator, programme, cohort_world):
    response = as_coordinator.post(
        next_cohort_url(programme), form_data(pairs=[cohort_world["declined_only"].pk])
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"pairs"}


def test_the_next_cohort_page_is_valid_html_with_its_dates_filled_in(
    as_coordinator, programme, cohort_world, html_checker
):
    response = as_coordinator.get(next_cohort_url(programme))
    text = response.content.decode()
    # A date input shows only ISO dates: the day after this programme ends, or today.
    starts = max(programme.ends_on + datetime.timedelta(days=1), programme.today())
    assert f'value="{starts.isoformat()}"' in text
    assert html_checker.errors(text) == []
    settings = as_coordinator.get(
        reverse("admin:partnerships_programme_change", args=[programme.pk])
    )
    assert next_cohort_url(programme) in settings.content.decode()
