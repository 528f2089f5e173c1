"""A coordinator sees and changes only their own programmes, and never private words."""

import pytest
from django.contrib import admin
from django.urls import reverse

from goals import services as goal_services
from goals.models import Goal
from partnerships import services
from partnerships.models import CheckIn, Participant, Partnership, Programme
from tests.builders import join, make_user, today_for

SECRETS = {
    "agenda": "AGENDA-only-for-the-partners",
    "reflection": "REFLECTION-private-words",
    "shared_reflection": "REFLECTION-shared-words",
    "feedback": "FEEDBACK-comment-for-partner",
    "terms": "TERMS-off-limits-topic",
    "goal_description": "GOAL-description-between-us",
    "revision_reason": "REVISION-reason-between-us",
    "closing": "CLOSING-reflection-words",
}


def fill_with_private_words(partnership):
    mentor, mentee = partnership.mentor.user, partnership.mentee.user
    agreement = services.agreement_propose(
        partnership=partnership,
        by=mentee,
        channels="Video",
        response_time="2 days",
        off_limits=SECRETS["terms"],
    )
    services.agreement_sign(agreement=agreement, by=mentee)
    goal = goal_services.goal_create(
        partnership=partnership,
        by=mentee,
        title="Visible goal title",
        description=SECRETS["goal_description"],
    )
    checkin = services.checkin_start(
        partnership=partnership,
        by=mentee,
        held_on=today_for(mentee),
        agenda=SECRETS["agenda"],
    )
    services.reflection_write(checkin=checkin, by=mentee, text=SECRETS["reflection"])
    services.reflection_write(
        checkin=checkin, by=mentor, text=SECRETS["shared_reflection"], visibility="shared"
    )
    services.feedback_give(checkin=checkin, by=mentor, rating=4, comment=SECRETS["feedback"])
    goal_services.goal_revise(
        goal=goal, by=mentee, reason=SECRETS["revision_reason"], title="Visible goal title 2"
    )
    return checkin, goal


@pytest.fixture
def private_words_in_both_programmes(partnership, other_partnership):
    return fill_with_private_words(partnership), fill_with_private_words(other_partnership)


# Models the `private_words_in_both_programmes` fixture gives both programmes rows of.
FILLED = {
    "programme",
    "participant",
    "partnership",
    "agreement",
    "checkin",
    "feedback",
    "activity",
    "goal",
}


def admin_urls_for(obj):
    opts = obj._meta
    return [
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
    ]


def every_object(*partnerships):
    for p in partnerships:
        yield p.programme
        yield p
        yield p.mentor
        yield from p.agreements.all()
        yield from p.goals.all()
        yield from p.checkins.all()
        for checkin in p.checkins.all():
            yield from checkin.feedback.all()
        yield from p.activities.all()


def test_a_coordinator_sees_only_their_programmes_in_every_changelist(
    client, coordinator, private_words_in_both_programmes, partnership, other_partnership
):
    client.force_login(coordinator)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("partnerships", "goals"):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        shown = list(response.context["cl"].queryset)
        if model._meta.model_name in FILLED:
            assert shown, f"{url} should list the coordinator's own objects"
        for obj in shown:
            if getattr(obj, "is_template", False):
                continue  # a built-in survey template: everyone's to read and copy, no one's
            programme = obj if isinstance(obj, Programme) else None
            path = model_admin.programme_path
            if path:
                for part in path.split("__"):
                    obj = getattr(obj, part)
                programme = obj
            assert programme == partnership.programme, url


def test_another_programmes_change_pages_are_not_found(
    client, coordinator, private_words_in_both_programmes, other_partnership
):
    client.force_login(coordinator)
    for obj in every_object(other_partnership):
        change_url = admin_urls_for(obj)[1]
        response = client.get(change_url)
        # The admin answers "doesn't exist" with a redirect to its index, not the object.
        assert response.status_code == 302, change_url
        assert response.url == reverse("admin:index"), change_url


def test_a_post_to_another_programmes_partnership_changes_nothing(
    client, coordinator, other_partnership
):
    client.force_login(coordinator)
    url = reverse("admin:partnerships_partnership_changelist")
    response = client.post(url, {"action": "pause", "_selected_action": [other_partnership.pk]})
    assert response.status_code in (200, 302)
    other_partnership.refresh_from_db()
    assert other_partnership.status == "active"


def test_search_finds_nothing_from_another_programme(client, coordinator, other_partnership):
    client.force_login(coordinator)
    name = other_partnership.mentee.user.name
    response = client.get(reverse("admin:partnerships_partnership_changelist"), {"q": name})
    assert list(response.context["cl"].queryset) == []
    response = client.get(reverse("admin:mentorship_user_changelist"), {"q": name})
    assert list(response.context["cl"].queryset) == []


def test_autocomplete_offers_only_people_of_their_programmes(
    client, coordinator, partnership, other_partnership
):
    client.force_login(coordinator)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "partnerships",
            "model_name": "partnership",
            "field_name": "mentor",
            "term": "",
        },
    )
    assert response.status_code == 200
    ids = {int(row["id"]) for row in response.json()["results"]}
    own = set(
        Participant.objects.filter(programme=partnership.programme).values_list("pk", flat=True)
    )
    assert ids == own


def test_private_and_shared_words_never_reach_the_admin(
    client, coordinator, private_words_in_both_programmes, partnership, other_partnership
):
    superuser = make_user("Sue Super", is_staff=True, is_superuser=True)
    services.partnership_complete(partnership=partnership, by=partnership.mentor.user)
    services.closing_reflection_write(
        partnership=partnership, by=partnership.mentee.user, text=SECRETS["closing"]
    )
    for person in (coordinator, superuser):
        client.force_login(person)
        for obj in every_object(partnership):
            for url in admin_urls_for(obj):
                page = client.get(url).content.decode()
                for secret in SECRETS.values():
                    assert secret not in page, f"{secret} leaked at {url}"
                if url.endswith("/change/") and isinstance(obj, Goal):
                    assert "Visible goal title 2" in page


def test_a_coordinator_can_create_a_programme_add_people_and_pair_them(
    client, coordinator, programme
):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:partnerships_programme_add"),
        {
            "name": "Summer Cohort",
            "slug": "summer",
            "description": "",
            "starts_on": "2026-06-01",
            "ends_on": "2026-12-01",
            "coordinators": [coordinator.pk],
            "checkin_cadence_days": 14,
            "reminder_lead_days": 2,
            "delivery_hour": 9,
            "quiet_hours_start": 21,
            "quiet_hours_end": 8,
            "time_zone": "Europe/London",
            "wrap_up_days": 14,
            "health_grace_days": 7,
            "participants-TOTAL_FORMS": 0,
            "participants-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    summer = Programme.objects.get(slug="summer")
    assert list(summer.coordinators.all()) == [coordinator]

    # People are added from the coordinator's other programmes; newcomers are invited.
    mentor, mentee = make_user("New Mentor"), make_user("New Mentee")
    join(programme, mentor, "mentor")
    join(programme, mentee, "mentee")
    for person, role in ((mentor, "mentor"), (mentee, "mentee")):
        response = client.post(
            reverse("admin:partnerships_participant_add"),
            {
                "programme": summer.pk,
                "user": person.pk,
                "role": role,
                "capacity": 1,
                "interests": "",
                "bio": "",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]

    response = client.post(
        reverse("admin:partnerships_partnership_add"),
        {
            "programme": summer.pk,
            "mentor": Participant.objects.get(user=mentor, programme=summer).pk,
            "mentee": Participant.objects.get(user=mentee, programme=summer).pk,
            "checkin_cadence_days": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Partnership.objects.get(programme=summer)
    assert (created.status, created.checkin_cadence_days) == ("proposed", 14)


def test_the_admin_refuses_a_mentor_at_capacity_with_a_message(client, coordinator, programme):
    mentor = join(programme, make_user("Full Mentor"), "mentor", capacity=1)
    first, second = (join(programme, make_user(n), "mentee") for n in ("First", "Second"))
    services.partnership_create(programme=programme, mentor=mentor, mentee=first)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:partnerships_partnership_add"),
        {"programme": programme.pk, "mentor": mentor.pk, "mentee": second.pk},
        follow=True,
    )
    assert "Full Mentor is at capacity (1 open partnership)." in response.content.decode()
    assert Partnership.objects.filter(mentee=second).count() == 0


def test_the_admin_refuses_a_mentor_from_another_programme(
    client, coordinator, programme, other_partnership
):
    mentee = join(programme, make_user("Local Mentee"), "mentee")
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:partnerships_partnership_add"),
        {"programme": programme.pk, "mentor": other_partnership.mentor.pk, "mentee": mentee.pk},
    )
    assert response.status_code == 200
    # Not even offered: the other programme's mentor is outside the coordinator's choices.
    assert "Select a valid choice" in response.content.decode()
    assert not Partnership.objects.filter(mentee=mentee).exists()


def test_checkins_are_read_only_in_the_admin(client, coordinator, private_words_in_both_programmes):
    (checkin, _goal), _ = private_words_in_both_programmes
    client.force_login(coordinator)
    url = reverse("admin:partnerships_checkin_change", args=[checkin.pk])
    client.post(url, {"held_on": "2020-01-01"})
    assert CheckIn.objects.get(pk=checkin.pk).held_on == checkin.held_on
