"""The "What your coordinator sees" panel: what coordinators can read about the
partnership, generated from PRIVATE_FIELDS, and when they last looked, and at what."""

import datetime

from django.urls import reverse
from django.utils import timezone

from partnerships.models import CoordinatorAccess, Feedback
from partnerships.privacy import models_with_private_fields
from tests.reading import HTMX, text_of, workspace
from workspace.coordinator_view import what_coordinators_see


def test_the_panel_lists_every_record_partners_write_with_what_is_never_seen(
    client, partnership, mentee
):
    page = workspace(client, mentee, partnership)
    panel = text_of(page[page.index('id="coordinator-view"') :].split("</section>")[0])
    assert "What your coordinator sees" in panel
    assert "Feedback Can see: author, recipient, rating, given at Never: comment" in panel, panel
    assert (
        "Agreements Can see: version, check-in cadence (days), proposed by, created at, "
        "mentor signed at, mentee signed at Never: how we meet, expected response time, "
        "confidentiality, off-limits topics, other expectations, change note" in panel
    )
    assert "Only if its writer shares it: note on the pause, note on ending" in panel
    labels = [record.label for record in what_coordinators_see()]
    for model in models_with_private_fields():
        assert model._meta.label in labels
        record = next(r for r in what_coordinators_see() if r.label == model._meta.label)
        for name in model.PRIVATE_FIELDS:
            said = str(model._meta.get_field(name).verbose_name)
            assert said in record.never + record.if_shared
            assert said not in record.seen


def test_the_panel_moves_a_field_when_it_is_marked_private(monkeypatch):
    monkeypatch.setattr(Feedback, "PRIVATE_FIELDS", ("comment", "rating"))
    what_coordinators_see.cache_clear()
    try:
        record = next(r for r in what_coordinators_see() if r.label == "partnerships.Feedback")
        assert (record.seen, record.never) == (
            ("author", "recipient", "given at"),
            ("rating", "comment"),
        )
    finally:
        monkeypatch.undo()
        what_coordinators_see.cache_clear()


def test_before_any_look_the_panel_says_not_yet(client, partnership, mentee):
    page = text_of(workspace(client, mentee, partnership))
    assert "Last looked: not yet." in page
    assert "No coordinator has looked at this partnership yet." in page


def look(partnership, coordinator, page: str, first: datetime.datetime, last, times: int):
    return CoordinatorAccess.objects.create(
        partnership=partnership,
        coordinator=coordinator,
        page=page,
        first_at=first,
        last_at=last,
        times=times,
    )


def test_the_panel_says_who_looked_at_what_and_when_last(
    client, partnership, mentee, coordinator, other_coordinator
):
    utc = datetime.UTC
    look(
        partnership,
        coordinator,
        "change",
        datetime.datetime(2026, 3, 2, 15, 0, tzinfo=utc),
        datetime.datetime(2026, 3, 9, 14, 30, tzinfo=utc),
        4,
    )
    look(
        partnership,
        coordinator,
        "dashboard",
        datetime.datetime(2026, 3, 10, 9, 5, tzinfo=utc),
        datetime.datetime(2026, 3, 10, 9, 5, tzinfo=utc),
        1,
    )
    page = text_of(workspace(client, mentee, partnership))
    # Milo reads New York time.
    assert "Last looked: 10 Mar 2026, 05:05, Cora Coordinator, at the programme dashboard." in page
    assert (
        "Cora Coordinator looked at the programme dashboard: last 10 Mar 2026, 05:05. "
        "Cora Coordinator looked at the partnership's page in the admin: "
        "last 9 Mar 2026, 10:30, 4 times since 2 Mar 2026." in page
    )


def test_another_partnerships_looks_are_not_shown(
    client, partnership, other_partnership, mentee, other_coordinator
):
    moment = timezone.now()
    look(other_partnership, other_coordinator, "change", moment, moment, 1)
    page = text_of(workspace(client, mentee, partnership))
    assert "Last looked: not yet." in page
    assert "Otto" not in page


def test_the_panel_costs_one_query_whatever_the_number_of_looks(
    client, partnership, mentee, coordinator, programme
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.builders import make_coordinator_of

    def queries() -> int:
        client.force_login(mentee)
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("partnerships:workspace", args=[partnership.code]))
        return [q["sql"] for q in captured if "coordinatoraccess" in q["sql"]]

    assert len(queries()) == 1
    moment = timezone.now()
    for n in range(5):
        person = coordinator if n == 0 else make_coordinator_of(programme, f"Coordinator {n}")
        for page in ("change", "list", "dashboard", "export"):
            look(partnership, person, page, moment, moment, 1)
    assert len(queries()) == 1


def test_htmx_fragments_do_not_load_the_looks(client, partnership, mentee):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(mentee)
    with CaptureQueriesContext(connection) as captured:
        client.post(
            reverse("goals:create", args=[partnership.code, "mentee"]),
            {"goal-mentee-title": "Speak at the all-hands"},
            headers=HTMX,
        )
    assert not [q for q in captured if "coordinatoraccess" in q["sql"]]
