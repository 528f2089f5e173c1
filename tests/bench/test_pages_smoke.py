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
    for page in ("baseline", "dashboard", "workspace from a page cache", "admin partnership list"):
        row = re.search(rf"^\| {page} \| (\d+) \| (\d+) \|", report, re.MULTILINE)
        assert row, f"no row for {page}:\n{report}"
        assert int(row.group(2)) > 0, f"{page} served nothing"
    assert "Web worker RSS after the load" in report
    # The export lists the whole programme: its growth is judged per row.
    assert re.search(r"^\| CSV export .* per row \|", report, re.MULTILINE), report
