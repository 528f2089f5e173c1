"""How each partnership is doing, and why one is at risk.

One module computes this for the coordinators' dashboard, exports and the weekly digest,
with a fixed number of queries however many partnerships are asked about.

At risk means any of:
- overdue by more than one cadence (today is past the due date plus one cadence);
- no check-in for two cadences (or since starting, if there has been none);
- over 80% of the contributions over the last three check-ins came from one partner;
- a latest feedback rating of 2 or less, from either partner.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from goals.models import GoalReview, GoalStatus, NextStep
from partnerships.models import CheckIn, Feedback, Partnership, Reflection
from partnerships.models.participant import Role

RECENT_CHECKINS = 3
ONE_SIDED_SHARE = 0.8
LOW_RATING = 2


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

    @property
    def risk_score(self) -> tuple:
        """Sort key, riskiest first: number of reasons, then how overdue."""
        return (-len(self.reasons), -self.overdue_days, -(self.days_since_checkin or 0))


def _recent_checkins_of(partnership_ids):
    """Each partnership's last RECENT_CHECKINS check-ins, as a queryset."""
    return (
        CheckIn.objects.filter(partnership_id__in=partnership_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("partnership_id")],
                order_by=[F("held_on").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=RECENT_CHECKINS)
    )


def _recent_checkins(partnership_ids) -> dict[int, list[int]]:
    """The ids of each partnership's last RECENT_CHECKINS check-ins, in one query."""
    rows = _recent_checkins_of(partnership_ids).values_list(
        "partnership_id", "id", "started_by_id", "agenda"
    )
    recent: dict[int, list] = defaultdict(list)
    for partnership_id, checkin_id, started_by, agenda in rows:
        recent[partnership_id].append((checkin_id, started_by, bool(agenda.strip())))
    return recent


def _contributions(partnerships, partnership_ids, recent) -> dict[int, dict[int, int]]:
    """Per partnership, per user: how many things they contributed to recent check-ins.

    A contribution is starting the check-in, the agenda (the mentee's), a reflection, a
    goal review, a next step or feedback.
    """
    by_checkin = {cid: pid for pid, items in recent.items() for cid, _, _ in items}
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    mentee_of = {p.pk: p.mentee_user_id for p in partnerships}
    for pid, items in recent.items():
        for _cid, started_by, has_agenda in items:
            counts[pid][started_by] += 1
            if has_agenda:
                counts[pid][mentee_of[pid]] += 1
    # A subquery, not a list: thousands of ids as parameters cost more than the query.
    ids = _recent_checkins_of(partnership_ids).values("id")
    sources = (
        Reflection.objects.filter(checkin_id__in=ids).values_list("checkin_id", "author_id"),
        GoalReview.objects.filter(checkin_id__in=ids).values_list("checkin_id", "author_id"),
        Feedback.objects.filter(checkin_id__in=ids).values_list("checkin_id", "author_id"),
        NextStep.objects.filter(checkin_id__in=ids).values_list("checkin_id", "created_by_id"),
    )
    for source in sources:
        for checkin_id, user_id in source:
            counts[by_checkin[checkin_id]][user_id] += 1
    return counts


def _latest_ratings(partnership_ids) -> dict[tuple[int, int], int]:
    """(partnership id, recipient id) → the latest rating that recipient received."""
    rows = (
        Feedback.objects.filter(checkin__partnership_id__in=partnership_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("checkin__partnership_id"), F("recipient_id")],
                order_by=[F("checkin__held_on").desc(), F("given_at").desc()],
            )
        )
        .filter(rank=1)
        .values_list("checkin__partnership_id", "recipient_id", "rating")
    )
    return {(pid, recipient): rating for pid, recipient, rating in rows}


# What health needs of each partnership: one narrow row, no people or programme objects
# (building those for thousands of rows was most of the dashboard's Python time).
HEALTH_FIELDS = (
    "id",
    "status",
    "checkin_cadence_days",
    "started_on",
    "last_checkin_on",
    "next_checkin_due_on",
    "mentor_id",
    "mentee_id",
)


def health_of(partnerships, *, today: datetime.date | None = None) -> list[Health]:
    """Health of each partnership in the queryset, riskiest first. Each Health holds a
    narrow partnership; ``with_people`` loads names for the rows that show them."""
    today = today or timezone.localdate()
    partnerships_qs = partnerships.order_by()
    partnerships = list(
        partnerships.only(*HEALTH_FIELDS).annotate(
            mentor_user_id=F("mentor__user_id"),
            mentee_user_id=F("mentee__user_id"),
            goals_active_count=Count("goals", filter=Q(goals__status=GoalStatus.ACTIVE)),
            goals_achieved_count=Count("goals", filter=Q(goals__status=GoalStatus.ACHIEVED)),
        )
    )
    # The queryset's ids as a subquery: the database filters, Python sends no id lists.
    ids = partnerships_qs.values("pk")
    recent = _recent_checkins(ids)
    contributions = _contributions(partnerships, ids, recent)
    ratings = _latest_ratings(ids)
    report = [_assess(p, today, contributions[p.pk], ratings) for p in partnerships]
    report.sort(key=lambda h: (h.risk_score, h.partnership.pk))
    return report


def with_people(report: list[Health]) -> list[Health]:
    """Give these rows' partnerships their programme, mentor and mentee (one query)."""
    full = Partnership.objects.with_people().in_bulk([h.partnership.pk for h in report])
    for h in report:
        h.partnership = full[h.partnership.pk]
    return report


def _assess(p: Partnership, today, counted: dict[int, int], ratings) -> Health:
    since = p.last_checkin_on or p.started_on
    days_since = (today - since).days if since else None
    overdue = max((today - p.next_checkin_due_on).days, 0) if p.next_checkin_due_on else 0
    health = Health(
        partnership=p,
        days_since_checkin=days_since,
        overdue_days=overdue,
        mentor_contributions=counted.get(p.mentor_user_id, 0),
        mentee_contributions=counted.get(p.mentee_user_id, 0),
        latest_rating_for_mentor=ratings.get((p.pk, p.mentor_user_id)),
        latest_rating_for_mentee=ratings.get((p.pk, p.mentee_user_id)),
        goals_active=p.goals_active_count,
        goals_achieved=p.goals_achieved_count,
    )
    if p.status != Partnership.Status.ACTIVE:
        return health  # paused and closed partnerships are not "at risk"
    cadence = p.checkin_cadence_days
    if overdue > cadence:
        health.reasons.append(f"Check-in overdue by {overdue} days (cadence {cadence})")
    elif days_since is not None and days_since >= 2 * cadence:
        health.reasons.append(f"No check-in for {days_since} days (two cadences)")
    for role, share in ((Role.MENTOR, health.mentor_share), (Role.MENTEE, health.mentee_share)):
        if share is not None and share > ONE_SIDED_SHARE:
            health.reasons.append(f"One-sided: {share:.0%} of recent contributions from the {role}")
    for who, rating in (
        ("mentor", health.latest_rating_for_mentor),
        ("mentee", health.latest_rating_for_mentee),
    ):
        if rating is not None and rating <= LOW_RATING:
            health.reasons.append(f"Low feedback: the {who} was last rated {rating}/5")
    return health
