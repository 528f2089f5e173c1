"""The day the health tests' partnership started, and helpers to log check-ins on any day and
read its health: shared by the health rules' and the stored facts' tests."""

import datetime

import time_machine

from goals.health import health_of
from partnerships import services
from partnerships.models import Partnership

START = datetime.date(2026, 3, 2)


def checkin(partnership, by, day, *, agenda=""):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(18), datetime.UTC)):
        return services.checkin_start(partnership=partnership, by=by, held_on=day, agenda=agenda)


def only(partnership, today):
    [health] = health_of(Partnership.objects.filter(pk=partnership.pk), today=today)
    return health
