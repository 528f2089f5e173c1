"""Every workspace page and action: the partners get in; everyone else gets 404 and
changes nothing — outsiders, members of another partnership and coordinators alike."""

import pytest
from django.urls import resolve, reverse

from partnerships.models import Survey
from tests.workspace_world import build_world, snapshot


@pytest.fixture
def partnership_with_everything(partnership, mentor, mentee):
    return build_world(partnership, mentor, mentee)


def survey_of(w):
    """The programme's closing survey (made on first use), with one question."""
    survey = Survey.objects.filter(programme=w.partnership.programme).first()
    if survey is None:
        survey = Survey.objects.create(
            programme=w.partnership.programme, kind="closing", title="Closing survey"
        )
        survey.questions.create(text="How was it?", kind="scale")
    return survey


def pages(w):
    p = w.partnership.code
    return {
        "survey": reverse("partnerships:survey", args=[p, survey_of(w).code, "closing"]),
        "workspace": reverse("partnerships:workspace", args=[p]),
        "match": reverse("partnerships:match", args=[p]),
        "agreement history": reverse("partnerships:agreement_history", args=[p]),
        "log a check-in": reverse("partnerships:checkin_new", args=[p]),
        "check-in": reverse("partnerships:checkin", args=[w.checkin.code]),
        "check-in history": reverse("partnerships:checkin_history", args=[p]),
        "goal": reverse("goals:detail", args=[w.goal.code]),
    }


def actions(w):
    p, g = w.partnership.code, w.goal.code
    return {
        "propose agreement": (
            reverse("partnerships:agreement_propose", args=[p]),
            {
                "agreement-checkin_cadence_days": "7",
                "agreement-channels": "Phone",
                "agreement-response_time": "A day",
                "agreement-confidentiality": "Ours",
            },
        ),
        "sign agreement": (reverse("partnerships:agreement_sign", args=[p, 1]), {}),
        "log check-in": (
            reverse("partnerships:checkin_new", args=[p]),
            {"new-held_on": "2020-01-01", "new-visibility": "private"},
        ),
        "add my part": (
            reverse("partnerships:checkin_contribute", args=[w.checkin.code]),
            {f"c-{w.checkin.code}-text": "Hello", f"c-{w.checkin.code}-visibility": "shared"},
        ),
        "give feedback": (
            reverse("partnerships:feedback_give", args=[w.checkin.code]),
            {f"fb-{w.checkin.code}-rating": "5"},
        ),
        "pause": (reverse("partnerships:pause", args=[p]), {}),
        "resume": (reverse("partnerships:resume", args=[p]), {}),
        "end": (reverse("partnerships:end", args=[p]), {}),
        "closing reflection": (
            reverse("partnerships:closing", args=[p]),
            {"closing-text": "Bye", "closing-visibility": "shared"},
        ),
        "create goal": (
            reverse("goals:create", args=[p, "mentee"]),
            {"goal-mentee-title": "Sneaky"},
        ),
        "edit goal": (
            reverse("goals:edit", args=[g]),
            {"title": "Hijacked", "status": "active", "reason": "x", "version": "1"},
        ),
        "propose change": (
            reverse("goals:propose_change", args=[g]),
            {"title": "Hijacked", "reason": "x"},
        ),
        "adopt goal": (reverse("goals:adopt", args=[w.proposed_goal.code]), {}),
        "decline goal": (reverse("goals:decline", args=[w.proposed_goal.code]), {}),
        "add next step": (
            reverse("goals:step_create", args=[g]),
            {f"step-{g}-description": "Sneaky"},
        ),
        "adopt change": (reverse("goals:proposal_adopt", args=[w.proposal.code]), {}),
        "decline change": (reverse("goals:proposal_decline", args=[w.proposal.code]), {}),
        "tick step": (reverse("goals:step_done", args=[w.step.code]), {"done": "1"}),
        "propose meeting": (
            reverse("partnerships:meeting_propose", args=[p]),
            {
                "meeting-day": "2030-01-07",
                "meeting-start_time": "10:00",
                "meeting-duration_minutes": "60",
            },
        ),
        "move meeting": (
            reverse("partnerships:meeting_move", args=[w.meeting.code]),
            {
                "meeting-day": "2030-01-07",
                "meeting-start_time": "10:00",
                "meeting-duration_minutes": "60",
            },
        ),
        "accept meeting": (reverse("partnerships:meeting_accept", args=[w.meeting.code]), {}),
        "cancel meeting": (reverse("partnerships:meeting_cancel", args=[w.meeting.code]), {}),
        "add agenda item": (
            reverse("partnerships:agenda_add", args=[p]),
            {"agenda-text": "Sneaky"},
        ),
        "accept agenda item": (
            reverse("partnerships:agenda_accept", args=[w.suggestion.code]),
            {},
        ),
        "remove agenda item": (
            reverse("partnerships:agenda_remove", args=[w.agenda_item.code]),
            {},
        ),
        "move agenda item": (
            reverse("partnerships:agenda_move", args=[w.agenda_item.code, "down"]),
            {},
        ),
    }


PAGES = ["workspace", "agreement history", "log a check-in", "check-in", "goal", "survey", "match"]
ACTIONS = [
    "propose agreement",
    "sign agreement",
    "log check-in",
    "add my part",
    "give feedback",
    "pause",
    "resume",
    "end",
    "closing reflection",
    "create goal",
    "edit goal",
    "propose change",
    "adopt goal",
    "decline goal",
    "add next step",
    "adopt change",
    "decline change",
    "tick step",
    "propose meeting",
    "move meeting",
    "accept meeting",
    "cancel meeting",
    "add agenda item",
    "accept agenda item",
    "remove agenda item",
    "move agenda item",
]
INTRUDERS = ["outsider", "other_partnership", "coordinator"]


@pytest.fixture
def intruder(request, outsider, other_partnership, coordinator):
    return {
        "outsider": outsider,
        "other_partnership": other_partnership.mentor.user,
        "coordinator": coordinator,
    }[request.param]


def test_these_lists_cover_every_workspace_url(partnership_with_everything):
    from workspace import urls

    every = {f"partnerships:{u.name}" for u in urls.partnership_patterns} | {
        f"goals:{u.name}" for u in urls.goal_patterns
    }
    urls = [
        *pages(partnership_with_everything).values(),
        *(url for url, _ in actions(partnership_with_everything).values()),
    ]
    covered = {resolve(url).view_name for url in urls}
    assert covered == every


@pytest.mark.parametrize("who", ["mentor", "mentee"])
@pytest.mark.parametrize("page", PAGES)
def test_both_partners_open_every_page(client, partnership_with_everything, page, who, request):
    person = request.getfixturevalue(who)
    client.force_login(person)
    response = client.get(pages(partnership_with_everything)[page])
    assert response.status_code == 200
    partner = partnership_with_everything.partnership.partner_of(person)
    assert partner.name in response.content.decode()


@pytest.mark.parametrize("intruder", INTRUDERS, indirect=True)
@pytest.mark.parametrize("page", PAGES)
def test_nobody_else_sees_any_page(client, partnership_with_everything, page, intruder):
    client.force_login(intruder)
    assert client.get(pages(partnership_with_everything)[page]).status_code == 404


@pytest.mark.parametrize("intruder", INTRUDERS, indirect=True)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_nobody_else_can_act_and_nothing_changes(
    client, partnership_with_everything, action, intruder, htmx
):
    before = snapshot(partnership_with_everything.partnership)
    url, data = actions(partnership_with_everything)[action]
    client.force_login(intruder)
    headers = {"HX-Request": "true"} if htmx else {}
    assert client.post(url, data, headers=headers).status_code == 404
    assert snapshot(partnership_with_everything.partnership) == before


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, partnership_with_everything, page):
    url = pages(partnership_with_everything)[page]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_pages_refuse_other_methods(client, partnership_with_everything, mentee):
    client.force_login(mentee)
    assert client.post(pages(partnership_with_everything)["workspace"]).status_code == 405
    assert client.get(actions(partnership_with_everything)["sign agreement"][0]).status_code == 405
