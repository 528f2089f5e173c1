"""Partnerships: who can be paired, and how a partnership moves between states."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from partnerships import services
from partnerships.models import Participant, Partnership
from tests.builders import join, make_partnership, make_user


def mentor_and_mentee(programme, *, capacity=1):
    mentor = join(programme, make_user("Ravi Mentor"), "mentor", capacity=capacity)
    mentee = join(programme, make_user("Lena Mentee"), "mentee")
    return mentor, mentee


def test_a_new_partnership_is_proposed_with_the_programme_cadence(programme):
    mentor, mentee = mentor_and_mentee(programme)
    partnership = services.partnership_create(programme=programme, mentor=mentor, mentee=mentee)
    assert partnership.status == "proposed"
    assert partnership.checkin_cadence_days == programme.checkin_cadence_days == 14
    assert partnership.next_checkin_due_on is None


def test_the_database_refuses_a_person_mentoring_themselves(programme):
    mentor, _ = mentor_and_mentee(programme)
    with pytest.raises(IntegrityError, match="partnership_mentor_is_not_mentee"):
        Partnership.objects.create(
            programme=programme, mentor=mentor, mentee=mentor, checkin_cadence_days=14
        )


def test_the_service_explains_a_mentor_who_is_the_mentee(programme):
    mentor, _ = mentor_and_mentee(programme)
    with pytest.raises(ValidationError) as refused:
        services.partnership_create(programme=programme, mentor=mentor, mentee=mentor)
    assert "This person is a mentor in the programme, not a mentee." in refused.value.messages


def test_a_person_joins_a_programme_once(programme, mentor):
    join(programme, mentor, "mentor")
    with pytest.raises(IntegrityError, match="participant_once_per_programme"):
        join(programme, mentor, "mentee")


def test_the_database_refuses_two_open_partnerships_for_the_same_pair(programme):
    mentor, mentee = mentor_and_mentee(programme, capacity=3)
    services.partnership_create(programme=programme, mentor=mentor, mentee=mentee)
    with pytest.raises(IntegrityError, match="partnership_one_open_per_pair"):
        Partnership.objects.create(
            programme=programme, mentor=mentor, mentee=mentee, checkin_cadence_days=14
        )


def test_a_pair_can_partner_again_after_their_partnership_ended(programme):
    mentor, mentee = mentor_and_mentee(programme, capacity=3)
    first = services.partnership_create(programme=programme, mentor=mentor, mentee=mentee)
    services.partnership_end(partnership=first, by=mentor.user)
    second = services.partnership_create(programme=programme, mentor=mentor, mentee=mentee)
    assert second.status == "proposed"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="composite keys are PostgreSQL's")
def test_the_database_refuses_a_mentor_from_another_programme(programme, other_programme):
    stranger = join(other_programme, make_user("Far Mentor"), "mentor")
    _, mentee = mentor_and_mentee(programme)
    with pytest.raises(IntegrityError, match="partnership_mentor_in_programme_with_role"):
        with transaction.atomic():
            Partnership.objects.create(
                programme=programme, mentor=stranger, mentee=mentee, checkin_cadence_days=14
            )
            connection.check_constraints()  # the keys are deferred to commit: check now


@pytest.mark.skipif(connection.vendor != "postgresql", reason="composite keys are PostgreSQL's")
def test_the_database_refuses_a_mentee_in_the_mentor_seat(programme):
    _, mentee = mentor_and_mentee(programme)
    other_mentee = join(programme, make_user("Second Mentee"), "mentee")
    with pytest.raises(IntegrityError, match="partnership_mentor_in_programme_with_role"):
        with transaction.atomic():
            Partnership.objects.create(
                programme=programme, mentor=other_mentee, mentee=mentee, checkin_cadence_days=14
            )
            connection.check_constraints()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="composite keys are PostgreSQL's")
def test_the_database_refuses_changing_the_role_of_someone_in_a_partnership(partnership):
    with pytest.raises(IntegrityError, match="in_programme_with_role"):
        with transaction.atomic():
            Participant.objects.filter(pk=partnership.mentee_id).update(role="mentor")
            connection.check_constraints()


def test_the_service_explains_people_from_another_programme(programme, other_programme):
    stranger = join(other_programme, make_user("Far Mentor"), "mentor")
    _, mentee = mentor_and_mentee(programme)
    with pytest.raises(ValidationError) as refused:
        services.partnership_create(programme=programme, mentor=stranger, mentee=mentee)
    assert refused.value.message_dict == {
        "mentor": ["This person is not in the partnership's programme."]
    }


def test_a_mentor_at_capacity_cannot_take_another_mentee(programme):
    mentor, mentee = mentor_and_mentee(programme, capacity=1)
    services.partnership_create(programme=programme, mentor=mentor, mentee=mentee)
    second_mentee = join(programme, make_user("Another Mentee"), "mentee")
    with pytest.raises(ValidationError) as refused:
        services.partnership_create(programme=programme, mentor=mentor, mentee=second_mentee)
    assert refused.value.message_dict == {
        "mentor": ["Ravi Mentor is at capacity (1 open partnership)."]
    }


def test_closed_partnerships_free_mentor_capacity(programme):
    mentor, mentee = mentor_and_mentee(programme, capacity=1)
    first = services.partnership_create(programme=programme, mentor=mentor, mentee=mentee)
    services.partnership_end(partnership=first, by=mentor.user)
    second_mentee = join(programme, make_user("Another Mentee"), "mentee")
    services.partnership_create(programme=programme, mentor=mentor, mentee=second_mentee)
    assert Partnership.objects.open().filter(mentor=mentor).count() == 1


def test_a_mentee_has_one_open_partnership_at_a_time(programme):
    mentor, mentee = mentor_and_mentee(programme, capacity=3)
    services.partnership_create(programme=programme, mentor=mentor, mentee=mentee)
    second_mentor = join(programme, make_user("Second Mentor"), "mentor")
    with pytest.raises(ValidationError) as refused:
        services.partnership_create(programme=programme, mentor=second_mentor, mentee=mentee)
    assert refused.value.message_dict == {
        "mentee": ["Lena Mentee already has an open partnership in this programme."]
    }


def test_the_database_refuses_a_mentee_with_capacity_above_one(programme):
    with pytest.raises(IntegrityError, match="participant_capacity_valid"):
        join(programme, make_user("Greedy Mentee"), "mentee", capacity=2)


# --- transitions --------------------------------------------------------------------------

ALLOWED = [
    ("proposed", "active"),
    ("proposed", "ended_early"),
    ("active", "paused"),
    ("active", "completed"),
    ("active", "ended_early"),
    ("paused", "active"),
    ("paused", "completed"),
    ("paused", "ended_early"),
]
ALL = ["proposed", "active", "paused", "completed", "ended_early"]
REFUSED = [(a, b) for a in ALL for b in ALL if (a, b) not in ALLOWED]


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed_transitions(current, target):
    assert Partnership(status=current).can_move_to(target)


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_refused_transitions_explain_themselves(current, target):
    partnership = Partnership(status=current)
    with pytest.raises(ValidationError) as refused:
        partnership.check_can_move_to(target)
    labels = dict(Partnership.Status.choices)
    assert refused.value.messages == [
        f"This partnership is {labels[current].lower()}; it cannot become {labels[target].lower()}."
    ]


def test_activating_starts_the_clock(partnership):
    assert partnership.status == "active"
    assert partnership.started_on is not None
    assert (partnership.next_checkin_due_on - partnership.started_on).days == 14


def test_pause_and_resume(partnership, mentee):
    services.partnership_pause(partnership=partnership, by=mentee, reason="busy", note="Exams")
    assert partnership.status == "paused"
    assert partnership.next_checkin_due_on is None
    services.partnership_resume(partnership=partnership, by=mentee)
    assert partnership.status == "active"
    assert partnership.next_checkin_due_on is not None
    assert list(partnership.activities.values_list("verb", flat=True)[:2]) == ["active", "paused"]


def test_a_completed_partnership_cannot_be_resumed(partnership, mentor):
    services.partnership_complete(partnership=partnership, by=mentor)
    with pytest.raises(ValidationError) as refused:
        services.partnership_resume(partnership=partnership, by=mentor)
    assert refused.value.messages == ["Only a paused partnership can be resumed."]


def test_either_partner_can_end_without_fault(partnership, mentee):
    services.partnership_end(
        partnership=partnership, by=mentee, reason="left", note="New job abroad"
    )
    assert partnership.status == "ended_early"
    assert (partnership.end_reason, partnership.end_note, partnership.end_note_shared) == (
        "left",
        "New job abroad",
        False,
    )
    assert partnership.ended_by == mentee
    assert partnership.ended_on is not None


def test_an_outsider_cannot_pause_a_partnership(partnership, outsider):
    with pytest.raises(PermissionDenied):
        services.partnership_pause(partnership=partnership, by=outsider)
    partnership.refresh_from_db()
    assert partnership.status == "active"


def test_a_coordinator_of_another_programme_cannot_pause_it(partnership, other_coordinator):
    with pytest.raises(PermissionDenied):
        services.partnership_pause(partnership=partnership, by=other_coordinator)


def test_a_stale_copy_cannot_move_a_partnership_twice(partnership, mentor, mentee):
    stale = Partnership.objects.get(pk=partnership.pk)
    services.partnership_pause(partnership=partnership, by=mentee)
    with pytest.raises(ValidationError) as refused:
        services.partnership_complete(partnership=stale, by=mentor)
    # The stale copy thought it was active; the conditional update noticed the pause.
    assert refused.value.messages == ["The partnership changed meanwhile; please try again."]
    stale.refresh_from_db()
    assert stale.status == "paused"


def test_closing_reflections_once_ended(partnership, mentor, mentee):
    with pytest.raises(ValidationError):
        services.closing_reflection_write(partnership=partnership, by=mentor, text="Too soon")
    services.partnership_complete(partnership=partnership, by=mentor)
    for person in (mentor, mentee):
        services.closing_reflection_write(partnership=partnership, by=person, text="Grateful.")
    assert partnership.closing_reflections.count() == 2


def test_deleting_a_person_with_history_is_refused(partnership, mentee):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        mentee.delete()
    assert Partnership.objects.filter(pk=partnership.pk).exists()


def test_deleting_a_participant_keeps_the_partnership(partnership):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        partnership.mentee.delete()


def test_make_partnership_builder_is_active(programme, mentor, mentee):
    assert make_partnership(programme, mentor, mentee).status == "active"
