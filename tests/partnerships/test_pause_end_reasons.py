"""Pausing and ending early: a reason category for the coordinator, and a note for the
partner that the coordinator reads only if its writer shares it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from partnerships import services
from partnerships.models import Partnership
from tests.reading import HTMX, feed, text_of, workspace

# --- pause and end: a category for the coordinator, a note for the partner --------------


def test_a_pause_keeps_the_category_the_note_and_who_paused(partnership, mentee):
    services.partnership_pause(
        partnership=partnership, by=mentee, reason="travel", note="Walking the Camino"
    )
    partnership.refresh_from_db()
    assert (
        partnership.status,
        partnership.pause_reason,
        partnership.pause_note,
        partnership.pause_note_shared,
        partnership.paused_by,
    ) == ("paused", "travel", "Walking the Camino", False, mentee)


def test_the_feed_carries_the_category_and_never_the_note(partnership, mentee, mentor):
    services.partnership_pause(
        partnership=partnership, by=mentee, reason="health", note="Surgery in May"
    )
    services.partnership_resume(partnership=partnership, by=mentor)
    services.partnership_end(
        partnership=partnership, by=mentor, reason="not_a_fit", note="We want different things"
    )
    assert feed(partnership)[-3:] == [
        ("paused", "paused the partnership (health or personal reasons)"),
        ("active", "resumed the partnership"),
        ("ended_early", "ended the partnership early (not a good fit)"),
    ]


def test_resuming_clears_the_pause_and_its_note(partnership, mentee, mentor):
    services.partnership_pause(
        partnership=partnership, by=mentee, reason="busy", note="Exams", share_note=True
    )
    services.partnership_resume(partnership=partnership, by=mentor)
    partnership.refresh_from_db()
    assert (
        partnership.pause_reason,
        partnership.pause_note,
        partnership.pause_note_shared,
        partnership.paused_by,
    ) == ("", "", False, None)


def test_ending_a_paused_partnership_keeps_only_the_end(partnership, mentee):
    services.partnership_pause(partnership=partnership, by=mentee, reason="busy", note="Exams")
    services.partnership_end(
        partnership=partnership, by=mentee, reason="no_time", note="Sorry!", share_note=True
    )
    partnership.refresh_from_db()
    assert (partnership.pause_reason, partnership.pause_note, partnership.paused_by) == (
        "",
        "",
        None,
    )
    assert (
        partnership.end_reason,
        partnership.end_note,
        partnership.end_note_shared,
        partnership.ended_by,
    ) == ("no_time", "Sorry!", True, mentee)


def test_a_reason_outside_the_list_is_refused(partnership, mentee):
    with pytest.raises(ValidationError) as refused:
        services.partnership_pause(partnership=partnership, by=mentee, reason="Exams")
    assert refused.value.message_dict == {"reason": ["Choose one of the reasons listed."]}
    partnership.refresh_from_db()
    assert partnership.status == "active"


def test_sharing_an_empty_note_shares_nothing(partnership, mentee):
    services.partnership_pause(
        partnership=partnership, by=mentee, reason="busy", note="  ", share_note=True
    )
    partnership.refresh_from_db()
    assert (partnership.pause_note, partnership.pause_note_shared) == ("", False)


def test_a_coordinator_gives_a_category_and_keeps_their_words_for_the_log(partnership, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.partnership_end(
            partnership=partnership, by=coordinator, reason="left", note="Told me by phone"
        )
    assert refused.value.message_dict == {"note": ["Only the partners write a note here."]}
    services.partnership_end(partnership=partnership, by=coordinator, reason="left")
    partnership.refresh_from_db()
    assert (partnership.end_reason, partnership.end_note, partnership.ended_by) == (
        "left",
        "",
        coordinator,
    )


def test_an_outsider_cannot_end_it_with_a_reason(partnership, outsider):
    with pytest.raises(PermissionDenied):
        services.partnership_end(partnership=partnership, by=outsider, reason="left")


# --- the same rules in PostgreSQL ---------------------------------------------------------


def refused_by_the_database(partnership, constraint: str, **values) -> None:
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Partnership.objects.filter(pk=partnership.pk).update(**values)


def test_the_database_refuses_a_category_that_is_not_listed(partnership, mentee):
    services.partnership_pause(partnership=partnership, by=mentee, reason="busy")
    refused_by_the_database(partnership, "partnership_pause_reason_valid", pause_reason="exams")
    services.partnership_end(partnership=partnership, by=mentee, reason="left")
    refused_by_the_database(partnership, "partnership_end_reason_valid", end_reason="moved")


def test_the_database_keeps_a_pause_reason_only_while_paused(partnership, mentee):
    refused_by_the_database(
        partnership, "partnership_pause_reason_only_while_paused", pause_reason="busy"
    )
    refused_by_the_database(
        partnership, "partnership_pause_reason_only_while_paused", pause_note="Exams"
    )
    refused_by_the_database(
        partnership, "partnership_pause_reason_only_while_paused", paused_by=mentee
    )


def test_the_database_keeps_an_end_reason_only_when_ended_early(partnership, mentor):
    services.partnership_complete(partnership=partnership, by=mentor)
    refused_by_the_database(
        partnership, "partnership_end_reason_only_when_ended_early", end_reason="left"
    )
    refused_by_the_database(
        partnership, "partnership_end_reason_only_when_ended_early", end_note="Bye"
    )


def test_the_database_shares_only_a_written_note(partnership, mentee):
    services.partnership_pause(partnership=partnership, by=mentee, reason="busy")
    refused_by_the_database(
        partnership, "partnership_shares_only_a_written_note", pause_note_shared=True
    )


@pytest.mark.django_db(transaction=True)
def test_migration_0009_turns_an_old_end_reason_into_an_unshared_note(partnership, mentee):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    services.partnership_end(partnership=partnership, by=mentee)
    executor = MigrationExecutor(connection)
    executor.migrate([("partnerships", "0008_coordinator_accesses")])
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE partnerships_partnership SET end_reason = %s WHERE id = %s",
                ["Moved to Lisbon for a new job, so we agreed to stop here", partnership.pk],
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    partnership.refresh_from_db()
    assert (partnership.end_reason, partnership.end_note, partnership.end_note_shared) == (
        "",
        "Moved to Lisbon for a new job, so we agreed to stop here",
        False,
    )


# --- the workspace: pausing with a reason, and the partner reading it --------------------


def test_a_partner_pauses_with_a_reason_and_the_other_reads_the_note(
    client, partnership, mentor, mentee
):
    client.force_login(mentee)
    response = client.post(
        reverse("partnerships:pause", args=[partnership.code]),
        {"pause-reason": "waiting", "pause-note": "Waiting to hear about the new role"},
    )
    assert response.status_code == 302
    page = text_of(workspace(client, mentor, partnership))
    assert "Milo paused it: waiting on something." in page
    assert "Waiting to hear about the new role Only the two of you read this note" in page


def test_a_shared_end_note_says_so(client, partnership, mentor, mentee):
    client.force_login(mentor)
    client.post(
        reverse("partnerships:end", args=[partnership.code]),
        {"end-reason": "goals_met", "end-note": "Milo is flying!", "end-share_note": "on"},
    )
    page = text_of(workspace(client, mentee, partnership))
    assert "Mara ended it: goals achieved early." in page
    assert "Milo is flying! Shared with your coordinator" in page
    assert text_of(workspace(client, mentor, partnership)).count("You ended it:") == 1


def test_pausing_without_a_category_asks_for_one_and_keeps_the_note(client, partnership, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse("partnerships:pause", args=[partnership.code]),
        {"pause-note": "Exams until June"},
        headers=HTMX,
    )
    page = response.content.decode()
    assert "Choose a reason." in page
    assert "Exams until June</textarea>" in page
    assert '<details class="disclosure" open>' in page
    partnership.refresh_from_db()
    assert partnership.status == "active"


def test_the_pause_form_says_who_reads_what(client, partnership, mentor, mentee):
    page = text_of(workspace(client, mentee, partnership))
    assert (
        "Mara reads the reason and your note. Your coordinator can see the reason, "
        "never the note unless you share it." in page
    )
    assert "Share this note with the coordinator" in page


# --- the admin: the category always, the note only when shared ---------------------------


def change_page(client, coordinator, partnership) -> str:
    client.force_login(coordinator)
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    response = client.get(url)
    assert response.status_code == 200
    return text_of(response.content.decode())


def test_the_admin_shows_the_category_but_not_an_unshared_note(
    client, partnership, mentee, coordinator
):
    services.partnership_pause(
        partnership=partnership, by=mentee, reason="health", note="Chemotherapy until March"
    )
    page = change_page(client, coordinator, partnership)
    assert "Reason for the pause: Health or personal reasons" in page
    assert "Note on the pause: Not shared: it is between the partners." in page
    assert "Chemotherapy" not in page
    activities = Client()
    activities.force_login(coordinator)
    feed_page = activities.get(reverse("admin:partnerships_activity_changelist")).content
    assert b"paused the partnership (health or personal reasons)" in feed_page
    assert b"Chemotherapy" not in feed_page


def test_the_admin_shows_a_note_its_writer_shared(client, partnership, mentee, coordinator):
    services.partnership_end(
        partnership=partnership,
        by=mentee,
        reason="left",
        note="I moved to a new company",
        share_note=True,
    )
    page = change_page(client, coordinator, partnership)
    assert "Reason for ending early: Left the programme or organisation" in page
    assert "Note on ending: I moved to a new company" in page
