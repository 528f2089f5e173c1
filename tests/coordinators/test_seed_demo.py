"""The demo programme shows every part of the product and can be loaded twice."""

from django.core.management import call_command

from goals.models import Goal, GoalRevision
from partnerships.models import Agreement, CheckIn, Feedback, Participant, Partnership, Programme


def snapshot():
    return {
        "programmes": sorted(Programme.objects.values_list("slug", flat=True)),
        "people": sorted(Participant.objects.values_list("user__email", "role")),
        "partnerships": sorted(
            Partnership.objects.values_list("mentor__user__email", "mentee__user__email", "status")
        ),
        "agreements": Agreement.objects.count(),
        "goals": sorted(
            Goal.objects.values_list("title", "status", "partnership__mentee__user__email")
        ),
        "revisions": GoalRevision.objects.count(),
        "checkins": sorted(
            CheckIn.objects.values_list("partnership__mentee__user__email", "held_on")
        ),
        "feedback": Feedback.objects.count(),
    }


def test_seed_demo_twice_gives_the_same_data(db, capsys):
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first
    assert "coordinator@example.org" in capsys.readouterr().out


def test_the_demo_has_everything_a_newcomer_should_see(db):
    call_command("seed_demo")
    demo = Programme.objects.get(slug="demo")
    assert demo.participants.mentors().count() >= 5
    assert demo.participants.mentees().count() >= 8
    statuses = set(demo.partnerships.values_list("status", flat=True))
    assert statuses == {"proposed", "active", "paused", "completed", "ended_early"}
    # Why one rests and one ended: a category for the coordinator, a note for the partner.
    paused = demo.partnerships.get(status="paused")
    assert (paused.pause_reason, paused.pause_note_shared) == ("health", False)
    assert paused.pause_note.startswith("Parental leave")
    ended = demo.partnerships.get(status="ended_early")
    assert (ended.end_reason, ended.end_note_shared) == ("left", True)
    assert ended.end_note.startswith("I changed jobs")
    signed = Agreement.objects.signed().filter(partnership__programme=demo).count()
    pending = Agreement.objects.filter(partnership__programme=demo).exclude(
        mentor_signed_at__isnull=False, mentee_signed_at__isnull=False
    )
    assert signed >= 5 and pending.count() >= 2
    assert Goal.objects.filter(revisions__kind="revised").distinct().count() >= 5
    assert CheckIn.objects.filter(partnership__programme=demo).count() >= 20
    assert Feedback.objects.filter(checkin__partnership__programme=demo).count() >= 20
    from django.utils import timezone

    overdue = demo.partnerships.filter(next_checkin_due_on__lt=timezone.localdate())
    assert overdue.count() >= 2
    assert demo.coordinators.filter(email="coordinator@example.org").exists()
