"""Field-level privacy: what partners write to each other (reflections, agendas, agreement
terms, goal descriptions, feedback comments, closing reflections) never reaches a
coordinator, nor a superuser through the admin: not on any admin page, not in the CSV
exports, not on the programme dashboard, not in the coordinator digest email."""

import datetime
import re
from urllib.parse import urlencode

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils import timezone

from coordinators.admin.checks import check_admin_privacy_and_scope
from goals import services as goal_services
from partnerships import services
from partnerships.models import CheckIn, CoordinatorAction, Feedback, Programme, Reminder
from partnerships.privacy import (
    COORDINATOR_READABLE,
    DATA_APPS,
    hidden_fields,
    models_with_private_fields,
    private_fields,
)
from reminders.compose import compose
from tests.builders import make_partnership, make_user
from tests.coordinators.test_lookups import _request, answers
from tests.coordinators.test_scoping import SECRETS, fill_with_private_words
from tests.security.test_matrix import Victim, log_in

LOW_RATING_COMMENT = "FEEDBACK-low-rating-comment"


@pytest.fixture
def partnership_full_of_secrets(partnership):
    """A partnership full of private words, at risk (a low rating), so that it is listed
    everywhere a coordinator looks: dashboard, exports and digest."""
    checkin, _goal = fill_with_private_words(partnership)
    # At risk at once: no grace period before the coordinator is shown the low rating.
    Programme.objects.filter(pk=partnership.programme_id).update(health_grace_days=0)
    services.feedback_give(
        checkin=checkin, by=partnership.mentee.user, rating=1, comment=LOW_RATING_COMMENT
    )
    return partnership


def leaks(text: str) -> list[str]:
    return [s for s in [*SECRETS.values(), LOW_RATING_COMMENT] if s in text]


def every_admin_page(programme):
    """Each changelist, and each object's change and history page, across the admin."""
    for model in admin.site._registry:
        opts = model._meta
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for obj in model._default_manager.all()[:50]:
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
    for page in ("dashboard", "matching", "invitations"):
        yield reverse(f"admin:partnerships_programme_{page}", args=[programme.pk])


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_no_admin_page_shows_what_partners_wrote(
    client, partnership_full_of_secrets, coordinator, who
):
    person = coordinator if who == "coordinator" else make_user("Sue", is_staff=True,
                                                                is_superuser=True)  # fmt: skip
    client.force_login(person)
    seen = 0
    for url in every_admin_page(partnership_full_of_secrets.programme):
        response = client.get(url)
        if response.status_code != 200:
            continue
        seen += 1
        assert leaks(response.content.decode()) == [], url
    assert seen > 40


def test_the_dashboard_lists_the_partnership_without_its_words(
    client, partnership_full_of_secrets, coordinator
):
    client.force_login(coordinator)
    url = reverse(
        "admin:partnerships_programme_dashboard", args=[partnership_full_of_secrets.programme.pk]
    )
    page = client.get(url).content.decode()
    assert partnership_full_of_secrets.mentee.user.name in page  # listed, at risk ...
    assert leaks(page) == []  # ... and nothing they wrote


@pytest.mark.parametrize("export", ["export_partnerships", "export_goals"])
def test_the_csv_exports_carry_metadata_only(
    client, partnership_full_of_secrets, coordinator, export
):
    client.force_login(coordinator)
    url = reverse(
        f"admin:partnerships_programme_{export}", args=[partnership_full_of_secrets.programme.pk]
    )
    text = b"".join(client.get(url).streaming_content).decode()
    assert partnership_full_of_secrets.mentee.user.name in text or "Visible goal title 2" in text
    assert leaks(text) == []


def test_the_coordinator_digest_email_carries_metadata_only(
    partnership_full_of_secrets, coordinator
):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    digest = Reminder.objects.create(
        recipient=coordinator,
        kind="coordinator_digest",
        programme=partnership_full_of_secrets.programme,
        subject_key=f"programme:{partnership_full_of_secrets.programme.pk}",
        period=f"{monday.isocalendar().year}-W{monday.isocalendar().week:02d}",
        due_on=monday,
        send_after=timezone.now(),
    )
    message = compose(digest)
    html = "".join(content for content, _type in message.alternatives)
    assert (
        partnership_full_of_secrets.mentee.user.name in message.body
    )  # the partnership at risk is named
    for part in (message.subject, message.body, html):
        assert leaks(part) == []


# --- Derived from the list: every private field, through every relation ----------------------

LOOKUPS = ("exact", "iexact", "gte", "lt", "startswith", "contains", "regex", "in", "isnull")
# How far from a list's model a lookup may travel to a private field: "agenda" (0),
# "checkin__agenda" (1), "partnership__checkins__agenda" (2).
HOPS = 2


def private_paths(model, hops: int = HOPS, prefix: str = "", seen=()):
    """Every lookup path from ``model`` to a hidden field (partners' words, libraries'
    secrets), forward and backward through relations."""
    for name in hidden_fields(model):
        yield prefix + name
    if hops == 0:
        return
    for field in model._meta.get_fields():
        related = field.related_model if field.is_relation else None
        if related is not None and related not in seen:
            yield from private_paths(related, hops - 1, f"{prefix}{field.name}__", (*seen, model))


def rich_world():
    """The matrix's victim, and every private field given a value somewhere: a paused and an
    ended partnership with notes, a goal's success measure and review, a closing reflection."""
    victim = Victim()
    p = victim.programme
    paused = make_partnership(p, make_user("Pam Mentor"), make_user("Pia Mentee"))
    services.partnership_pause(
        partnership=paused, by=paused.mentee.user, reason="busy", note="PAUSE-NOTE-words"
    )
    ended = make_partnership(p, make_user("Eve Mentor"), make_user("Eda Mentee"))
    services.partnership_end(
        partnership=ended, by=ended.mentee.user, reason="other", note="END-NOTE-words"
    )
    services.closing_reflection_write(partnership=ended, by=ended.mentee.user, text="CLOSING")
    mentee = victim.mentee
    goal = goal_services.goal_create(
        partnership=victim.partnership, by=mentee, title="Measured", success_measure="MEASURE"
    )
    goal_services.goal_review_record(
        checkin=victim.checkin, goal=goal, by=mentee, decision="keep", note="REVIEW-NOTE"
    )
    victim.agreement.change_note = "CHANGE-NOTE"
    victim.agreement.save()
    return victim


def rewrite_every_private_value() -> int:
    """World B: each non-empty private value replaced by another (the same rows otherwise)."""
    changed = 0
    for model in {*models_with_private_fields(), *secret_models()}:
        for name in hidden_fields(model):
            field = model._meta.get_field(name)
            if isinstance(field, models.JSONField):
                other = {"title": "zzzz other words"}
                rows = model.objects.exclude(**{name: {}})
            elif isinstance(field, models.IntegerField):  # a survey answer's rating
                other = 3
                rows = model.objects.exclude(**{f"{name}__isnull": True}).exclude(**{name: 3})
            else:
                other = "0" * min(field.max_length or 40, 40) if name == "key" else "zz other"
                rows = model.objects.exclude(**{name: ""})
            changed += rows.update(**{name: other})
    return changed


def secret_models():
    from django.apps import apps

    from partnerships.privacy import SECRET_FIELDS

    return [apps.get_model(label) for label in SECRET_FIELDS]


@pytest.fixture
def every_private_field_filled(db, settings):
    settings.REQUIRE_2FA_FOR_STAFF = False  # straight in: two-factor has tests of its own
    return rich_world()


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_no_list_filters_by_a_private_field_and_none_answers_by_its_value(
    every_private_field_filled, who
):
    person = (
        every_private_field_filled.coordinator
        if who == "coordinator"
        else make_user("Sue", is_staff=True, is_superuser=True)
    )
    asks, wrong = [], []
    for model, model_admin in admin.site._registry.items():
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        if not model_admin.has_view_or_change_permission(_request(person)):
            continue
        for path in sorted(set(private_paths(model))):
            for lookup in LOOKUPS:
                url = f"{changelist}?{urlencode({f'{path}__{lookup}': 'M'})}"
                asks.append((model_admin.changelist_view, url))
    world_a = answers(person, asks)
    for url, (status, location, _content) in world_a.items():
        if (status, location) != (302, url.split("?")[0] + "?e=1"):
            wrong.append(f"{url} → {status} {location}")
    assert wrong == []
    assert rewrite_every_private_value() >= 20
    assert answers(person, asks) == world_a
    assert len(asks) > (2500 if who == "superuser" else 1500)


def test_the_exports_and_the_dashboard_do_not_depend_on_any_private_value(
    client, every_private_field_filled
):
    log_in(client, every_private_field_filled.coordinator)
    programme = every_private_field_filled.programme

    @time_machine.travel(timezone.now(), tick=False)  # the same instant in both worlds
    def read():
        # The action log lists the exports of the last read: it is not what is compared.
        CoordinatorAction.objects.all().delete()
        pages = {}
        for export in ("export_partnerships", "export_goals"):
            url = reverse(f"admin:partnerships_programme_{export}", args=[programme.pk])
            pages[url] = b"".join(client.get(url).streaming_content)
        url = reverse("admin:partnerships_programme_dashboard", args=[programme.pk])
        pages[url] = PER_RESPONSE.sub(b"", client.get(url).content)
        return pages

    world_a = read()
    assert b"Pia Mentee" in world_a[next(iter(world_a))]  # the paused one is exported
    assert rewrite_every_private_value() >= 20
    assert read() == world_a


# What differs between any two responses: the CSRF token, the scripts' nonce.
PER_RESPONSE = re.compile(rb'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')


def test_every_text_field_of_the_data_apps_is_private_or_readable_by_coordinators():
    unclassified = []
    for app in DATA_APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                    continue
                label = f"{model._meta.label}.{field.name}"
                if field.choices:
                    continue  # one of its choices, never words
                if field.name not in private_fields(model) and label not in COORDINATOR_READABLE:
                    unclassified.append(label)
    assert unclassified == [], "Mark each PRIVATE_FIELDS or list it in COORDINATOR_READABLE"
    # And the readable list names only real fields that are not private.
    for label in COORDINATOR_READABLE:
        app_model, name = label.rsplit(".", 1)
        model = apps.get_model(app_model)
        assert name not in private_fields(model), label
        model._meta.get_field(name)


# --- The system check -------------------------------------------------------------------------


@pytest.fixture
def swapped_checkin_admin():
    """Registers a subclass of the check-in admin for one test, then the real one again."""
    real = admin.site.get_model_admin(CheckIn)

    def swap(**options):
        admin.site.unregister(CheckIn)
        admin.site.register(CheckIn, type("TriedCheckInAdmin", (type(real),), options))

    yield swap
    admin.site.unregister(CheckIn)
    admin.site.register(CheckIn, type(real))


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("list_display", ("partnership", "agenda")),
        ("list_display_links", ("agenda",)),
        ("list_filter", ("agenda",)),
        ("list_filter", (("feedback__comment", admin.AllValuesFieldListFilter),)),
        ("search_fields", ("^agenda",)),
        ("search_fields", ("partnership__goals__description",)),
        ("date_hierarchy", "partnership__agreements__off_limits"),
        ("ordering", ("-agenda",)),
        ("sortable_by", ("agenda",)),
        ("fields", ("partnership", "agenda")),
        ("fieldsets", ((None, {"fields": (("held_on", "agenda"),)}),)),
        ("readonly_fields", ("agenda",)),
        ("autocomplete_fields", ("agenda",)),
    ],
)
def test_the_system_check_refuses_a_private_field_in_any_admin_option(
    swapped_checkin_admin, option, value
):
    swapped_checkin_admin(**{option: value})
    errors = [e for e in check_admin_privacy_and_scope() if e.id == "partnerships.E101"]
    assert [e.msg.split(":")[0] for e in errors][:1] == [
        f"TriedCheckInAdmin.{option} reaches "
        + ("CheckIn.agenda" if "agenda" in str(value) and "off_limits" not in str(value) else "")
        + ("Feedback.comment" if "comment" in str(value) else "")
        + ("Goal.description" if "description" in str(value) else "")
        + ("Agreement.off_limits" if "off_limits" in str(value) else "")
    ]


def test_the_system_check_refuses_a_column_sorted_by_a_private_field(swapped_checkin_admin):
    @admin.display(ordering="partnership__checkins__agenda")
    def latest(obj):
        return ""

    swapped_checkin_admin(list_display=("partnership", latest))
    [error] = check_admin_privacy_and_scope()
    assert error.msg.startswith("TriedCheckInAdmin.list_display reaches CheckIn.agenda")


def test_the_system_check_refuses_an_admin_or_inline_not_built_on_the_scoped_bases(
    swapped_checkin_admin,
):
    class LooseInline(admin.TabularInline):
        model = Feedback
        fields = ("rating",)

    swapped_checkin_admin(inlines=[LooseInline])
    [error] = check_admin_privacy_and_scope()
    assert (error.id, error.msg.split(" is not")[0]) == (
        "partnerships.E102",
        "TriedCheckInAdmin.LooseInline",
    )
    # A plain ModelAdmin: not scoped, and its form (no fields declared) holds the agenda.
    admin.site.unregister(CheckIn)
    admin.site.register(CheckIn, admin.ModelAdmin)
    assert [e.msg.split(":")[0] for e in check_admin_privacy_and_scope()] == [
        "ModelAdmin is not built on coordinators.admin.scoping.ScopedAdmin",
        "ModelAdmin.fields reaches CheckIn.agenda",
    ]


def test_the_registered_admins_pass_the_check():
    assert check_admin_privacy_and_scope() == []


def test_no_admin_shows_the_key_of_an_authenticator_app(client, every_private_field_filled):
    device = every_private_field_filled.totp_device
    log_in(client, make_user("Sue", is_staff=True, is_superuser=True))
    for url in (
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
    ):
        page = client.get(url).content.decode()
        assert device.name in page
        assert device.key not in page and "qrcode" not in page.lower(), url
    # The library's own pages for the key and its QR code are gone.
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 302
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 302
