"""The layout holds by construction: imports flow one way (import-linter), and an import
inside a function says why it is there."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("mentorship", "partnerships", "goals", "workspace", "coordinators", "reminders")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"], cwd=where, capture_output=True, text=True, timeout=120
    )


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout
    assert "2 kept, 0 broken" in result.stdout


def lint_imports_with(tmp_path, module: str, source: str) -> subprocess.CompletedProcess:
    """lint-imports over a copy of the code with one module added to it."""
    for app in (*APPS, "bench", "load"):
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / module).write_text(source)
    return lint_imports(tmp_path)


def test_an_upward_import_breaks_them(tmp_path):
    # A data app reaching up into the partners' pages.
    result = lint_imports_with(
        tmp_path, "partnerships/upward.py", "from workspace.page import Workspace\n"
    )
    assert result.returncode == 1
    assert "partnerships.upward -> workspace.page" in result.stdout


def test_a_room_importing_the_other_breaks_them(tmp_path):
    result = lint_imports_with(tmp_path, "coordinators/sideways.py", "import workspace.dashboard\n")
    assert result.returncode == 1
    assert "coordinators.sideways -> workspace.dashboard" in result.stdout


# ruff's PLC0415 refuses an import inside a function; its exemption must give the reason.
EXEMPTION = re.compile(r"#\s*noqa:\s*PLC0415(?P<reason>.*)$")


def test_every_import_inside_a_function_says_why():
    silent = []
    for app in (*APPS, "bench", "load"):
        for path in (ROOT / app).rglob("*.py"):
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                match = EXEMPTION.search(line)
                if match and len(match.group("reason").strip(" ()-:,.")) < 8:
                    silent.append(f"{path.relative_to(ROOT)}:{number}")
    assert silent == []
