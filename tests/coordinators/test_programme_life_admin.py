"""The programme's life from the admin: its settings (time zone, wrap-up window, grace
period, retention) on the programme's page; one partnership let run past the end date from
its own page, through the service (checked, logged); a bad date is a form error."""

import datetime

from django.urls import reverse

from partnerships.models import Activity, CoordinatorAction, Partnership


def change_page_data(response) -> dict:
    """The change form's current values, as the browser would post them back."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or field.disabled:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    return data


def test_the_programmes_page_holds_its_life_settings(as_coordinator, programme):
    url = reverse("admin:partnerships_programme_change", args=[programme.pk])
    page = as_coordinator.get(url)
    assert "The programme&#x27;s life" in page.text
    data = change_page_data(page)
    data.update(
        time_zone="Europe/Berlin", wrap_up_days="21", health_grace_days="3", retention_months="6"
    )
    response = as_coordinator.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    programme.refresh_from_db()
    assert (programme.time_zone, programme.wrap_up_days, programme.health_grace_days) == (
        "Europe/Berlin",
        21,
        3,
    )
    assert programme.retention_deletes_on is not None


def test_a_partnership_runs_on_past_the_end_through_the_service(
    as_coordinator, programme, partnership, coordinator
):
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    data = change_page_data(as_coordinator.get(url))
    too_early = programme.ends_on - datetime.timedelta(days=1)
    response = as_coordinator.post(url, {**data, "extended_until": too_early.isoformat()})
    assert response.status_code == 200
    assert "Choose a day after the programme" in response.text
    until = programme.ends_on + datetime.timedelta(days=30)
    response = as_coordinator.post(url, {**data, "extended_until": until.isoformat()})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.extended_until == until
    assert partnership.ends_on == until
    summary = f"extended the partnership until {until:%-d %B %Y}"
    assert CoordinatorAction.objects.filter(
        actor=coordinator, partnership=partnership, verb="extended", summary=summary
    ).exists()
    assert Activity.objects.filter(partnership=partnership, verb="extended").exists()


def test_an_ended_partnership_cannot_be_extended(as_coordinator, programme, partnership):
    Partnership.objects.filter(pk=partnership.pk).update(status="completed")
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    data = change_page_data(as_coordinator.get(url))
    until = programme.ends_on + datetime.timedelta(days=30)
    response = as_coordinator.post(url, {**data, "extended_until": until.isoformat()})
    assert response.status_code == 200
    assert "it can no longer run on" in response.text
