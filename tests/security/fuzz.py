"""What the bad-input tests share: nasty values, form data mangled from a page's own values,
Hypothesis settings that keep the suite fast, and what counts as a clear answer."""

import os

from django.utils.html import strip_tags
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

NASTY_VALUES = [
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "not a date",
    "\x00",
    "a\x00b",
    "\ufeff",
    "\u202e",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "%s%n{0}",
    "../../etc/passwd",
    "x" * 5000,
]
NASTY = st.sampled_from(NASTY_VALUES)
VALUE = st.one_of(NASTY, st.text(max_size=60), st.integers().map(str))

# Names and text from around the world: every form that takes a name must keep them whole.
WORLD_TEXT = [
    "مرحبا بالعالم — مرشد",  # Arabic
    "שלום עולם",  # Hebrew
    "Zoë Ångström-Nguyễn",
    "e\u0301 a\u0308 n\u0303",  # combining marks
    "👩🏽‍💻 mentor 🚀",  # emoji with skin tone and ZWJ
    "\u202bمختلط mixed עברית\u202c",  # right-to-left embedding
]


@st.composite
def mangled(draw, fields: dict[str, str]):
    """The form's own values, some replaced, some dropped, some doubled, junk added."""
    data: dict[str, list[str]] = {}
    for name, value in fields.items():
        choice = draw(st.sampled_from(["keep", "replace", "drop", "double"]))
        if choice == "keep":
            data[name] = [value]
        elif choice == "replace":
            data[name] = [draw(VALUE)]
        elif choice == "double":
            data[name] = [value, draw(VALUE)]
    for junk in draw(st.lists(st.text(min_size=1, max_size=10), max_size=2)):
        data[junk] = [draw(VALUE)]
    return data


def fuzz(examples: int):
    """Hypothesis settings for a test that uses the database and the test client: a few
    examples, no deadline (the first request warms caches), no example database. The same
    examples every run, so `make test` is repeatable and a failure reproduces; set
    FUZZ_EXPLORE=1 to draw new ones (how the date-hierarchy overflow was found)."""
    return settings(
        max_examples=examples,
        derandomize=not os.environ.get("FUZZ_EXPLORE"),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def assert_clear_answer(response, what) -> None:
    """Never a server error; a refusal (4xx) is a page that says what went wrong.

    405 is the one refusal without a page: Django's ``require_POST`` answers it with the
    methods that do work in the Allow header, which is what a client needs to know.
    """
    # A streamed answer (a CSV export) is read to the end: an error may come late in it.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    status = response.status_code
    assert status < 500, f"{what} → {status}"
    if status == 405:
        assert response.get("Allow"), f"{what}: 405 without an Allow header"
    elif 400 <= status < 500:
        text = body.decode(errors="replace")
        assert strip_tags(text).strip(), f"{what}: a {status} with no message"
        if response.get("Content-Type", "").startswith("text/html"):
            assert "<h1" in text, f"{what}: a {status} that is not one of our pages"


# A form shown again has to say what to fix: one of these marks an error on our pages
# (Django's error list, an alert) and on the admin's (its error note).
ERROR_MARKS = ('class="errorlist', 'role="alert"', 'class="errornote"')


def assert_form_again_says_why(response, form, what) -> None:
    """If the answer is the same form again (the fields a person types are back), it shows
    an error."""
    from tests.security.forms import FormParser

    typed = set(form.text_fields + form.secret_fields)
    if response.status_code not in (200, 422) or not typed:
        return
    parser = FormParser(form.action)
    parser.feed(response.content.decode(errors="replace"))
    if any(set(again.text_fields + again.secret_fields) == typed for again in parser.forms):
        body = response.content.decode(errors="replace")
        assert any(mark in body for mark in ERROR_MARKS), f"{what}: the form again, no error"


@st.composite
def query(draw, names: list[str]):
    """A query string: one to three of the page's own parameters and maybe one made up, all
    with nasty values."""
    keys = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3))
    keys += draw(st.lists(st.text(max_size=12), max_size=1))
    return {key: draw(st.lists(VALUE, min_size=1, max_size=2)) for key in keys}


@st.composite
def tampered(draw, token: str):
    """A real token with a character dropped, changed or added, cut short, or run on."""
    how = draw(st.sampled_from(["drop", "change", "insert", "cut", "append", "case"]))
    at = draw(st.integers(0, len(token) - 1))
    char = draw(st.characters(codec="utf-8", exclude_characters="/"))
    bad = {
        "drop": token[:at] + token[at + 1 :],
        "change": token[:at] + char + token[at + 1 :],
        "insert": token[:at] + char + token[at:],
        "cut": token[:at],
        "append": token + char,
        "case": token.swapcase(),
    }[how]
    return bad if bad and bad != token else token + "x"
