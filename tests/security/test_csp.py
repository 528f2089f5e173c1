"""The Content-Security-Policy header, and the templates that must live within it."""

import re
from pathlib import Path

from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_every_page_carries_an_enforced_policy_with_a_fresh_nonce(client, mentee):
    client.force_login(mentee)
    first, second = client.get(reverse("home")), client.get(reverse("home"))
    policy = first["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in first
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert re.fullmatch(r"'self' 'nonce-[\w-]+'", directives["script-src"])
    assert re.fullmatch(r"'self' 'nonce-[\w-]+'", directives["style-src"])
    assert directives["object-src"] == directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy
    nonce = directives["script-src"].split("'nonce-")[1].rstrip("'")
    assert f'nonce="{nonce}"' in first.content.decode()  # htmx's <script> carries it
    assert nonce not in second["Content-Security-Policy"]


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(client, mentee):
    client.force_login(mentee)
    page = client.get(reverse("home")).content.decode()
    assert '"includeIndicatorStyles": false' in page
    assert '"allowEval": false' in page


def test_no_page_template_has_inline_styles_scripts_or_handlers():
    """Emails are exempt: they are not pages, and mail clients need inline styles."""
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        if "emails" in template.parts:
            continue
        text = template.read_text()
        for pattern in (r"\sstyle=", r"<style", r"\son[a-z]+=", r"<script(?![^>]*\bsrc=)", "hx-on"):
            if re.search(pattern, text):
                offenders.append(f"{template.relative_to(TEMPLATES)}: {pattern}")
    assert offenders == []
