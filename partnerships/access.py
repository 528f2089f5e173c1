"""One access helper per object: the object for one of its two partners, or 404.

Everyone else gets 404 — outsiders, members of other partnerships and coordinators alike
(coordinators work from the admin site, which shows health metadata only).
"""

from django.shortcuts import get_object_or_404

from partnerships.models import AgendaItem, CheckIn, Meeting, Partnership


def get_partnership_for(user, code) -> Partnership:
    return get_object_or_404(Partnership.objects.for_user(user).with_people(), code=code)


def get_checkin_for(user, code) -> CheckIn:
    return get_object_or_404(
        CheckIn.objects.filter(partnership__in=Partnership.objects.for_user(user)).select_related(
            "partnership__programme",
            "partnership__mentor__user",
            "partnership__mentee__user",
            "started_by",
        ),
        code=code,
    )


def get_meeting_for(user, code) -> Meeting:
    return get_object_or_404(
        Meeting.objects.filter(partnership__in=Partnership.objects.for_user(user)).select_related(
            "proposed_by",
            "partnership__programme",
            "partnership__mentor__user",
            "partnership__mentee__user",
        ),
        code=code,
    )


def get_agenda_item_for(user, code) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.filter(
            partnership__in=Partnership.objects.for_user(user)
        ).select_related(
            "partnership__programme", "partnership__mentor__user", "partnership__mentee__user"
        ),
        code=code,
    )
