"""Reading a CSV of people to invite, reporting every problem row by row.

Columns (header row required, any order, case-insensitive): email, name, role, and
optionally interests and capacity (also accepted as "mentor capacity").
"""

import csv
import io
from dataclasses import dataclass

from partnerships.models import Programme
from partnerships.services.invitations import Invitee, invitee_problems, participant_emails

REQUIRED = ("email", "name", "role")
OPTIONAL = ("interests", "capacity")
ALIASES = {"mentor capacity": "capacity", "mentor_capacity": "capacity"}
MAX_BYTES = 2 * 1024 * 1024


@dataclass
class RowError:
    line: int | None  # the line of the file (the header is line 1); None for the whole file
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}" if self.line else self.message


def read_invitees(programme: Programme, data: bytes) -> tuple[list[Invitee], list[RowError]]:
    """The invitees in a CSV file, and every problem found; import only if there are none."""
    if len(data) > MAX_BYTES:
        return [], [RowError(None, "The file is larger than 2 MB; split it into smaller files.")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [
            RowError(
                None,
                "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” "
                "and upload it again.",
            )
        ]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _read_rows(programme, reader)
    except csv.Error:
        # The only error csv raises on text read this way: a cell over its field limit.
        return [], [
            RowError(
                reader.line_num or None,
                f"A cell is longer than {csv.field_size_limit():,} characters, far more "
                "than a name, an email or interests: is this the right file?",
            )
        ]


def _read_rows(programme: Programme, reader) -> tuple[list[Invitee], list[RowError]]:
    header = next(reader, None)
    if not header:
        return [], [
            RowError(None, "The file is empty: it needs a header row and one row a person.")
        ]
    columns = [ALIASES.get(name.strip().lower(), name.strip().lower()) for name in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        return [], [RowError(1, f"Missing column{'s' * (len(missing) > 1)}: {', '.join(missing)}.")]
    index = {name: columns.index(name) for name in (*REQUIRED, *OPTIONAL) if name in columns}

    invitees, errors = [], []
    already_in = participant_emails(programme)
    first_seen: dict[str, int] = {}
    starts_on = reader.line_num + 1
    for row in reader:
        # A row's own first line: a quoted cell with a line break in it spans several.
        line, starts_on = starts_on, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue

        def cell(name, row=row):
            position = index.get(name)
            return row[position].strip() if position is not None and position < len(row) else ""

        problems = []
        capacity_text = cell("capacity")
        try:
            capacity = int(capacity_text) if capacity_text else 1
        except ValueError:
            problems.append(f"Capacity “{capacity_text}” is not a whole number.")
            capacity = 1
        invitee = Invitee(
            email=cell("email").lower(),
            name=cell("name"),
            role=cell("role").lower(),
            interests=cell("interests"),
            capacity=capacity,
        )
        problems += invitee_problems(invitee, participant_emails=already_in)
        if invitee.email in first_seen:
            problems.append(f"{invitee.email} is also on line {first_seen[invitee.email]}.")
        else:
            first_seen[invitee.email] = line
        errors += [RowError(line, problem) for problem in problems]
        invitees.append(invitee)
    if not invitees and not errors:
        errors.append(RowError(None, "The file has a header but nobody in it."))
    return invitees, errors
