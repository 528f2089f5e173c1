"""Helpers for the coordinators' admin pages: URLs, logged-in clients, bulk data."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from goals.models import Goal
from partnerships.models import CheckIn, Feedback, Participant, Partnership


def page(name: str, programme) -> str:
    return reverse(f"admin:partnerships_programme_{name}", args=[programme.pk])


@pytest.fixture
def as_coordinator(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def as_other_coordinator(client, other_coordinator):
    client.force_login(other_coordinator)
    return client


def populate(programme, count: int, *, prefix: str = "bulk") -> list[Partnership]:
    """``count`` active partnerships, each with a check-in, feedback and a goal, made with
    bulk inserts so that hundreds take a second."""
    today = timezone.localdate()
    User = get_user_model()
    users = User.objects.bulk_create(
        User(email=f"{prefix}.{side}.{i}@example.org", name=f"{side.title()} {prefix} {i:04}")
        for i in range(count)
        for side in ("mentor", "mentee")
    )
    people = Participant.objects.bulk_create(
        Participant(programme=programme, user=user, role=user.email.split(".")[1]) for user in users
    )
    pairs = list(zip(people[::2], people[1::2], strict=True))
    partnerships = Partnership.objects.bulk_create(
        Partnership(
            programme=programme,
            mentor=mentor,
            mentee=mentee,
            status="active",
            started_on=today - datetime.timedelta(days=60),
            checkin_cadence_days=14,
            last_checkin_on=today - datetime.timedelta(days=i % 50),
            next_checkin_due_on=today - datetime.timedelta(days=i % 50) + datetime.timedelta(14),
        )
        for i, (mentor, mentee) in enumerate(pairs)
    )
    checkins = CheckIn.objects.bulk_create(
        CheckIn(
            partnership=p,
            held_on=p.last_checkin_on,
            started_by_id=p.mentor.user_id,
            agenda="SECRET AGENDA",
        )
        for p in partnerships
    )
    Feedback.objects.bulk_create(
        Feedback(
            checkin=c,
            author_id=c.partnership.mentee.user_id,
            recipient_id=c.partnership.mentor.user_id,
            rating=2 + i % 4,
            comment="SECRET COMMENT",
        )
        for i, c in enumerate(checkins)
    )
    Goal.objects.bulk_create(
        Goal(
            partnership=p,
            title=f"Goal {i}",
            description="SECRET DESCRIPTION",
            proposed_by_id=p.mentee.user_id,
        )
        for i, p in enumerate(partnerships)
    )
    return partnerships
