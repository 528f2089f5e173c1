"""One access helper per object: the object for one of its two partners, or 404.

Everyone else gets 404 — outsiders, members of other partnerships and coordinators alike
(coordinators work from the admin site, which shows health metadata only).
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from partnerships.models import AgendaItem, CheckIn, Meeting, Participant, Partnership, Programme


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


def participants_visible_to(user):
    """The participants whose profiles ``user`` may read: everyone in a programme they are
    in, and everyone in a programme they coordinate."""
    if not user.is_authenticated:
        return Participant.objects.none()
    if user.is_superuser:
        return Participant.objects.all()
    mine = Participant.objects.filter(user=user).values("programme")
    coordinated = Programme.objects.filter(coordinators=user).values("pk") if user.is_staff else []
    programmes = Q(programme__in=mine)
    if user.is_staff:
        programmes |= Q(programme__in=coordinated)
    return Participant.objects.filter(programmes)


def get_participant_for(user, code):
    """A profile, for the people of its programme and its coordinators; 404 for anyone else."""
    return get_object_or_404(
        participants_visible_to(user).select_related("user", "programme"), code=code
    )


def get_own_participant(user, code):
    """One's own participation (to edit its profile); 404 for anyone else's."""
    return get_object_or_404(
        Participant.objects.select_related("user", "programme"), code=code, user=user
    )
