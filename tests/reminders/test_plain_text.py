"""Plain text is not HTML: a name like O'Neill <& Co> reads as typed in every email's
subject and text body, and only the HTML part escapes it."""

import datetime
import re

import pytest
from django.core import mail
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from coordinators.nudges import nudge_send
from goals import services as goal_services
from partnerships import services
from partnerships.matching import match_confirm
from partnerships.models import AgendaItem, MatchRequest, Meeting, Reminder
from partnerships.services.invitations import Invitee, invitation_send
from partnerships.services.match_requests import (
    DECLINED_REST,
    match_request_accept,
    match_request_create,
    match_request_decline,
)
from partnerships.services.notifications import (
    notification_preferences_set,
    notification_send,
)
from partnerships.services.surveys import survey_copy
from reminders.compose import compose
from tests.builders import builtin_survey, join, make_coordinator_of, make_programme, make_user

ESCAPES = re.compile(r"&(lt|gt|amp|quot|#x27|#39);")
MENTOR = "O'Neill <& Co>"  # short name O'Neill
MENTEE = "D'Souza <& Sons>"  # short name D'Souza
PROGRAMME = "Spring <& Summer> 'Cohort'"


def plain(message) -> str:
    """The subject and text body, after checking that neither holds an HTML escape."""
    for text in (message.subject, message.body):
        assert ESCAPES.findall(text) == [], text
    return f"{message.subject}\n{message.body}"


def html(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


@pytest.fixture
def world(db):
    programme = make_programme(PROGRAMME)
    coordinator = make_coordinator_of(programme, "L'Estrange <& Partners>")
    mentor = join(
        programme,
        make_user(MENTOR, email="oneill@example.org"),
        "mentor",
        capacity=2,
        interests="python",
    )
    mentee = join(
        programme, make_user(MENTEE, email="dsouza@example.org"), "mentee", interests="python"
    )
    return programme, coordinator, mentor, mentee


def test_the_invitation(world):
    programme, coordinator, _, _ = world
    invitation_send(
        programme=programme,
        invitee=Invitee(email="new@example.org", name="Ní Bhriain <& Co>", role="mentee"),
        by=coordinator,
    )
    [message] = mail.outbox
    text = plain(message)
    assert "You're invited to Spring <& Summer> 'Cohort' as a mentee" in text
    assert "Hello Ní Bhriain <& Co>," in text
    assert "L'Estrange <& Partners> has invited you to join Spring <& Summer> 'Cohort'" in text
    assert "Hello Ní Bhriain &lt;&amp; Co&gt;," in html(message)


def emails_to(person) -> list:
    """The notification emails queued for ``person``, as they will be sent."""
    rows = Reminder.objects.filter(kind="notification", recipient=person.user).order_by("pk")
    return [compose(row) for row in rows]


def test_the_match_to_both_partners(world):
    _, coordinator, mentor, mentee = world
    match_confirm(mentee=mentee, mentor=mentor, by=coordinator)
    [to_mentor], [to_mentee] = emails_to(mentor), emails_to(mentee)
    assert "Hello O'Neill," in plain(to_mentor)
    assert f"proposed a match with {MENTEE}: accept or decline it" in plain(to_mentor)
    assert f"proposed a match with {MENTOR}: accept or decline it" in plain(to_mentee)
    assert "O&#x27;Neill &lt;&amp; Co&gt;" in html(to_mentee)


def test_the_match_request_and_both_decisions(world):
    _, _, mentor, mentee = world
    first = match_request_create(mentee=mentee, mentor=mentor, by=mentee.user)
    match_request_decline(request=first, by=mentor.user)
    # As if the decline were a month old: a mentor who declined is not asked again sooner.
    MatchRequest.objects.filter(pk=first.pk).update(decided_at=F("decided_at") - DECLINED_REST)
    second = match_request_create(mentee=mentee, mentor=mentor, by=mentee.user)
    match_request_accept(request=second, by=mentor.user)
    [asked] = emails_to(mentor)  # asked again the same day: no second email
    declined, accepted = emails_to(mentee)
    assert plain(asked).startswith("D'Souza asked you to be their mentor\nHello O'Neill,")
    assert f"{MENTEE} asked you to be their mentor." in plain(asked)
    assert f"{MENTOR} can't take you on right now; choose another mentor" in plain(declined)
    assert "your partnership has started" in plain(accepted)
    assert "D&#x27;Souza &lt;&amp; Sons&gt;" in html(asked)


def test_the_coordinators_nudge(world):
    programme, coordinator, mentor, mentee = world
    partnership = services.partnership_create(
        programme=programme, mentor=mentor, mentee=mentee, by=coordinator
    )
    services.partnership_activate(partnership=partnership, by=mentee.user)
    mail.outbox.clear()
    nudge_send(partnership=partnership, by=coordinator)
    to_mentor, _ = mail.outbox
    text = plain(to_mentor)
    assert f"Time for a check-in with {MENTEE}" in text
    assert f"Your coordinator for {PROGRAMME} is checking in: you and {MENTEE} haven't" in text


def reminder(kind: str, recipient, programme, *, partnership=None, subject_key, period):
    return Reminder.objects.create(
        recipient=recipient,
        kind=kind,
        programme=programme,
        partnership=partnership,
        subject_key=subject_key,
        period=period,
        due_on=timezone.localdate(),
        send_after=timezone.now(),
    )


def summary_of(programme, coordinator, person):
    """A daily summary of notifications waiting for ``person``."""
    notification_preferences_set(user=person, choices={"programme": "daily"})
    notification_send(
        recipients=[person],
        kind="programme",
        programme=programme,
        actor=coordinator,
        summary=f"closed {PROGRAMME}'s sign-up",
        link="/",
    )
    return Reminder.objects.get(kind="notification_digest", recipient=person)


def test_every_reminder_kind_and_the_digest(world):
    programme, coordinator, mentor, mentee = world
    partnership = services.partnership_create(
        programme=programme, mentor=mentor, mentee=mentee, by=coordinator
    )
    services.partnership_activate(partnership=partnership, by=mentee.user)
    today = timezone.localdate()
    agreement = services.agreement_propose(
        partnership=partnership,
        by=mentor.user,
        change_note="Fewer 'emails' <& more calls>",
        checkin_cadence_days=14,
        channels="Video",
        response_time="A day",
    )
    goal = goal_services.goal_create(
        partnership=partnership, by=mentee.user, title="Speak at <Meetup> & 'lead'"
    )
    checkin = services.checkin_start(partnership=partnership, by=mentee.user, held_on=today)
    soon = today + datetime.timedelta(days=2)
    p, key = partnership, f"partnership:{partnership.pk}"
    week = today.isocalendar()
    survey = survey_copy(survey=builtin_survey("closing"), programme=programme, by=coordinator)
    programme.retention_months = 6
    # At risk for the digest: a low rating, shown to the coordinator without a grace period.
    programme.health_grace_days = 0
    programme.save()
    services.feedback_give(checkin=checkin, by=mentee.user, rating=1)
    meeting = Meeting.objects.create(
        partnership=partnership, starts_at=timezone.now() + datetime.timedelta(days=1),
        time_zone="UTC", place="Café <& Bar> 'Uno'", status="scheduled", proposed_by=mentor.user,
        created_by=mentor.user,
    )  # fmt: skip
    on_agenda = "Ask about <Meetup> & 'lead'"
    AgendaItem.objects.create(partnership=partnership, text=on_agenda, added_by=mentee.user)
    made = {
        "checkin_upcoming": reminder(
            "checkin_upcoming", mentor.user, programme, partnership=p, subject_key=key,
            period=soon.isoformat(),
        ),
        "checkin_overdue": reminder(
            "checkin_overdue", mentor.user, programme, partnership=p, subject_key=key,
            period=f"{today - datetime.timedelta(days=1)}/1",
        ),
        "checkin_part": reminder(
            "checkin_part", mentor.user, programme, partnership=p,
            subject_key=f"checkin:{checkin.pk}", period=today.isoformat(),
        ),
        "goal_revisit": reminder(
            "goal_revisit", mentee.user, programme, partnership=p,
            subject_key=f"goal:{goal.pk}", period=f"{soon}/soon",
        ),
        "agreement_signature": reminder(
            "agreement_signature", mentee.user, programme, partnership=p,
            subject_key=f"agreement:{agreement.pk}", period="v1",
        ),
        "coordinator_digest": reminder(
            "coordinator_digest", coordinator, programme,
            subject_key=f"programme:{programme.pk}", period=f"{week.year}-W{week.week:02d}",
        ),
        "wrap_up": reminder(
            "wrap_up", mentee.user, programme, partnership=p, subject_key=key,
            period=f"wrap-up/{programme.ends_on}",
        ),
        "survey": reminder(
            "survey", mentee.user, programme, partnership=p,
            subject_key=f"survey:{survey.pk}:{p.pk}", period="closing",
        ),
        "retention_notice": reminder(
            "retention_notice", mentee.user, programme,
            subject_key=f"programme:{programme.pk}", period="retention/x",
        ),
        "meeting_invitation": reminder(
            "meeting_invitation", mentee.user, programme, partnership=p,
            subject_key=f"meeting:{meeting.pk}", period="seq-0",
        ),
        "meeting_tomorrow": reminder(
            "meeting_tomorrow", mentee.user, programme, partnership=p,
            subject_key=f"meeting:{meeting.pk}", period="x/0",
        ),
        "meeting_log": reminder(
            "meeting_log", mentee.user, programme, partnership=p,
            subject_key=f"meeting:{meeting.pk}", period="x/0",
        ),
        "match_waiting": reminder(
            "match_waiting", mentor.user, programme, partnership=p,
            subject_key=f"match:{p.pk}", period="waiting",
        ),
        # Notifications ride the outbox: the agreement's, to the mentee, and a daily summary.
        "notification": Reminder.objects.get(
            kind="notification", recipient=mentee.user,
            notifications__summary__startswith="proposed agreement",
        ),
        "notification_digest": summary_of(programme, coordinator, mentor.user),
    }  # fmt: skip
    assert set(made) == set(Reminder.Kind.values)
    texts = {kind: plain(compose(row)) for kind, row in made.items()}
    proposed = f"{MENTOR} proposed agreement version 1; it waits for your signature."
    assert proposed in texts["notification"]
    closed = f"- L'Estrange <& Partners> closed {PROGRAMME}'s sign-up ("
    assert closed in texts["notification_digest"]
    assert f"you with {MENTEE} as your mentee." in texts["match_waiting"]
    assert f"Check-in with {MENTEE} due in 2 days" in texts["checkin_upcoming"]
    assert f"Your check-in with {MENTEE} is overdue" in texts["checkin_overdue"]
    assert "suggest a time to D'Souza today" in texts["checkin_overdue"]
    assert f"{MENTEE} logged your check-in of" in texts["checkin_part"]
    assert "“Speak at <Meetup> & 'lead'” is due in 2 days" in texts["goal_revisit"]
    assert f"Talk it over with {MENTOR} at your next check-in." in texts["goal_revisit"]
    assert "What changed: Fewer 'emails' <& more calls>" in texts["agreement_signature"]
    assert f"proposed by {MENTOR}" in texts["agreement_signature"]
    assert f"{PROGRAMME} this week: 1 partnership at risk" in texts["coordinator_digest"]
    assert f"* {partnership}: " in texts["coordinator_digest"]
    assert "Hello L'Estrange," in texts["coordinator_digest"]
    assert (
        f"ends on {programme.ends_on:%A %-d %B}. After that your workspace with {MENTOR}"
        in (texts["wrap_up"])
    )
    assert "Write your closing reflection" in texts["wrap_up"]
    assert f'{PROGRAMME} asks you to answer "Closing survey" (at the wrap-up)' in texts["survey"]
    assert "Your partner never sees your answers." in texts["survey"]
    deletes_on = programme.retention_deletes_on
    assert (
        f"On {deletes_on:%A %-d %B %Y} your private reflections in it"
        in (texts["retention_notice"])
    )
    assert f"You and {MENTOR} meet on " in texts["meeting_invitation"]
    assert "Where: Café <& Bar> 'Uno'" in texts["meeting_invitation"]
    assert f"- {on_agenda}" in texts["meeting_invitation"]
    assert "Tomorrow: meeting with O'Neill at " in texts["meeting_tomorrow"]
    assert f"- {on_agenda}" in texts["meeting_tomorrow"]
    assert "How did your meeting with O'Neill go? Log the check-in" in texts["meeting_log"]
    assert "Hello D'Souza," in texts["meeting_log"]
    assert "Fewer &#x27;emails&#x27; &lt;&amp; more calls&gt;" in html(
        compose(made["agreement_signature"])
    )


def test_the_password_reset(client, world):
    _, _, mentor, _ = world
    client.post(reverse("password_reset"), {"email": mentor.user.email})
    [message] = mail.outbox
    assert plain(message).startswith("Choose a new password for Mentorship\nHello O'Neill,")


def test_a_text_template_is_rendered_without_html_escaping(world):
    from mentorship.email import render_text

    _, _, mentor, _ = world
    assert render_text("emails/nudge/subject.txt", {"partner": mentor.user}) == (
        f"Time for a check-in with {MENTOR}\n"
    )
