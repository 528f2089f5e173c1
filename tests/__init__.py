"""The tests, one folder per app as the code is laid out (tests/workspace/ tests workspace/,
and so on), plus security/, browser/ and load/ across apps. Shared here: conftest.py (the named
people and the one fast-password fixture), builders.py, reading.py (a page as its words),
waiting.py (wait for a condition, not a time) and workspace_world.py (a partnership with
something of everything in it)."""
