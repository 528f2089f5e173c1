"""How each partnership is doing, and why one is at risk.

One module judges this for the coordinators' dashboard, exports and the weekly digest.
The rules run in SQL on each partnership's stored facts (goals.health_facts), so a
programme of thousands is counted, filtered and sorted by the database, and its
dashboard costs about the same at 400 partnerships as at 4,000.

At risk means an active partnership with any of:
- overdue by more than one cadence (today is past the due date plus one cadence);
- no check-in for two cadences (or since starting, if there has been none);
- over 80% of the contributions over the last three check-ins came from one partner;
- a latest feedback rating of 2 or less, from either partner.
"""

import datetime
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Case, DateField, F, Func, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone

from goals.health_facts import ensure_facts
from partnerships.models import Partnership
from partnerships.models.participant import Role

ONE_SIDED_SHARE = Fraction(4, 5)
LOW_RATING = 2


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


def _one_sided(side, total) -> GreaterThan:
    """More than ONE_SIDED_SHARE of all contributions, in whole numbers."""
    share = ONE_SIDED_SHARE
    return GreaterThan(share.denominator * side, share.numerator * total)


def with_health(partnerships, *, today: datetime.date):
    """Annotate each partnership with its facts, its at-risk flags and their number."""
    day = Value(today, output_field=DateField())
    cadence = F("checkin_cadence_days")
    past_due = DaysBetween(day, "next_checkin_due_on")
    since = DaysBetween(day, Coalesce("last_checkin_on", "started_on"))
    mentor = Coalesce("health_facts__mentor_contributions", 0)
    mentee = Coalesce("health_facts__mentee_contributions", 0)
    active = Q(status=Partnership.Status.ACTIVE)
    overdue = Q(GreaterThan(past_due, cadence))
    not_overdue = Q(next_checkin_due_on__isnull=True) | Q(LessThanOrEqual(past_due, cadence))
    flags = {
        "risk_overdue": active & overdue,
        "risk_no_checkin": active & not_overdue & Q(GreaterThanOrEqual(since, 2 * cadence)),
        "risk_one_sided_mentor": active & Q(_one_sided(mentor, mentor + mentee)),
        "risk_one_sided_mentee": active & Q(_one_sided(mentee, mentor + mentee)),
        "risk_low_mentor": active & Q(health_facts__rating_for_mentor__lte=LOW_RATING),
        "risk_low_mentee": active & Q(health_facts__rating_for_mentee__lte=LOW_RATING),
    }
    flags = {name: _flag(condition) for name, condition in flags.items()}
    return partnerships.annotate(
        days_since_checkin=since,
        overdue_days=Coalesce(Greatest(past_due, 0), 0),
        mentor_contributions=mentor,
        mentee_contributions=mentee,
        rating_for_mentor=F("health_facts__rating_for_mentor"),
        rating_for_mentee=F("health_facts__rating_for_mentee"),
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
    mentor_contributions: int = 0
    mentee_contributions: int = 0
    latest_rating_for_mentor: int | None = None  # the mentee's latest rating of the mentor
    latest_rating_for_mentee: int | None = None
    goals_active: int = 0
    goals_achieved: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def at_risk(self) -> bool:
        return bool(self.reasons)

    @property
    def contributions(self) -> int:
        return self.mentor_contributions + self.mentee_contributions

    @property
    def mentor_share(self) -> float | None:
        return self.mentor_contributions / self.contributions if self.contributions else None

    @property
    def mentee_share(self) -> float | None:
        return self.mentee_contributions / self.contributions if self.contributions else None


def health_from(p: Partnership) -> Health:
    """A partnership annotated by ``with_health``, with its flags put into words."""
    health = Health(
        partnership=p,
        days_since_checkin=p.days_since_checkin,
        overdue_days=p.overdue_days,
        mentor_contributions=p.mentor_contributions,
        mentee_contributions=p.mentee_contributions,
        latest_rating_for_mentor=p.rating_for_mentor,
        latest_rating_for_mentee=p.rating_for_mentee,
        goals_active=p.goals_active,
        goals_achieved=p.goals_achieved,
    )
    cadence, reasons = p.checkin_cadence_days, health.reasons
    if p.risk_overdue:
        reasons.append(f"Check-in overdue by {p.overdue_days} days (cadence {cadence})")
    if p.risk_no_checkin:
        reasons.append(f"No check-in for {p.days_since_checkin} days (two cadences)")
    for role, flagged, share in (
        (Role.MENTOR, p.risk_one_sided_mentor, health.mentor_share),
        (Role.MENTEE, p.risk_one_sided_mentee, health.mentee_share),
    ):
        if flagged:
            reasons.append(f"One-sided: {share:.0%} of recent contributions from the {role}")
    for who, flagged, rating in (
        ("mentor", p.risk_low_mentor, p.rating_for_mentor),
        ("mentee", p.risk_low_mentee, p.rating_for_mentee),
    ):
        if flagged:
            reasons.append(f"Low feedback: the {who} was last rated {rating}/5")
    return health


def health_of(partnerships, *, today: datetime.date | None = None) -> list[Health]:
    """Health of each partnership in the queryset, with its people, riskiest first."""
    ensure_facts(partnerships)
    rows = with_health(partnerships.with_people(), today=today or timezone.localdate())
    return [health_from(p) for p in rows.order_by(*RISKIEST_FIRST)]


def health_in_order(ids: list[int], *, today: datetime.date) -> list[Health]:
    """Health of these partnerships, with their people, in the order given (one query).
    It reads the stored facts as they are: ``ensure_facts`` first brings them up to date."""
    rows = with_health(Partnership.objects.with_people().filter(pk__in=ids), today=today)
    found = rows.order_by().in_bulk()  # in the order given, so unsorted here
    return [health_from(found[pk]) for pk in ids]
