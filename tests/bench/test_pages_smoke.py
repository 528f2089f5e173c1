"""A seconds-long run of `make bench` at tiny scale, so that the benchmark never rots."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_benchmark_runs_end_to_end_at_tiny_scale(tmp_path):
    output = tmp_path / "performance.md"
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--tiny", "--output", str(output)],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = output.read_text()
    rows = {
        cells[0]: cells[1:]
        for line in report.splitlines()
        if line.startswith("| ") and not line.startswith("| page")
        for cells in [[cell.strip() for cell in line.strip("|").split("|")]]
    }
    for page in (
        "baseline",
        "dashboard",
        "workspace",
        "check-in page",
        "notifications",
        "find a mentor",
        "workspace from a page cache",
        "admin partnership list",
    ):
        assert page in rows, f"no row for {page}:\n{report}"
        queries, server_ms, sql_ms, over_sql = rows[page][:4]
        assert int(queries) > 0, f"{page} read nothing"
        assert float(server_ms) > float(sql_ms) > 0, f"{page}: server {server_ms}, SQL {sql_ms}"
        assert float(over_sql) >= 1, f"{page}: server/SQL {over_sql}"
    # Two seconds of load: the light pages always complete requests, even on a busy machine.
    for page in ("baseline", "dashboard", "workspace from a page cache", "admin partnership list"):
        assert int(rows[page][4]) > 0, f"{page} served nothing"
    assert "Web worker RSS after the load" in report
    # The export lists the whole programme: its growth is judged per row.
    assert re.search(r"^\| CSV export .* per row \|", report, re.MULTILINE), report
