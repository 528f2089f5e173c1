"""seed_scale writes consistent data at any fraction of full scale. (A measuring tool:
its app is installed only with MEASURING, so the command is called by its class.)"""

import pytest
from django.core.management import CommandError, call_command

from bench.management.commands.seed_scale import Command as SeedScale
from goals.models import Goal, GoalRevision
from partnerships.models import CheckIn, Partnership, Programme


def test_a_small_fraction_has_the_promised_shape(db):
    call_command(SeedScale(), fraction=0.01)
    assert Partnership.objects.count() == 100
    assert Goal.objects.count() == 500
    assert CheckIn.objects.count() == 2_000
    assert GoalRevision.objects.count() == 2_000
    biggest = Programme.objects.get(slug="scale-1")
    assert biggest.partnerships.count() == 40
    assert biggest.coordinators.count() == 1
    # The ids continue where COPY stopped, so the app can keep writing afterwards.
    assert (
        CheckIn.objects.create(
            partnership=Partnership.objects.filter(status="active").first(),
            held_on=biggest.starts_on,
            started_by=biggest.coordinators.get(),
        ).pk
        == 2_001
    )


def test_it_refuses_a_database_with_people_in_it(db, mentor):
    with pytest.raises(CommandError, match="fills an empty database"):
        call_command(SeedScale(), fraction=0.01)
