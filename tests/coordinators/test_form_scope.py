"""Every foreign-key and many-to-many field of every admin form and inline accepts only what
the person may choose, checked by the form field itself (not by the widget).

The forms are not listed here: every registered admin's add and change pages are opened,
every relational field of the form and of each inline is read off the form Django built,
and an id from outside the person's scope is posted to it over HTTP, as a browser would.
The answer must be the form again with an error on that field, and nothing written. A new
admin field without a scoping rule fails to render (ImproperlyConfigured, a test failure);
one whose related model has no out-of-scope sample below fails until one is added.
"""

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.forms import ModelChoiceField, ModelForm, ModelMultipleChoiceField
from django.test import RequestFactory
from django.urls import reverse

from coordinators.admin.scoping import ScopedAdmin, field_choices
from coordinators.group import make_coordinator
from partnerships.models import CheckIn, Participant, Programme
from tests.builders import join, make_coordinator_of, make_partnership, make_programme, make_user
from tests.security.forms import FormParser
from tests.security.test_matrix import Victim, log_in, snapshot


class Outside:
    """Another programme, its coordinator and people: all outside the victim's coordinator's
    scope. Each relational field gets the object of its related model from here, or, where a
    field has a rule of its own, the object that rule must refuse."""

    def __init__(self, victim):
        self.programme = make_programme("Elsewhere")
        self.partnership = make_partnership(
            self.programme, make_user("Ela Mentor"), make_user("Eli Mentee")
        )
        self.coordinator = make_coordinator_of(self.programme, "Carl Coordinator")
        self.victim = victim

    def for_coordinator(self, field_label: str, related_label: str):
        by_field = {
            # A mentee of another programme: the reproduced attack.
            "partnerships.Participant.user": self.partnership.mentee.user,
            # Staff, but coordinating none of this coordinator's programmes.
            "partnerships.Programme.coordinators": self.coordinator,
        }
        by_model = {
            "partnerships.Programme": self.programme,
            "partnerships.Participant": self.partnership.mentee,
            "partnerships.Partnership": self.partnership,
            "auth.Group": None,  # never in a coordinator's forms (superusers' business)
            "auth.Permission": None,
        }
        if field_label in by_field:
            return by_field[field_label]
        assert related_label in by_model, f"Add an out-of-scope sample for {field_label}"
        return by_model[related_label]

    def for_superuser(self, field_label: str, related_label: str):
        # A superuser's scope is everything, except where a field has a narrower rule.
        return {"partnerships.Programme.coordinators": self.victim.mentee}.get(field_label)


def form_pages(client, victim):
    """(url, response) of every add and change page this client can open."""
    for model in admin.site._registry:
        opts = model._meta
        urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_add")]
        urls.append(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[victim.admin_object(model).pk],
            )
        )
        for url in urls:
            response = client.get(url)
            if response.status_code == 200 and "adminform" in response.context:
                yield url, response


def relational_fields(response):
    """(posted name, model field label, related label, is many, inline prefix, row) of every
    relational field of the page's form and of each inline's new row."""
    form = response.context["adminform"].form
    model = form._meta.model
    for name, field in form.fields.items():
        if isinstance(field, ModelChoiceField):
            yield name, _label(model, name), field, None, None
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        if not inline.has_add_permission:
            continue  # no new row to fill: existing rows are checked as the main form is
        row = formset.total_form_count()
        for name, field in formset.empty_form.fields.items():
            # A row's own id is Django's to check: see the test of a tampered row below.
            if isinstance(field, ModelChoiceField) and name != formset.model._meta.pk.name:
                posted = f"{formset.prefix}-{row}-{name}"
                yield posted, _label(formset.model, name), field, formset.prefix, row


def _label(model, name: str) -> str:
    return f"{model._meta.label}.{name}"


def page_form(response, url) -> dict:
    """The page's main form as a browser would send it, inlines' empty rows included (each
    choice of theirs set to its first real option, as a person would pick one)."""
    parser = FormParser(url)
    parser.feed(response.content.decode())
    [form] = [f for f in parser.forms if f.action == url and "csrfmiddlewaretoken" in f.fields]
    # The parser keeps a checkbox whether ticked or not; "delete this row" is not ticked.
    data = {name: value for name, value in form.fields.items() if not name.endswith("-DELETE")}
    for name, options in form.choices.items():
        if "__prefix__" in name and not data.get(name):
            data[name] = next((option for option in options if option), "")
    return data


def with_new_row(data: dict, prefix: str, row: int) -> dict:
    """A new inline row, filled as the empty form is, counted in the management form."""
    data = dict(data)
    for name, value in list(data.items()):
        if name.startswith(f"{prefix}-__prefix__-"):
            data[name.replace("__prefix__", str(row))] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(row + 1)
    return data


def error_on(response, posted: str, prefix, row) -> bool:
    if response.status_code != 200 or "adminform" not in (response.context or {}):
        return False
    if prefix is None:
        return posted in response.context["adminform"].form.errors
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return posted.rsplit("-", 1)[-1] in inline.formset.forms[row].errors
    return False


def post_outside(client, url, response, fields, sample) -> list[str]:
    """Each field posted an object from outside; what was accepted or written."""
    wrong = []
    for posted, label, field, prefix, row in fields:
        outside = sample(label, field.queryset.model._meta.label)
        if outside is None:
            continue
        assert not field.queryset.filter(pk=outside.pk).exists(), f"{label}: sample in scope"
        data = page_form(response, url)
        if prefix is not None:
            data = with_new_row(data, prefix, row)
        if isinstance(field, ModelMultipleChoiceField):
            data[posted] = [*field.queryset.values_list("pk", flat=True)[:1], outside.pk]
        else:
            data[posted] = outside.pk
        before = snapshot()
        answer = client.post(url, {**data, "_save": "Save"})
        if not error_on(answer, posted, prefix, row):
            wrong.append(f"{url} {posted} ({label}) accepted {outside!r}: {answer.status_code}")
        if snapshot() != before:
            wrong.append(f"{url} {posted} ({label}) wrote something")
    return wrong


@pytest.fixture
def victim_and_outside(db, settings):
    settings.REQUIRE_2FA_FOR_STAFF = False  # straight in: two-factor has tests of its own
    victim = Victim()
    return victim, Outside(victim)


def test_every_relational_field_refuses_an_id_outside_the_coordinators_scope(
    client, victim_and_outside
):
    victim, outside = victim_and_outside
    log_in(client, victim.coordinator)
    wrong, seen = [], set()
    for url, response in form_pages(client, victim):
        fields = list(relational_fields(response))
        seen |= {label for _, label, *_ in fields}
        wrong += post_outside(client, url, response, fields, outside.for_coordinator)
    assert wrong == []
    # The walk found the forms a coordinator fills in (a broken walk would find none).
    assert {
        "partnerships.Participant.programme",
        "partnerships.Participant.user",
        "partnerships.Partnership.programme",
        "partnerships.Partnership.mentor",
        "partnerships.Partnership.mentee",
        "partnerships.Programme.coordinators",
    } <= seen


def test_every_relational_field_refuses_what_a_superuser_may_not_choose_either(
    client, victim_and_outside
):
    victim, outside = victim_and_outside
    client.force_login(make_user("Sue Super", is_staff=True, is_superuser=True))
    wrong, seen = [], set()
    for url, response in form_pages(client, victim):
        fields = list(relational_fields(response))
        seen |= {label for _, label, *_ in fields}
        wrong += post_outside(client, url, response, fields, outside.for_superuser)
    assert wrong == []
    assert {"partnerships.Programme.coordinators", "auth.Group.permissions"} <= seen


def test_a_mentee_of_another_programme_cannot_be_added_to_mine(client, victim_and_outside):
    """The reproduced attack, as it was sent: the add form and the programme's inline."""
    victim, outside = victim_and_outside
    stranger = outside.partnership.mentee.user
    log_in(client, victim.coordinator)
    response = client.post(
        reverse("admin:partnerships_participant_add"),
        {"programme": victim.programme.pk, "user": stranger.pk, "role": "mentee",
         "capacity": "1", "interests": "", "bio": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["user"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    url = reverse("admin:partnerships_programme_change", args=[victim.programme.pk])
    data = with_new_row(page_form(client.get(url), url), "participants", 0)
    count = int(data["participants-INITIAL_FORMS"])
    data = with_new_row(data, "participants", count)
    data.update({f"participants-{count}-user": stranger.pk, f"participants-{count}-role": "mentee"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert not Participant.objects.filter(user=stranger, programme=victim.programme).exists()


def test_a_coordinator_picks_coordinators_among_those_of_their_programmes(
    client, victim_and_outside
):
    victim, outside = victim_and_outside
    fellow = make_coordinator_of(victim.programme, "Fay Fellow")
    request = RequestFactory().get("/")
    request.user = victim.coordinator
    field = admin.site.get_model_admin(Programme).formfield_for_manytomany(
        Programme._meta.get_field("coordinators"), request
    )
    assert set(field.queryset) == {victim.coordinator, fellow}
    request.user = make_user("Sue Super", is_staff=True, is_superuser=True)
    field = admin.site.get_model_admin(Programme).formfield_for_manytomany(
        Programme._meta.get_field("coordinators"), request
    )
    assert set(field.queryset) == {victim.coordinator, fellow, outside.coordinator, request.user}
    # A coordinator of no programme yet, about to create their first, may pick themselves.
    newcomer = make_user("Nel Newcomer", is_staff=True)
    request.user = newcomer
    field = admin.site.get_model_admin(Programme).formfield_for_manytomany(
        Programme._meta.get_field("coordinators"), request
    )
    assert list(field.queryset) == [newcomer]


def test_a_relation_without_a_rule_has_no_form(db, coordinator):
    # Who started a check-in is a person; no rule says which people a form may offer there.
    with pytest.raises(ImproperlyConfigured, match="No rule says what a coordinator may"):
        field_choices(CheckIn._meta.get_field("started_by"), coordinator)


def test_a_form_field_that_skips_the_rules_is_refused(db, coordinator):
    class HandMadeForm(ModelForm):
        coordinators = ModelMultipleChoiceField(queryset=Permission.objects.all())

        class Meta:
            model = Programme
            fields = ("name",)

    class HandMadeAdmin(ScopedAdmin):
        form = HandMadeForm
        fields = ("name", "coordinators")

    request = RequestFactory().get("/")
    request.user = coordinator
    with pytest.raises(ImproperlyConfigured, match="'coordinators' chooses among auth.Permission"):
        HandMadeAdmin(Programme, admin.site).get_form(request)
    assert not isinstance(ModelAdmin(Programme, admin.site), ScopedAdmin)  # the check's job


def test_an_inline_row_given_another_programmes_id_changes_nothing_there(
    client, victim_and_outside
):
    victim, outside = victim_and_outside
    log_in(client, victim.coordinator)
    url = reverse("admin:partnerships_programme_change", args=[victim.programme.pk])
    data = page_form(client.get(url), url)
    theirs = outside.partnership.mentee
    data.update({"participants-0-id": theirs.pk, "participants-0-role": "mentor"})
    before = snapshot()
    client.post(url, data)
    after = snapshot()
    assert after["partnerships.Participant"] == before["partnerships.Participant"]
    theirs.refresh_from_db()
    assert (theirs.programme, theirs.role) == (outside.programme, "mentee")


def test_a_participant_keeps_their_person_and_programme(client, victim_and_outside):
    """Choosing within scope is not enough: a seat in a partnership handed to someone else
    hands them what the partnership wrote."""
    victim, _outside = victim_and_outside
    log_in(client, victim.coordinator)
    seat = victim.partnership.mentee
    # Someone the coordinator may choose: in another of their programmes.
    also_mine = make_programme("Also Mine")
    make_coordinator(victim.coordinator, also_mine)
    someone_else = join(also_mine, make_user("Sam Else"), "mentee").user
    url = reverse("admin:partnerships_participant_change", args=[seat.pk])
    client.post(url, {"user": someone_else.pk, "role": "mentee", "capacity": "1",
                      "interests": "", "bio": ""})  # fmt: skip
    url = reverse("admin:partnerships_programme_change", args=[victim.programme.pk])
    data = page_form(client.get(url), url)
    [row] = [k.split("-")[1] for k, v in data.items() if k.endswith("-id") and v == str(seat.pk)]
    data[f"participants-{row}-user"] = someone_else.pk
    assert client.post(url, data).status_code == 302  # saved: the rest of the form was fine
    seat.refresh_from_db()
    assert (seat.user, seat.programme) == (victim.mentee, victim.programme)
