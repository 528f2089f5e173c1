"""The pages the benchmark loads, and who loads them, found in a seeded database."""

from dataclasses import dataclass

from django.db.models import Count
from django.urls import NoReverseMatch, reverse

from partnerships.models import Participant, Partnership, Programme


@dataclass
class Page:
    name: str
    url: str
    user_email: str
    # "partner" or "admin": the targets differ. "baseline" and "reference" are measured for
    # comparison and judged against nothing.
    kind: str
    # An export lists every partnership of the programme: its output, so its cost, grows
    # with the data, and its growth is judged per row.
    rows: int | None = None


def _heaviest_partnership() -> Partnership:
    return (
        Partnership.objects.filter(status="active")
        .annotate(n=Count("checkins"))
        .order_by("-n", "pk")
        .select_related("mentee__user", "mentor__user")
        .first()
    )


def _typical_partnership() -> Partnership:
    """An ordinary active partnership from the middle of the biggest programme."""
    active = Partnership.objects.filter(status="active", programme__slug="scale-1")
    return active.order_by("pk").select_related("mentee__user")[active.count() // 2]


def _try_reverse(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def pages() -> list[Page]:
    heavy, typical = _heaviest_partnership(), _typical_partnership()
    big = Programme.objects.get(slug="scale-1")
    coordinator = big.coordinators.get().email
    found = [
        Page("baseline", reverse("bench_baseline"), typical.mentee.user.email, "baseline"),
        Page("dashboard", reverse("home"), typical.mentee.user.email, "partner"),
    ]
    for label, partnership in (("workspace", typical), ("workspace (heaviest)", heavy)):
        url = _try_reverse("partnerships:workspace", partnership.code)
        if url:
            found.append(Page(label, url, partnership.mentee.user.email, "partner"))
    url = _try_reverse("bench_page_cache", typical.code)
    if url:
        found.append(
            Page("workspace from a page cache", url, typical.mentee.user.email, "reference")
        )
    goal = heavy.goals.order_by("-version", "pk").first()
    url = goal and _try_reverse("goals:detail", goal.code)
    if url:
        found.append(Page("goal timeline", url, heavy.mentee.user.email, "partner"))
    checkin = typical.checkins.order_by("-held_on", "-pk").first()
    url = checkin and _try_reverse("partnerships:checkin", checkin.code)
    if url:
        found.append(Page("check-in page", url, typical.mentee.user.email, "partner"))
    found.append(
        Page("notifications", reverse("notifications:list"), typical.mentee.user.email, "partner")
    )
    # A mentee the seed left without a partner, in the biggest programme: its mentors with a
    # free place are the directory's whole list.
    seeking = (
        Participant.objects.filter(programme=big, role="mentee", mentee_partnerships=None)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if seeking:
        found.append(
            Page("find a mentor", reverse("matching:suggestions"), seeking.user.email, "partner")
        )
    found.append(
        Page(
            "admin partnership list",
            reverse("admin:partnerships_partnership_changelist")
            + f"?programme__id__exact={big.pk}",
            coordinator,
            "admin",
        )
    )
    url = _try_reverse("admin:partnerships_programme_dashboard", big.pk)
    if url:
        found.append(Page("admin programme dashboard", url, coordinator, "admin"))
    url = _try_reverse("admin:partnerships_programme_outcomes", big.pk)
    if url:
        found.append(Page("admin outcomes (4,000)", url, coordinator, "admin"))
    url = _try_reverse("admin:partnerships_programme_compare")
    if url:
        found.append(Page("admin programmes side by side", url, coordinator, "admin"))
    url = _try_reverse("admin:partnerships_programme_export_partnerships", big.pk)
    if url:
        rows = big.partnerships.count()
        found.append(Page("CSV export (4,000)", url, coordinator, "admin", rows=rows))
    return found
