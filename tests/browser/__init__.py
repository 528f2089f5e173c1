"""Across apps, in Chromium (Playwright): the pages as people use them, keyboard and
accessibility checks, and what a coordinator's browser can reach."""
