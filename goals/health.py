"""How each partnership is doing, and why one is at risk.

One module judges this for the pair's own workspace, the coordinators' dashboard, exports
and the weekly digest. The rules run in SQL on each partnership's stored facts
(goals.health_facts), so a programme of thousands is counted, filtered and sorted by the
database, and its dashboard costs about the same at 400 partnerships as at 4,000.

At risk means an active partnership with any of:
- overdue by more than one cadence (today is past the due date plus one cadence);
- no check-in for two cadences (or since starting, if there has been none), unless a
  meeting is scheduled ahead (its day is then the due date, which the overdue rule reads);
- one-sided: a partner took no part in at least two of the last three check-ins (or in
  either of the last two) — taking part is anything at all: starting it, the agenda, a
  reflection, a goal review, a next step or feedback. Counted per check-in, not per row,
  so a mentee who reviews five goals has taken part once, like a mentor who wrote one line;
- a latest feedback rating of 2 or less, from either partner.

The pair sees each reason in its workspace as soon as it holds; a coordinator sees it
only after the programme's grace period (``Programme.health_grace_days``) has passed
since it began, so the partners have time to act first.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone

from goals.health_facts import ensure_facts
from partnerships.models import Meeting, Partnership
from partnerships.models.participant import Role

LOW_RATING = 2
# A partner who missed this many of the recent check-ins (two of three, or both of two).
MISSED_FOR_ONE_SIDED = 2


class DaysBetween(Func):
    """Whole days from the second date to the first, as an integer, in SQL."""

    output_field = IntegerField()
    arity = 2

    def _dates(self, compiler):
        (later, later_params), (earlier, earlier_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return later, earlier, (*later_params, *earlier_params)

    def as_sql(self, compiler, connection, **extra):
        later, earlier, params = self._dates(compiler)
        return f"({later} - {earlier})", params  # PostgreSQL: date - date is days

    def as_sqlite(self, compiler, connection, **extra):
        later, earlier, params = self._dates(compiler)
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)", params


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=1), default=0, output_field=IntegerField())


def with_health(partnerships, *, today: datetime.date, grace: bool = True):
    """Annotate each partnership with its facts, its at-risk flags and their number.

    ``grace``: as the coordinator sees it, each reason only once it has held for the
    programme's grace period; without, as the pair sees it, from the day it holds."""
    day = Value(today, output_field=DateField())
    cadence = F("checkin_cadence_days")
    wait = F("programme__health_grace_days") if grace else Value(0)
    past_due = DaysBetween(day, "next_checkin_due_on")
    since = DaysBetween(day, Coalesce("last_checkin_on", "started_on"))
    recent = Coalesce("health_facts__recent_checkins", 0)
    mentor = Coalesce("health_facts__mentor_took_part", 0)
    mentee = Coalesce("health_facts__mentee_took_part", 0)
    since_rating = DaysBetween(day, "health_facts__latest_rating_on")
    active = Q(status=Partnership.Status.ACTIVE)
    overdue = Q(GreaterThan(past_due, cadence + wait))
    # "No check-in" is the worry when the due date has moved on (a resume); an overdue
    # check-in is said once, as overdue, even while its grace period runs.
    not_overdue = Q(next_checkin_due_on__isnull=True) | Q(LessThanOrEqual(past_due, cadence))
    # A meeting in both calendars, on or after today: health counts from it (the due date
    # is its day), so "no check-in" waits until that day has passed.
    meeting_ahead = Q(next_checkin_due_on__gte=day) & Q(
        Exists(Meeting.objects.scheduled().filter(partnership=OuterRef("pk")))
    )
    # The last check-in is when a partner's missing part began to count.
    settled = Q(GreaterThanOrEqual(since, wait))
    rating_settled = Q(GreaterThanOrEqual(since_rating, wait))

    def missed(took_part):
        return Q(GreaterThanOrEqual(recent, MISSED_FOR_ONE_SIDED)) & Q(
            LessThanOrEqual(took_part, recent - MISSED_FOR_ONE_SIDED)
        )

    flags = {
        "risk_overdue": active & overdue,
        "risk_no_checkin": active
        & not_overdue
        & ~meeting_ahead
        & Q(GreaterThanOrEqual(since, 2 * cadence + wait)),
        "risk_one_sided_mentor": active & missed(mentor) & settled,
        "risk_one_sided_mentee": active & missed(mentee) & settled,
        "risk_low_mentor": active
        & Q(health_facts__rating_for_mentor__lte=LOW_RATING)
        & rating_settled,
        "risk_low_mentee": active
        & Q(health_facts__rating_for_mentee__lte=LOW_RATING)
        & rating_settled,
    }
    flags = {name: _flag(condition) for name, condition in flags.items()}
    return partnerships.annotate(
        days_since_checkin=since,
        overdue_days=Coalesce(Greatest(past_due, 0), 0),
        recent_checkins=recent,
        mentor_took_part=mentor,
        mentee_took_part=mentee,
        rating_for_mentor=F("health_facts__rating_for_mentor"),
        rating_for_mentee=F("health_facts__rating_for_mentee"),
        latest_rating_on=F("health_facts__latest_rating_on"),
        goals_active=Coalesce("health_facts__goals_active", 0),
        goals_achieved=Coalesce("health_facts__goals_achieved", 0),
        risks=sum(flags.values(), start=Value(0)),
        **flags,
    )


# Riskiest first: most reasons, then most overdue, then longest without a check-in.
RISKIEST_FIRST = (
    F("risks").desc(),
    F("overdue_days").desc(),
    F("days_since_checkin").desc(nulls_last=True),
    "pk",
)


@dataclass
class Health:
    partnership: Partnership
    days_since_checkin: int | None  # since the last check-in, or since starting
    overdue_days: int  # past the next due date; 0 if not overdue
    recent_checkins: int = 0  # the last (up to) three check-ins
    mentor_took_part: int = 0  # of those, how many the mentor took part in
    mentee_took_part: int = 0
    latest_rating_for_mentor: int | None = None  # the mentee's latest rating of the mentor
    latest_rating_for_mentee: int | None = None
    latest_rating_on: datetime.date | None = None
    goals_active: int = 0
    goals_achieved: int = 0
    reasons: list[str] = field(default_factory=list)
    # Which rules hold ("overdue", "no_checkin", "one_sided_mentor", ...), for the pair's
    # own view, which says when the coordinator will see each.
    flags: list[str] = field(default_factory=list)

    @property
    def at_risk(self) -> bool:
        return bool(self.reasons)


def _took_part(took: int, recent: int) -> str:
    return f"took part in {took} of the last {recent} check-in{'s' if recent != 1 else ''}"


def health_from(p: Partnership) -> Health:
    """A partnership annotated by ``with_health``, with its flags put into words."""
    health = Health(
        partnership=p,
        days_since_checkin=p.days_since_checkin,
        overdue_days=p.overdue_days,
        recent_checkins=p.recent_checkins,
        mentor_took_part=p.mentor_took_part,
        mentee_took_part=p.mentee_took_part,
        latest_rating_for_mentor=p.rating_for_mentor,
        latest_rating_for_mentee=p.rating_for_mentee,
        latest_rating_on=p.latest_rating_on,
        goals_active=p.goals_active,
        goals_achieved=p.goals_achieved,
    )
    cadence, reasons, flags = p.checkin_cadence_days, health.reasons, health.flags
    if p.risk_overdue:
        flags.append("overdue")
        reasons.append(f"Check-in overdue by {p.overdue_days} days (cadence {cadence})")
    if p.risk_no_checkin:
        flags.append("no_checkin")
        reasons.append(f"No check-in for {p.days_since_checkin} days (two cadences)")
    for role, flagged, took in (
        (Role.MENTOR, p.risk_one_sided_mentor, p.mentor_took_part),
        (Role.MENTEE, p.risk_one_sided_mentee, p.mentee_took_part),
    ):
        if flagged:
            flags.append(f"one_sided_{role}")
            reasons.append(f"One-sided: the {role} {_took_part(took, p.recent_checkins)}")
    for who, flagged, rating in (
        ("mentor", p.risk_low_mentor, p.rating_for_mentor),
        ("mentee", p.risk_low_mentee, p.rating_for_mentee),
    ):
        if flagged:
            flags.append(f"low_{who}")
            reasons.append(f"Low feedback: the {who} was last rated {rating}/5")
    return health


def health_of(partnerships, *, today: datetime.date | None = None) -> list[Health]:
    """Health of each partnership in the queryset as its coordinators see it (after the
    grace period), with its people, riskiest first."""
    ensure_facts(partnerships)
    rows = with_health(partnerships.with_people(), today=today or timezone.localdate())
    return [health_from(p) for p in rows.order_by(*RISKIEST_FIRST)]


def health_in_order(ids: list[int], *, today: datetime.date) -> list[Health]:
    """Health of these partnerships, with their people, in the order given (one query).
    It reads the stored facts as they are: ``ensure_facts`` first brings them up to date."""
    rows = with_health(Partnership.objects.with_people().filter(pk__in=ids), today=today)
    found = rows.order_by().in_bulk()  # in the order given, so unsorted here
    return [health_from(found[pk]) for pk in ids]


# --- the pair's own view ----------------------------------------------------------------


@dataclass
class PairHealth:
    """What the pair sees first in its workspace: what is late, who has not taken part,
    and from when the coordinator will see each problem if nothing changes."""

    health: Health
    items: list[dict]  # {"text", "coordinator_sees_on" (a date or None), "shown": bool}
    due_on: datetime.date | None
    late_days: int
    grace_days: int

    @property
    def fine(self) -> bool:
        return not self.items


def pair_health(partnership: Partnership, *, user, today: datetime.date) -> PairHealth:
    """One partnership's health as its partners see it: without the grace period, with
    each problem's date from which the coordinator sees it (two queries)."""
    ensure_facts(Partnership.objects.filter(pk=partnership.pk))
    row = with_health(Partnership.objects.filter(pk=partnership.pk), today=today, grace=False)
    p = row.with_people().get()
    health = health_from(p)
    grace = p.programme.health_grace_days
    me_mentor = p.mentor.user_id == user.pk if p.mentor_id else False
    items = []
    day = datetime.timedelta(days=1)
    cadence = p.checkin_cadence_days
    for flag in health.flags:
        if flag == "overdue":
            starts = p.next_checkin_due_on + day * (cadence + 1)
            text = f"Your check-in is {p.overdue_days} days overdue."
        elif flag == "no_checkin":
            since = p.last_checkin_on or p.started_on
            starts = since + day * 2 * cadence
            text = f"You have not checked in for {p.days_since_checkin} days."
        elif flag.startswith("one_sided_"):
            role = flag.removeprefix("one_sided_")
            took = p.mentor_took_part if role == Role.MENTOR else p.mentee_took_part
            starts = p.last_checkin_on
            who = "You" if (role == Role.MENTOR) == me_mentor else "Your partner"
            text = f"{who} {_took_part(took, p.recent_checkins)}."
        else:
            starts = p.latest_rating_on
            text = "A recent feedback rating was low: talk about what would help."
        sees_on = starts + day * grace if starts else None
        shown = sees_on is not None and sees_on <= today
        items.append({"text": text, "coordinator_sees_on": sees_on, "shown": shown})
    late = p.overdue_days if p.status == Partnership.Status.ACTIVE else 0
    if late and "overdue" not in health.flags:
        due = p.next_checkin_due_on
        items.insert(
            0,
            {
                "text": f"Your check-in was due on {due:%-d %B} ({late} day"
                f"{'s' if late != 1 else ''} ago).",
                "coordinator_sees_on": due + day * (cadence + grace + 1),
                "shown": False,
            },
        )
    return PairHealth(
        health=health, items=items, due_on=p.next_checkin_due_on, late_days=late, grace_days=grace
    )
