"""Every form a partner can submit, read off the pages themselves.

The pages are the source of truth: each ``<form method="post">`` is parsed into its action
and its fields with the values the page fills in (the first option of a select, the
checked radio), which makes a valid submission. The XSS and bad-input tests then replace
the values. A new form on these pages is picked up without editing this file.

Named submit buttons and file inputs are kept apart from the fields: a browser sends only
the button that was pressed, and a file is uploaded, not typed.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.urls import resolve, reverse

from goals import services as goal_services
from partnerships import services
from tests.builders import make_partnership, make_programme, make_user, today_for

# Forms that end or undo the session or the partnership; posted last, or not at all.
DESTRUCTIVE = {"logout", "partnerships:pause", "partnerships:end", "goals:decline"}
# Text inputs: what a person can write (hidden fields, dates and choices are not).
TEXT_TYPES = {"text", "search", "email", "textarea", None}


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    text_fields: list[str] = field(default_factory=list)
    hx: bool = False
    secret_fields: list[str] = field(default_factory=list)  # passwords: typed, never shown
    buttons: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    # Every value each select, radio group or checkbox group offers, chosen or not.
    choices: dict[str, list[str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return resolve(self.action).view_name


class FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.form = Form(action=a.get("action") or self.page_url, hx="hx-post" in a)
            return
        if self.form is not None and tag == "option" and self.select:
            self.form.choices.setdefault(self.select, []).append(a.get("value", ""))
            if "selected" in a or self.select not in self.form.fields:
                self.form.fields[self.select] = a.get("value", "")
            return
        if self.form is None or "name" not in a:
            return
        name = a["name"]
        kind = (a.get("type") or ("submit" if tag == "button" else "text")).lower()
        if tag in ("button", "input") and kind == "submit":
            self.form.buttons[name] = a.get("value") or ""
            return
        if tag == "input":
            if kind == "button":
                return
            if kind == "file":
                self.form.files.append(name)
                return
            if kind in ("radio", "checkbox"):
                self.form.choices.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a or name not in self.form.fields:
                    self.form.fields[name] = a.get("value", "on")
                return
            self.form.fields[name] = a.get("value") or ""
            if kind in TEXT_TYPES and name != "csrfmiddlewaretoken":
                self.form.text_fields.append(name)
            elif kind == "password":
                self.form.secret_fields.append(name)
        elif tag == "textarea":
            self.form.fields[name] = ""
            self.form.text_fields.append(name)
            self.textarea = name
        elif tag == "select":
            self.select = name

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            self.form.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_on(client, url: str) -> list[Form]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = FormParser(url)
    parser.feed(response.content.decode())
    return parser.forms


@dataclass
class PartnerWorld:
    partnership: object
    ended: object
    mentor: object
    mentee: object

    def pages(self) -> list[str]:
        """Every page where a partner finds a form to fill in."""
        p, goal = self.partnership, self.partnership.goals.order_by("pk").first()
        checkin = self.partnership.checkins.first()
        return [
            reverse("home"),
            reverse("profile"),
            reverse("partnerships:workspace", args=[p.code]),
            reverse("partnerships:checkin_new", args=[p.code]),
            reverse("partnerships:checkin", args=[checkin.code]),
            reverse("goals:detail", args=[goal.code]),
            reverse("partnerships:workspace", args=[self.ended.code]),
            reverse("reminders:preferences"),
            reverse("matching:suggestions"),
        ]


def build_partner_world() -> PartnerWorld:
    """An active partnership with a goal, a proposed goal and a check-in both can add to,
    and an ended one waiting for closing reflections."""
    programme = make_programme("Fuzz Cohort")
    mentor, mentee = make_user("Mo Mentor"), make_user("Mia Mentee")
    partnership = make_partnership(programme, mentor, mentee)
    services.agreement_propose(
        partnership=partnership, by=mentor, channels="Video", response_time="2 days"
    )
    goal = goal_services.goal_create(partnership=partnership, by=mentee, title="Speak up")
    goal_services.goal_create(
        partnership=partnership, by=mentor, title="Proposed", owner_role="mentee"
    )
    goal_services.goal_change_propose(goal=goal, by=mentor, reason="Sharper", title="Sharper")
    goal_services.next_step_create(
        partnership=partnership, by=mentee, description="Draft", owner=mentee, goal=goal
    )
    services.checkin_start(partnership=partnership, by=mentee, held_on=today_for(mentee))
    ended = make_partnership(make_programme("Ended Cohort"), mentor, mentee)
    services.partnership_complete(partnership=ended, by=mentor)
    return PartnerWorld(partnership, ended, mentor, mentee)


def every_form(client, world: PartnerWorld, person) -> list[Form]:
    """Each distinct form (by action) this person finds on the pages, first seen wins."""
    client.force_login(person)
    found: dict[str, Form] = {}
    for url in world.pages():
        for form in forms_on(client, url):
            found.setdefault(form.action, form)
    return list(found.values())
