"""Getting data out: streamed CSVs of partnerships with health, and of goals; metadata only."""

import csv
import io
import re

from django.http import StreamingHttpResponse
from hypothesis import given
from hypothesis import strategies as st

from coordinators import exports
from partnerships.models import CoordinatorAction, Partnership
from tests.coordinators.conftest import page, populate


def rows_of(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


# What a spreadsheet may run: a cell (after spaces and stray quotes) starting with one of these.
FORMULA = re.compile(r'^[\s"]*[=+\-@]')


def text_of(rows) -> str:
    return b"".join(exports.csv_response(rows, "x.csv").streaming_content).decode()


def formulas_in(text: str) -> dict[str, list[str]]:
    """The cells a spreadsheet would see as formulas, read with either list separator."""
    return {
        delimiter: [
            cell
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            for cell in row
            if FORMULA.match(cell)
        ]
        for delimiter in (",", ";")
    }


def test_the_partnership_export_has_health_figures(as_coordinator, programme, coordinator):
    programme.health_grace_days = 0  # the low rating was given today: show it at once
    programme.save()
    populate(programme, 1)
    response = as_coordinator.get(page("export_partnerships", programme))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{programme.slug}-partnerships-'
    )
    header, row = rows_of(response)
    assert header == exports.PARTNERSHIP_COLUMNS
    record = dict(zip(header, row, strict=True))
    assert record["mentor"] == "Mentor bulk 0000"
    assert record["status"] == "Active"
    assert record["days since check-in"] == "0"
    took_part = ("recent check-ins", "mentor took part in", "mentee took part in")
    assert tuple(record[column] for column in took_part) == ("1", "1", "1")
    assert record["latest rating for mentor"] == "2"
    assert record["at risk"] == "yes"
    assert record["why"] == "Low feedback: the mentor was last rated 2/5"
    assert CoordinatorAction.objects.get().summary == "exported partnerships"


def test_the_goal_export_has_titles_and_statuses_but_no_private_text(as_coordinator, programme):
    populate(programme, 2)
    response = as_coordinator.get(page("export_goals", programme))
    header, *rows = rows_of(response)
    assert header == exports.GOAL_COLUMNS
    assert [(r[3], r[4], r[5]) for r in rows] == [
        ("Goal 0", "mentee", "active"),
        ("Goal 1", "mentee", "active"),
    ]


def test_exports_never_contain_agendas_descriptions_or_comments(as_coordinator, programme):
    populate(programme, 3)
    for name in ("export_partnerships", "export_goals"):
        text = b"".join(as_coordinator.get(page(name, programme)).streaming_content).decode()
        assert "SECRET" not in text


def test_a_cell_that_looks_like_a_formula_is_exported_as_text(as_coordinator, programme):
    [p] = populate(programme, 1)
    p.goals.update(title='=HYPERLINK("http://evil")')
    _header, row = rows_of(as_coordinator.get(page("export_goals", programme)))
    assert row[3] == '\'=HYPERLINK("http://evil")'


def test_a_cell_with_semicolons_cannot_smuggle_a_formula_to_a_semicolon_locale(
    as_coordinator, programme
):
    [p] = populate(programme, 1)
    p.goals.update(title="Plan;=1+1;next")
    text = b"".join(as_coordinator.get(page("export_goals", programme)).streaming_content)
    text = text.decode()
    assert formulas_in(text) == {",": [], ";": []}
    _header, row = list(csv.reader(io.StringIO(text)))
    assert row[3] == "Plan;'=1+1;next"


def test_every_cell_is_quoted():
    assert text_of([["Ada", 3, "", None]]) == '"Ada","3","",""\r\n'


def test_leading_formula_characters_tabs_and_line_breaks_are_neutralised():
    cells = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", ' "=1', "a\n=1", "a\t+1"]
    text = text_of([cells])
    assert formulas_in(text) == {",": [], ";": []}
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t'=1", "'\r'=1", "' \"=1", "a\n'=1", "a\t'+1"]
    ]


TRICKY = st.text(alphabet=st.sampled_from(list("a1 =+-@;,\"'\t\r\n")), max_size=12)


@given(st.lists(st.lists(TRICKY, min_size=1, max_size=4), min_size=1, max_size=3))
def test_no_text_reads_as_a_formula_with_either_separator(rows):
    text = text_of(rows)
    assert formulas_in(text) == {",": [], ";": []}
    # Read back with the file's own separator, each cell is the text with quote marks added.
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert [[cell.replace("'", "") for cell in row] for row in back] == [
        [cell.replace("'", "") for cell in row] for row in rows
    ]


def test_the_export_reads_in_chunks_and_keeps_every_row(monkeypatch, programme):
    monkeypatch.setattr(exports, "CHUNK", 2)
    made = populate(programme, 5)
    rows = list(exports.partnership_rows(Partnership.objects.filter(programme=programme)))
    assert len(rows) == 1 + 5
    assert [r[1] for r in rows[1:]] == [p.mentor.user.name for p in made]


def test_a_coordinator_of_another_programme_gets_nothing(as_other_coordinator, programme):
    populate(programme, 1)
    for name in ("export_partnerships", "export_goals"):
        assert as_other_coordinator.get(page(name, programme)).status_code == 404
    assert not CoordinatorAction.objects.exists()
