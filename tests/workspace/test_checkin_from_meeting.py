"""The check-in a meeting ends with: logged from the meeting with its agenda, each item
discussed or carried over (carried-over items start the next agenda); each partner's view
of a goal's progress, private until both answered, drawn on the goal's page, and a wide
gap put on the agenda; an overdue goal decided before the check-in saves; a mentor's
change made against an older goal shown beside the goal as it is now."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from goals import services as goal_services
from goals.models import Goal, GoalChangeProposal, ProgressRating
from goals.progress import progress_rate
from partnerships import services
from partnerships.models import AgendaItem, Meeting
from partnerships.services.agenda import agenda_item_accept, agenda_item_add
from partnerships.services.meetings import meeting_accept, meeting_propose
from tests.builders import today_for


@pytest.fixture
def goal(partnership, mentee):
    return goal_services.goal_create(partnership=partnership, by=mentee, title="Speak up")


@pytest.fixture
def held_meeting_agenda(partnership, mentor, mentee):
    """A meeting scheduled for tomorrow with two items on its agenda, now past."""
    day = today_for(mentor) + datetime.timedelta(days=1)
    meeting = meeting_propose(
        partnership=partnership, by=mentor, day=day, start_time=datetime.time(15, 0)
    )
    meeting_accept(meeting=meeting, by=mentee)
    agenda_item_add(partnership=partnership, by=mentee, text="Pay rise")
    agenda_item_accept(
        item=agenda_item_add(partnership=partnership, by=mentor, text="Your CV"), by=mentee
    )
    return meeting


def test_log_this_check_in_opens_the_form_with_the_meetings_day_and_agenda(
    client, partnership, mentor, mentee, held_meeting_agenda, html_checker
):
    meeting = held_meeting_agenda
    after = meeting.ends_at + datetime.timedelta(hours=1)
    with time_machine.travel(after, tick=False):
        client.force_login(mentee)
        url = reverse("partnerships:checkin_new", args=[partnership.code])
        url += f"?meeting={meeting.code}"
        response = client.get(url)
        page = response.content.decode()
        assert "The agenda of your meeting" in page
        assert "<legend>Pay rise</legend>" in page and "<legend>Your CV</legend>" in page
        assert f'value="{meeting.start_for(mentee).date().isoformat()}"' in page
        assert html_checker.errors(response) == []
        items = {i.text: i for i in partnership.agenda_items.on_agenda()}
        response = client.post(
            url,
            {
                "new-held_on": meeting.start_for(mentee).date().isoformat(),
                f"new-ag-{items['Pay rise'].code}-outcome": "discussed",
                f"new-ag-{items['Your CV'].code}-outcome": "carried_over",
                "new-visibility": "private",
            },
        )
        assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    for item in items.values():
        item.refresh_from_db()
    assert items["Pay rise"].status == AgendaItem.Status.DISCUSSED
    assert items["Your CV"].status == AgendaItem.Status.CARRIED_OVER
    assert items["Pay rise"].checkin == meeting.checkin
    # The carried-over item starts the next agenda.
    [next_item] = partnership.agenda_items.open()
    assert (next_item.text, next_item.carried_from) == ("Your CV", items["Your CV"])
    assert next_item.status == AgendaItem.Status.ON_AGENDA
    page = client.get(reverse("partnerships:checkin", args=[meeting.checkin.code])).content
    assert "Pay rise" in page.decode()


def test_another_meetings_code_gives_the_plain_form(
    client, partnership, mentee, other_partnership, held_meeting_agenda
):
    theirs = meeting_propose(
        partnership=other_partnership,
        by=other_partnership.mentee.user,
        day=today_for(mentee) + datetime.timedelta(days=3),
        start_time=datetime.time(9, 0),
    )
    client.force_login(mentee)
    url = reverse("partnerships:checkin_new", args=[partnership.code])
    page = client.get(f"{url}?meeting={theirs.code}").content.decode()
    assert "of your meeting" not in page
    assert client.get(f"{url}?meeting=not-a-code").status_code == 200


# --- progress from both sides --------------------------------------------------------


def test_each_view_is_private_until_both_answered_then_a_wide_gap_goes_on_the_agenda(
    client, partnership, mentor, mentee, goal, coordinator, html_checker
):
    checkin = services.checkin_start(partnership=partnership, by=mentee, held_on=today_for(mentee))
    progress_rate(checkin=checkin, goal=goal, by=mentee, progress=3)  # nearly there
    client.force_login(mentor)
    goal_page = reverse("goals:detail", args=[goal.code])
    page = client.get(goal_page).content.decode()
    assert "Nearly there" not in page
    page = client.get(reverse("partnerships:workspace", args=[partnership.code])).content.decode()
    assert "<strong>nearly there</strong>" not in page  # the goal's progress line
    assert "Milo says" not in page
    # The coordinator never sees either view.
    client.force_login(coordinator)
    assert client.get(goal_page).status_code == 404
    client.force_login(mentee)
    page = client.get(goal_page).content.decode()
    assert "Nearly there" in page and "shows once they answer too" in page
    assert not partnership.agenda_items.exists()
    progress_rate(checkin=checkin, goal=goal, by=mentor, progress=1)  # started
    [item] = partnership.agenda_items.open()
    assert item.text == "Talk about “Speak up”: your views of its progress differ"
    assert item.source == AgendaItem.Source.PROGRESS_GAP
    client.force_login(mentor)
    response = client.get(goal_page)
    page = response.content.decode()
    assert "Nearly there" in page and "Started" in page
    assert '<svg class="progress-chart"' in page
    assert '<table class="diff small progress-table">' in page
    assert html_checker.errors(response) == []
    # A second gap on the same goal does not add a second item.
    again = services.checkin_start(partnership=partnership, by=mentor, held_on=today_for(mentee))
    progress_rate(checkin=again, goal=goal, by=mentee, progress=4)
    progress_rate(checkin=again, goal=goal, by=mentor, progress=1)
    assert partnership.agenda_items.open().count() == 1


def test_the_partner_rates_the_goals_in_the_check_in_form(
    client, partnership, mentor, mentee, goal
):
    client.force_login(mentor)
    response = client.post(
        reverse("partnerships:checkin_new", args=[partnership.code]),
        {
            "new-held_on": today_for(mentor).isoformat(),
            f"new-pr-{goal.code}-progress": "2",
            "new-visibility": "private",
        },
    )
    assert response.status_code == 302
    rating = ProgressRating.objects.get()
    assert (rating.author, rating.by_owner, rating.progress) == (mentor, False, 2)


# --- an overdue goal needs a decision ----------------------------------------------


def test_an_overdue_goal_blocks_the_check_in_until_decided(client, partnership, mentee, goal):
    Goal.objects.filter(pk=goal.pk).update(
        target_date=today_for(mentee) - datetime.timedelta(days=3)
    )
    client.force_login(mentee)
    url = reverse("partnerships:checkin_new", args=[partnership.code])
    page = client.get(url).content.decode()
    assert "passed its target date" in page
    data = {"new-held_on": today_for(mentee).isoformat(), "new-visibility": "private"}
    response = client.post(url, data)
    assert response.status_code == 422
    assert "has passed: decide now" in response.content.decode()
    assert not partnership.checkins.exists()
    field = f"new-goal-{goal.code}"
    # Keeping it takes a new date after the check-in.
    response = client.post(url, {**data, f"{field}-decision": "keep"})
    assert response.status_code == 422
    new_date = today_for(mentee) + datetime.timedelta(days=30)
    response = client.post(
        url,
        {
            **data,
            f"{field}-decision": "keep",
            f"{field}-new_target_date": new_date.isoformat(),
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.target_date == new_date


# --- a change proposed against an older goal ---------------------------------------


def test_a_change_proposed_before_the_goal_changed_is_shown_beside_it_and_asked_again(
    client, partnership, mentor, mentee, goal
):
    proposal = goal_services.goal_change_propose(
        goal=goal, by=mentor, reason="Sharper", title="Speak up twice a week"
    )
    goal_services.goal_revise(goal=goal, by=mentee, reason="Mine", title="Speak up in meetings")
    client.force_login(mentee)
    adopt = reverse("goals:proposal_adopt", args=[proposal.code])
    # An adoption from a page that showed the older goal is refused: nothing changes.
    response = client.post(adopt, {"seen_version": "1"})
    assert response.status_code == 422
    assert "has changed since this was suggested" in response.content.decode()
    goal.refresh_from_db()
    assert goal.title == "Speak up in meetings"
    page = client.get(reverse("goals:detail", args=[goal.code])).content.decode()
    assert "The goal has changed since this was suggested" in page
    assert "Speak up in meetings" in page and "<ins>Speak up twice a week</ins>" in page
    assert "Adopt it over the current wording" in page
    response = client.post(adopt, {"seen_version": str(goal.version)})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Speak up twice a week"
    proposal.refresh_from_db()
    assert proposal.status == GoalChangeProposal.Status.ADOPTED


def test_an_unchanged_goals_proposal_is_adopted_as_before(
    client, partnership, mentor, mentee, goal
):
    proposal = goal_services.goal_change_propose(
        goal=goal, by=mentor, reason="Sharper", title="Speak up twice a week"
    )
    client.force_login(mentee)
    response = client.post(reverse("goals:proposal_adopt", args=[proposal.code]))
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Speak up twice a week"
