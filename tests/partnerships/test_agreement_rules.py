"""An agreement is in force only when both partners signed it; changes need both again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partnerships import services


@pytest.fixture
def first_version(partnership, mentee):
    return services.agreement_propose(
        partnership=partnership,
        by=mentee,
        channels="Video",
        response_time="Two days",
        checkin_cadence_days=14,
    )


def test_nothing_is_in_force_until_both_have_signed(partnership, first_version, mentee):
    assert services.agreement_in_force(partnership) is None
    services.agreement_sign(agreement=first_version, by=mentee)
    assert services.agreement_in_force(partnership) is None
    assert first_version.missing_signatures() == ["mentor"]


def test_signed_by_both_it_is_in_force(partnership, first_version, mentor, mentee):
    services.agreement_sign(agreement=first_version, by=mentee)
    services.agreement_sign(agreement=first_version, by=mentor)
    assert services.agreement_in_force(partnership) == first_version


def test_a_change_is_a_new_version_that_needs_both_signatures(
    partnership, first_version, mentor, mentee
):
    services.agreement_sign(agreement=first_version, by=mentee)
    services.agreement_sign(agreement=first_version, by=mentor)
    second = services.agreement_propose(
        partnership=partnership,
        by=mentor,
        channels="In person",
        response_time="Two days",
        checkin_cadence_days=7,
        change_note="Meet weekly",
    )
    assert second.version == 2
    services.agreement_sign(agreement=second, by=mentor)
    # Version 1 stays in force, and readable, until the mentee signs version 2.
    assert services.agreement_in_force(partnership) == first_version
    services.agreement_sign(agreement=second, by=mentee)
    assert services.agreement_in_force(partnership) == second
    assert list(partnership.agreements.values_list("version", flat=True)) == [2, 1]


def test_the_signed_cadence_governs_check_ins(partnership, first_version, mentor, mentee):
    second = services.agreement_propose(
        partnership=partnership, by=mentor, channels="x", response_time="y", checkin_cadence_days=7
    )
    for person in (mentor, mentee):
        services.agreement_sign(agreement=second, by=person)
    partnership.refresh_from_db()
    assert partnership.checkin_cadence_days == 7
    assert (partnership.next_checkin_due_on - partnership.started_on).days == 7


def test_an_old_version_cannot_be_signed(partnership, first_version, mentor):
    services.agreement_propose(partnership=partnership, by=mentor, channels="x", response_time="y")
    with pytest.raises(ValidationError) as refused:
        services.agreement_sign(agreement=first_version, by=mentor)
    assert refused.value.messages == [
        "Version 1 has been replaced by version 2; sign that one instead."
    ]


def test_signing_twice_is_refused(first_version, mentee):
    services.agreement_sign(agreement=first_version, by=mentee)
    with pytest.raises(ValidationError, match="You have already signed this version."):
        services.agreement_sign(agreement=first_version, by=mentee)


def test_an_outsider_cannot_sign(first_version, outsider, coordinator):
    for person in (outsider, coordinator):
        with pytest.raises(PermissionDenied):
            services.agreement_sign(agreement=first_version, by=person)
    first_version.refresh_from_db()
    assert first_version.missing_signatures() == ["mentor", "mentee"]
