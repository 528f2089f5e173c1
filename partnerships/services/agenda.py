"""The next meeting's agenda: both partners add to it, the mentee decides.

The mentee's items are on the agenda at once; the mentor's wait as suggestions until she
accepts them. She orders and removes items; a mentor may withdraw a suggestion of his
own. At the check-in each item on the agenda is marked discussed or carried over, and
carried-over items start the next agenda.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from partnerships.models import AgendaItem, CheckIn, Partnership
from partnerships.models.agenda import OUTCOMES, AgendaItemSource, AgendaItemStatus
from partnerships.models.notification import NotificationKind
from partnerships.models.participant import Role
from partnerships.services.health_facts import health_facts_clear
from partnerships.services.notifications import notification_send_to_partners
from partnerships.services.rules import (
    activity_record,
    require_member,
    require_role,
    require_workable,
)

MAX_OPEN_ITEMS = 30


def _link(partnership: Partnership) -> str:
    return reverse("partnerships:workspace", args=[partnership.code]) + "#agenda"


def _next_position(partnership: Partnership) -> int:
    top = partnership.agenda_items.open().aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def agenda_item_add(*, partnership: Partnership, by, text: str) -> AgendaItem:
    """The mentee's item goes on the agenda; the mentor's waits for her as a suggestion."""
    role = require_member(partnership, by)
    require_workable(partnership)
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": "Write what you want to talk about."})
    # Lock the partnership: positions are handed out one at a time.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).get()
    if partnership.agenda_items.open().count() >= MAX_OPEN_ITEMS:
        raise ValidationError(
            f"The agenda has {MAX_OPEN_ITEMS} items already: remove some first.", code="full"
        )
    suggesting = role == Role.MENTOR
    item = AgendaItem(
        partnership=partnership,
        text=text,
        added_by=by,
        status=AgendaItemStatus.SUGGESTED if suggesting else AgendaItemStatus.ON_AGENDA,
        position=_next_position(partnership),
    )
    item.full_clean()
    item.save()
    health_facts_clear(partnership_id=partnership.pk)  # adding to the agenda is a contribution
    summary = "suggested an agenda item" if suggesting else "added an agenda item"
    activity_record(partnership=partnership, actor=by, verb="agenda_item_added", summary=summary)
    if suggesting:
        notification_send_to_partners(
            partnership=partnership,
            by=by,
            kind=NotificationKind.MEETING,
            summary=f"{summary} for your next meeting; accept it or leave it out",
            link=_link(partnership),
        )
    return item


def _locked_open(item: AgendaItem) -> AgendaItem:
    current = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if not current.is_open:
        raise ValidationError(
            "This item is %(status)s already.",
            code="decided",
            params={"status": current.get_status_display().lower()},
        )
    return current


@transaction.atomic
def agenda_item_accept(*, item: AgendaItem, by) -> AgendaItem:
    """The mentee puts the mentor's suggestion on the agenda (last, until she moves it)."""
    partnership = item.partnership
    require_role(partnership, by, Role.MENTEE, "put a suggestion on the agenda")
    require_workable(partnership)
    current = _locked_open(item)
    if current.status != AgendaItemStatus.SUGGESTED:
        raise ValidationError("This item is on the agenda already.", code="on_agenda")
    current.status = AgendaItemStatus.ON_AGENDA
    current.position = _next_position(partnership)
    current.save(update_fields=["status", "position", "updated_at"])
    activity_record(
        partnership=partnership,
        actor=by,
        verb="agenda_item_accepted",
        summary="put a suggested item on the agenda",
    )
    notification_send_to_partners(
        partnership=partnership,
        by=by,
        kind=NotificationKind.MEETING,
        summary="put your suggestion on the agenda of your next meeting",
        link=_link(partnership),
        email=False,
    )
    return current


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, by) -> AgendaItem:
    """The mentee removes any open item; the mentor may withdraw his own suggestion."""
    partnership = item.partnership
    role = require_member(partnership, by)
    require_workable(partnership)
    current = _locked_open(item)
    own_suggestion = current.status == AgendaItemStatus.SUGGESTED and current.added_by_id == by.pk
    if role != Role.MENTEE and not own_suggestion:
        raise PermissionDenied(
            f"{partnership.mentee.user.get_short_name()} decides the agenda: "
            "you can withdraw only a suggestion of your own."
        )
    current.status = AgendaItemStatus.REMOVED
    current.save(update_fields=["status", "updated_at"])
    return current


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, by, up: bool) -> AgendaItem:
    """The mentee moves an item one place up or down the agenda."""
    partnership = item.partnership
    require_role(partnership, by, Role.MENTEE, "order the agenda")
    require_workable(partnership)
    Partnership.objects.select_for_update().filter(pk=partnership.pk).get()
    current = _locked_open(item)
    if current.status != AgendaItemStatus.ON_AGENDA:
        raise ValidationError("Accept the suggestion before ordering it.", code="suggested")
    items = list(partnership.agenda_items.on_agenda().order_by("position", "created_at"))
    index = next(i for i, other in enumerate(items) if other.pk == current.pk)
    swap = index - 1 if up else index + 1
    if 0 <= swap < len(items):
        items[index], items[swap] = items[swap], items[index]
        _renumber(items)
    current.refresh_from_db()
    return current


def _renumber(items) -> None:
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position", "updated_at"])


def agenda_item_add_for_progress_gap(*, partnership: Partnership, goal_title: str) -> AgendaItem:
    """Two views of a goal's progress far apart: the product puts it on the agenda, once."""
    text = f"Talk about “{goal_title}”: your views of its progress differ"
    existing = partnership.agenda_items.open().filter(text=text).first()
    if existing is not None:
        return existing
    return AgendaItem.objects.create(
        partnership=partnership,
        text=text,
        source=AgendaItemSource.PROGRESS_GAP,
        status=AgendaItemStatus.ON_AGENDA,
        position=_next_position(partnership),
    )


@transaction.atomic
def agenda_resolve(*, checkin: CheckIn, by, outcomes: dict) -> list[AgendaItem]:
    """Mark items on the agenda discussed or carried over at this check-in.

    ``outcomes`` maps an item (its code) to DISCUSSED or CARRIED_OVER. A carried-over item
    starts the next agenda: a new item with its words, at the top, remembering it."""
    partnership = checkin.partnership
    require_member(partnership, by)
    require_workable(partnership)
    Partnership.objects.select_for_update().filter(pk=partnership.pk).get()
    on_agenda = {
        str(item.code): item
        for item in partnership.agenda_items.on_agenda().select_for_update().order_by("position")
    }
    resolved, carried = [], []
    for code, outcome in outcomes.items():
        item = on_agenda.get(str(code))
        if item is None:
            raise ValidationError(
                "An agenda item was changed meanwhile: reload the page.", code="stale"
            )
        if outcome not in OUTCOMES:
            raise ValidationError("Mark each item discussed or carried over.", code="outcome")
        item.status = outcome
        item.checkin = checkin
        item.save(update_fields=["status", "checkin", "updated_at"])
        resolved.append(item)
        if outcome == AgendaItemStatus.CARRIED_OVER:
            carried.append(
                AgendaItem.objects.create(
                    partnership=partnership,
                    text=item.text,
                    added_by=item.added_by,
                    source=AgendaItemSource.CARRIED_OVER,
                    status=AgendaItemStatus.ON_AGENDA,
                    carried_from=item,
                )
            )
    if carried:
        rest = [i for i in on_agenda.values() if i.status == AgendaItemStatus.ON_AGENDA]
        _renumber(carried + rest)
    return resolved
