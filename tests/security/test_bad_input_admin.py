"""Bad input in the admin, as a coordinator uses it.

Every admin page the coordinator can open is opened with junk in its query string (search,
ordering, page, every filter and date the page links to, and the model's own fields), and
every form on it is posted random and malformed data: add and change forms, the action bar,
the programme's invitations and matching pages. Every action runs on junk selections, with
its own follow-up page (the reason for closing, the delete confirmation) fuzzed too, and
the CSV of people to invite is sent random bytes, other encodings, wrong columns, huge
rows, empty and non-CSV files. Never a server error; a refusal is a page that says what is
wrong, and a form shown again says what to fix.

The pages come from the URLconf: an admin page the coordinator can open that is missing
here fails `test_every_admin_page_the_coordinator_can_open_is_fuzzed`.
"""

import csv
import io
import json
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, resolve, reverse
from hypothesis import given
from hypothesis import strategies as st

from partnerships.models import Invitation, Programme
from tests.builders import join, make_user
from tests.security.forms import Form, FormParser, forms_on
from tests.security.fuzz import (
    VALUE,
    WORLD_TEXT,
    assert_clear_answer,
    assert_form_again_says_why,
    fuzz,
    mangled,
    query,
)
from tests.security.test_matrix import Victim, log_in, snapshot
from tests.security.test_url_walk import walk

# The pages of each model's admin that a coordinator can open.
MODEL_PAGES = {
    "goals_goal": ("changelist", "change", "history"),
    "mentorship_user": ("changelist", "change", "history"),  # read-only: people are theirs
    "partnerships_activity": ("changelist", "change", "history"),
    "partnerships_agreement": ("changelist", "change", "history"),
    "partnerships_application": ("changelist", "change", "history"),  # decided, not edited
    "partnerships_checkin": ("changelist", "change", "history"),
    "partnerships_coordinatoraction": ("changelist", "change", "history"),
    "partnerships_feedback": ("changelist", "change", "history"),
    "partnerships_invitation": ("changelist", "change", "history"),
    "partnerships_matchrequest": ("changelist", "change", "history"),
    "partnerships_matchanswer": ("changelist", "change", "history"),
    "partnerships_participant": ("changelist", "add", "change", "delete", "history"),
    "partnerships_partnership": ("changelist", "add", "change", "history"),
    "partnerships_programme": ("changelist", "add", "change", "history"),
    "partnerships_reminder": ("changelist", "change", "history"),
    "partnerships_survey": ("changelist", "add", "change", "delete", "history"),
}
# Every admin page a coordinator can open; a new one must be added here to be fuzzed.
PAGES = [
    "admin:index",
    "admin:app_list goals",
    "admin:app_list mentorship",
    "admin:app_list partnerships",
    "admin:password_change",
    "admin:password_change_done",
    "admin:jsi18n",
    *(f"admin:{model}_{page}" for model, pages in MODEL_PAGES.items() for page in pages),
    "admin:partnerships_programme_dashboard",
    "admin:partnerships_programme_invitations",
    "admin:partnerships_programme_matching",
    "admin:partnerships_programme_export_partnerships",
    "admin:partnerships_programme_export_goals",
    "admin:partnerships_programme_surveys",
    "admin:partnerships_programme_survey_results",
    "admin:partnerships_programme_outcomes",
    "admin:partnerships_programme_compare",
    "admin:partnerships_programme_next_cohort",
]
CHANGELISTS = [page for page in PAGES if page.endswith("_changelist")]
NOT_FUZZED = {"admin:logout"}  # on every page; takes no input
# The admin's own query parameters: search, ordering, page, "show all", popups, the
# "invalid filter" flag, the field a popup returns, and the filters a change page keeps.
ADMIN_PARAMS = ["q", "o", "p", "all", "e", "_popup", "_to_field", "_changelist_filters", "page"]


@pytest.fixture
def victim_programme(db, settings):
    """The matrix's programme, full of objects, seen by its own coordinator."""
    settings.REQUIRE_2FA_FOR_STAFF = False  # straight in: two-factor has tests of its own
    victim_programme = Victim()
    join(victim_programme.programme, make_user("Dee Deletable"), "mentee")  # nothing protects her
    return victim_programme


@pytest.fixture
def as_coordinator(client, victim_programme):
    log_in(client, victim_programme.coordinator)
    return client


def admin_pages(victim_programme) -> dict[str, str]:
    """Every admin page by name (app index pages by app), with the world's objects in the
    URLs."""
    pages = {}
    for route, name, pattern in walk(get_resolver().url_patterns):
        if not name.startswith("admin:") or name == "admin:":
            continue  # unnamed: the catch-all and the old-style object URLs (redirects)
        if name == "admin:app_list":
            for label in {model._meta.app_label for model in admin.site._registry}:
                pages[f"{name} {label}"] = reverse(name, args=[label])
        elif getattr(pattern.pattern, "converters", None):
            pages[name] = victim_programme.url(route, name)
        else:
            pages[name] = "/" + route
    return pages


def test_every_admin_page_the_coordinator_can_open_is_fuzzed(as_coordinator, victim_programme):
    pages = admin_pages(victim_programme)
    assert None not in pages.values(), "test_matrix.Victim cannot fill some admin URL"
    opened = {name for name, url in pages.items() if as_coordinator.get(url).status_code == 200}
    assert opened == set(PAGES)


# --- query strings ----------------------------------------------------------------------------


class LinkParser(HTMLParser):
    """The names in the query strings of the page's own links: ``?status__exact=active``."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        if tag == "a" and "?" in href:
            self.names.update(name for name, _ in parse_qsl(urlsplit(href).query))


def query_names(client, url: str) -> list[str]:
    """What the page's links filter by, the admin's own parameters, and on a list, lookups on
    every field of its model (Django allows any lookup on the model's own fields)."""
    response = client.get(url)
    parser = LinkParser()
    if response.get("Content-Type", "").startswith("text/html"):
        parser.feed(response.content.decode())
    names = parser.names | set(ADMIN_PARAMS)
    model_admin = getattr(resolve(url).func, "model_admin", None)
    if model_admin is not None and resolve(url).url_name.endswith("_changelist"):
        for field in model_admin.model._meta.concrete_fields:
            names |= {
                field.name,
                f"{field.name}__in",
                f"{field.name}__gte",
                f"{field.name}__isnull",
            }
    return sorted(names)


@pytest.mark.parametrize("page", PAGES)
def test_junk_in_the_query_string_never_breaks_an_admin_page(
    as_coordinator, victim_programme, page
):
    url = admin_pages(victim_programme)[page]
    names = query_names(as_coordinator, url)

    @fuzz(examples=8 if page in CHANGELISTS else 4)
    @given(params=query(names))
    def open_with_junk(params):
        response = as_coordinator.get(url, params)
        assert_clear_answer(response, (url, params))

    open_with_junk()


# --- forms ------------------------------------------------------------------------------------

NON_CSV = [
    b"",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
    b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",  # a .xlsx
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    b"\xef\xbb\xbf",
    b"\xff\xfee\x00m\x00a\x00i\x00l\x00",  # UTF-16 with its byte order mark
    b"\n\n\r\n",
    b"email,name,role\n",
    b"email,name,role\n\x00,\x00,\x00\n",
    b'email,name,role\n"unclosed,quote,mentee\n',
]
HEADER = ["email", "name", "role", "interests", "capacity"]
CELL = st.one_of(
    VALUE,
    st.sampled_from(["mentor", "mentee", "MENTOR", "coach", "1", "20", "21", "70000"]),
    st.emails().map(str.upper),
    st.sampled_from(WORLD_TEXT),
)


def as_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


@st.composite
def csv_files(draw) -> bytes:
    """A file a coordinator might upload by mistake, or an attacker on purpose."""
    header = draw(
        st.one_of(
            st.just(HEADER),
            st.permutations(HEADER).map(list),
            st.lists(st.sampled_from([*HEADER, "Mentor capacity", "E-mail", ""]), max_size=7),
            st.lists(st.text(max_size=10), max_size=4),
        )
    )
    rows = draw(st.lists(st.lists(CELL, max_size=len(header) + 2), max_size=5))
    text = as_csv([header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    return draw(
        st.one_of(
            st.just(text.encode(encoding, errors="replace")),
            st.binary(max_size=500),
            st.sampled_from(NON_CSV),
            st.just(as_csv([HEADER, ["a@example.org", "x" * 200_000, "mentee"]]).encode()),
            st.just(as_csv([HEADER, ["b@example.org", "Bo", "mentee", *["x"] * 5000]]).encode()),
        )
    )


FILE_NAMES = st.sampled_from(["people.csv", "people.xlsx", "../../people.csv", "a" * 300, "é.csv"])


def uploaded(draw, form: Form) -> dict:
    return {
        name: SimpleUploadedFile(draw(FILE_NAMES), draw(csv_files()), content_type="text/csv")
        for name in form.files
        if draw(st.booleans())
    }


@st.composite
def submission(draw, form: Form) -> dict:
    """Mangled fields, maybe the press of one of the form's buttons, maybe a file."""
    payload = draw(mangled(form.fields))
    button = draw(st.sampled_from([None, *form.buttons]))
    if button is not None:
        payload[button] = [draw(st.one_of(st.just(form.buttons[button]), VALUE))]
    return {**payload, **uploaded(draw, form)}


def forms_in(response, url) -> list[Form]:
    parser = FormParser(url)
    parser.feed(response.content.decode())
    return parser.forms


def forms_to_fuzz(client, url: str) -> list[Form]:
    response = client.get(url)
    forms = []
    if response.get("Content-Type", "").startswith("text/html"):
        forms = [form for form in forms_in(response, url) if form.name not in NOT_FUZZED]
    # A page without a form (a list of changes, a CSV export) still gets posts.
    return forms or [Form(action=url)]


@pytest.mark.parametrize("page", PAGES)
def test_random_and_malformed_posts_never_break_an_admin_form(
    as_coordinator, victim_programme, page
):
    url = admin_pages(victim_programme)[page]
    forms = forms_to_fuzz(as_coordinator, url)

    @fuzz(examples=6)
    @given(data=st.data())
    def post_rubbish(data):
        form = data.draw(st.sampled_from(forms))
        payload = data.draw(submission(form))
        response = as_coordinator.post(form.action, payload)
        assert_clear_answer(response, (form.action, payload))
        assert_form_again_says_why(response, form, (form.action, payload))

    post_rubbish()


# --- actions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", CHANGELISTS)
def test_every_action_on_junk_selections_answers_clearly(as_coordinator, victim_programme, page):
    url = admin_pages(victim_programme)[page]
    [bar] = [form for form in forms_on(as_coordinator, url) if form.name == resolve(url).view_name]
    actions = [action for action in bar.choices.get("action", []) if action]
    ids = bar.choices.get("_selected_action", [])

    def run(action, selected, index="0", across="0"):
        payload = {"action": action, "_selected_action": selected, "index": index}
        response = as_coordinator.post(url, {**payload, "select_across": across})
        assert_clear_answer(response, (url, payload, across))
        return response

    # Each action on each object alone and on junk; an action with a page of its own (the
    # reason for closing, the delete confirmation) has that page's form fuzzed too.
    follow_ups = []
    for action in actions:
        for selected in [*([pk] for pk in ids), ["abc"]]:
            response = run(action, selected)
            if response.status_code == 200:
                follow_ups += [f for f in forms_in(response, url) if f.name not in NOT_FUZZED]

    @fuzz(examples=10)
    @given(
        action=st.one_of(st.sampled_from(actions), VALUE) if actions else VALUE,
        selected=st.lists(st.one_of(st.sampled_from(ids), VALUE) if ids else VALUE, max_size=3),
        index=st.one_of(st.just("0"), VALUE),
        across=st.sampled_from(["0", "1", "", "yes"]),
        data=st.data(),
    )
    def run_rubbish(action, selected, index, across, data):
        run(action, selected, index, across)
        if follow_ups:
            form = data.draw(st.sampled_from(follow_ups))
            step = data.draw(submission(form))
            assert_clear_answer(as_coordinator.post(form.action, step), (form.action, step))

    run_rubbish()


AUTOCOMPLETE = [
    ("partnerships", "participant", "user"),
    ("partnerships", "partnership", "mentor"),
    ("partnerships", "partnership", "mentee"),
]


def test_junk_in_the_autocomplete_answers_clearly(as_coordinator, victim_programme):
    """Not a page of its own (opened bare, it refuses): the search behind a person picker."""

    @fuzz(examples=25)
    @given(
        source=st.one_of(st.sampled_from(AUTOCOMPLETE), st.tuples(VALUE, VALUE, VALUE)),
        term=VALUE,
        page=st.one_of(st.just("1"), VALUE),
    )
    def search(source, term, page):
        app_label, model_name, field_name = source
        params = {"app_label": app_label, "model_name": model_name, "field_name": field_name}
        response = as_coordinator.get(
            reverse("admin:autocomplete"), {**params, "term": term, "page": page}
        )
        assert_clear_answer(response, (params, term, page))
        if response.status_code == 200:
            assert "results" in json.loads(response.content)

    search()


# --- the CSV of people to invite ---------------------------------------------------------------


def upload(client, programme, content: bytes, name: str = "people.csv"):
    url = reverse("admin:partnerships_programme_invitations", args=[programme.pk])
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(url, {"upload": "", "file": file})


def test_a_bad_csv_is_refused_row_by_row_and_nothing_is_imported(as_coordinator, victim_programme):
    @fuzz(examples=40)
    @given(content=csv_files(), name=FILE_NAMES)
    def send(content, name):
        before = Invitation.objects.count()
        response = upload(as_coordinator, victim_programme.programme, content, name)
        assert_clear_answer(response, content[:200])
        if response.status_code == 200:
            page = response.content.decode()
            assert "Nothing was imported." in page or 'class="errorlist' in page, content[:200]
            assert Invitation.objects.count() == before
        else:
            assert response.status_code == 302, content[:200]

    send()


def test_a_csv_over_two_megabytes_is_refused_with_the_limit(as_coordinator, victim_programme):
    big = as_csv([HEADER] + [[f"p{i}@example.org", "P", "mentee"] for i in range(120_000)])
    assert len(big) > 2 * 1024 * 1024
    response = upload(as_coordinator, victim_programme.programme, big.encode())
    assert response.status_code == 200
    assert "The file is larger than 2 MB; split it into smaller files." in response.text
    assert not Invitation.objects.filter(email="p1@example.org").exists()


# --- Unicode ----------------------------------------------------------------------------------


def test_unicode_and_right_to_left_names_round_trip_through_a_csv(as_coordinator, victim_programme):
    rows = [[f"person{i}@example.org", text, "mentee"] for i, text in enumerate(WORLD_TEXT)]
    response = upload(
        as_coordinator, victim_programme.programme, as_csv([HEADER[:3], *rows]).encode()
    )
    assert response.status_code == 302
    names = Invitation.objects.filter(email__startswith="person").order_by("email")
    assert list(names.values_list("name", flat=True)) == WORLD_TEXT
    page = as_coordinator.get(response["Location"]).content.decode()
    assert all(text in page for text in WORLD_TEXT)


@pytest.mark.parametrize("text", WORLD_TEXT)
def test_unicode_and_right_to_left_names_round_trip_through_the_admin(
    client, as_coordinator, victim_programme, text
):
    # People's names are changed by superusers only (coordinators read them).
    client.force_login(make_user("Sue Super", is_staff=True, is_superuser=True))
    user_url = reverse("admin:mentorship_user_change", args=[victim_programme.mentee.pk])
    [form] = [f for f in forms_on(client, user_url) if f.name.endswith("_change")]
    response = client.post(user_url, {**form.fields, "name": text})
    assert response.status_code == 302
    assert get_user_model().objects.get(pk=victim_programme.mentee.pk).name == text
    log_in(client, victim_programme.coordinator)
    assert text in client.get(user_url).content.decode()

    add_url = reverse("admin:partnerships_programme_add")
    [form] = [f for f in forms_on(as_coordinator, add_url) if f.name.endswith("_add")]
    fields = {**form.fields, "name": text, "slug": "unicode", "starts_on": "2026-01-05",
              "ends_on": "2026-06-30"}  # fmt: skip
    response = as_coordinator.post(add_url, fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    programme = Programme.objects.get(slug="unicode")
    assert programme.name == text
    change_url = reverse("admin:partnerships_programme_change", args=[programme.pk])
    assert text in as_coordinator.get(change_url).content.decode()


# --- Out-of-range ids and dates: 4xx for staff too ----------------------------------------------

HUGE = "99999999999999999999"  # past a bigint


@pytest.fixture(params=["coordinator", "superuser"])
def as_staff(request, client, victim_programme):
    person = (
        victim_programme.coordinator
        if request.param == "coordinator"
        else make_user("Sue Super", is_staff=True, is_superuser=True)
    )
    log_in(client, person)
    return client


@pytest.mark.parametrize(
    "query",
    [
        f"id__in={HUGE}",
        f"id__in=1,{HUGE}",
        "id__regex=(",  # was a database error shown as "briefly unavailable" (503)
        "created_at__year=9999",  # the year after it is past the calendar
        "created_at__year=10000",
        "created_at__year=1",
        "created_at__year=0",
        f"created_at__year={HUGE}",
        "created_at__year=2026&created_at__month=13",
        "created_at__year=9999&created_at__month=12&created_at__day=31",
    ],
)
def test_out_of_range_lookups_land_on_the_lists_error_page(as_staff, query):
    url = reverse("admin:partnerships_coordinatoraction_changelist")
    response = as_staff.get(f"{url}?{query}")
    assert (response.status_code, response["Location"]) == (302, f"{url}?e=1")


def test_a_date_hierarchy_year_inside_the_calendar_is_a_list(as_staff):
    url = reverse("admin:partnerships_coordinatoraction_changelist")
    for year in ("2", "9998"):
        assert as_staff.get(url, {"created_at__year": year}).status_code == 200, year


def test_the_view_on_site_shortcut_with_a_huge_id_is_not_found(as_staff, victim_programme):
    from django.contrib.contenttypes.models import ContentType

    partnership = ContentType.objects.get_for_model(victim_programme.partnership).pk
    for url in (f"/admin/r/{partnership}/{HUGE}/", f"/admin/r/{HUGE}/1/"):
        assert as_staff.get(url).status_code == 404, url


def test_an_action_on_a_huge_id_changes_nothing(as_staff, victim_programme):
    before = snapshot_without_looks()
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for action in model_admin._get_base_actions():
            data = {"action": action.name, "_selected_action": [HUGE], "index": "0"}
            response = as_staff.post(url, data)
            assert response.status_code in (200, 302, 403), (url, action.name)
    assert snapshot_without_looks() == before


def snapshot_without_looks():
    rows = snapshot()
    rows.pop("partnerships.CoordinatorAccess")  # the lists shown again record the looks
    rows.pop("mentorship.User")  # last_login
    return rows


@pytest.mark.parametrize(
    ("page", "data", "field"),
    [
        ("partnerships_participant_add", {"programme": HUGE, "role": "mentee"}, "programme"),
        ("partnerships_participant_add", {"user": HUGE, "role": "mentee"}, "user"),
        ("partnerships_partnership_add", {"mentor": HUGE, "mentee": HUGE}, "mentor"),
        ("partnerships_programme_add", {"coordinators": [HUGE]}, "coordinators"),
    ],
)
def test_an_add_form_given_a_huge_id_says_which_field(
    as_staff, victim_programme, page, data, field
):
    url = reverse(f"admin:{page}")
    [form] = [f for f in forms_on(as_staff, url) if f.name.endswith("_add")]
    before = snapshot_without_looks()
    response = as_staff.post(url, {**form.fields, **data})
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert snapshot_without_looks() == before
