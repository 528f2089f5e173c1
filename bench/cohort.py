"""Benchmark: "Propose matches for everyone" on a cohort of 2,000 unmatched mentees and
800 mentors with capacities 1-5 (about 2,400 places), built once in its own database.

Times, median of the repeats:
- the solver alone (``cohort_solve``: the score matrix and SciPy's assignment);
- the proposal (``cohort_proposal``: reading the cohort, solving, each pair's reasons
  and alternatives);
- the coordinator's page that shows it (the admin's Matching page with ``?cohort=1``),
  in-process through Django's test client.

    bench/cohort.py [--tiny] [--repeat 3] [--json PATH] [--database-url URL]

Prints (does not assert); run by ``make bench-cohort``. The issue's open-source anchor
needs 97 s for 500 pairs.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reminders_data import median, setup, write_json

SLUG = "bench-cohort"
INTERESTS = [f"topic{n}" for n in range(40)]
LANGUAGES = ["English", "Spanish", "French", "German", "Hindi", "Arabic", "Portuguese", "Swahili"]
FORMATS = ["", "video", "in_person", "any"]


def build(mentees: int, mentors: int):
    """The cohort, made in bulk (no password hashing, no services: only rows)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from partnerships.models import Participant, Programme

    rng = random.Random(15)
    today = timezone.localdate()
    programme = Programme.objects.create(
        name="Bench cohort",
        slug=SLUG,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=170),
    )
    User = get_user_model()
    people = [("mentor", n) for n in range(mentors)] + [("mentee", n) for n in range(mentees)]
    users = User.objects.bulk_create(
        User(email=f"{role}{n}@cohort.example.org", name=f"{role.title()} {n:04d}", password="!")
        for role, n in people
    )

    def profile():
        return {
            "interests": ", ".join(rng.sample(INTERESTS, rng.randint(1, 4))),
            "languages": ", ".join(rng.sample(LANGUAGES, rng.randint(1, 2))),
            "meeting_format": rng.choice(FORMATS),
        }

    Participant.objects.bulk_create(
        Participant(
            programme=programme,
            user=user,
            role=role,
            capacity=rng.randint(1, 5) if role == "mentor" else 1,
            **profile(),
        )
        for user, (role, _) in zip(users, people, strict=True)
    )
    return programme


def cohort(mentees: int, mentors: int):
    from partnerships.models import Participant, Programme

    programme = Programme.objects.filter(slug=SLUG).first()
    if programme is None:
        return build(mentees, mentors)
    counts = (
        Participant.objects.filter(programme=programme, role="mentee").count(),
        Participant.objects.filter(programme=programme, role="mentor").count(),
    )
    if counts != (mentees, mentors):
        sys.exit(f"The cohort has {counts}; drop the benchmark database first.")
    return programme


def coordinator_of(programme):
    from django.contrib.auth import get_user_model

    from coordinators.group import make_coordinator

    User = get_user_model()
    user = User.objects.filter(email="cora@cohort.example.org").first()
    if user is None:
        user = User.objects.create_user(
            email="cora@cohort.example.org", password=None, name="Cora Coordinator"
        )
        make_coordinator(user, programme)
    return user


def timed(function):
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def run(*, mentees: int, mentors: int, repeat: int) -> dict:
    from django.test import Client
    from django.urls import reverse

    from partnerships.matching import (
        cohort_proposal,
        cohort_solve,
        criteria_for,
        mentors_with_places,
        past_pairs,
        unmatched_mentees,
    )

    programme = cohort(mentees, mentors)
    people = list(unmatched_mentees(programme))
    mentor_list = list(mentors_with_places(programme))
    places = sum(m.places_left for m in mentor_list)
    past = past_pairs(mentor_list, people)
    criteria = criteria_for(programme)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(coordinator_of(programme))
    url = reverse("admin:partnerships_programme_matching", args=[programme.pk]) + "?cohort=1"
    solver, proposal, page = [], [], []
    for n in range(repeat):
        seconds, (pairs, scores, _, _) = timed(
            lambda: cohort_solve(people, mentor_list, past, criteria)
        )
        solver.append(seconds)
        seconds, result = timed(lambda: cohort_proposal(programme))
        proposal.append(seconds)
        seconds, response = timed(lambda: client.get(url))
        if response.status_code != 200 or b"Propose matches for everyone" not in response.content:
            sys.exit(f"The cohort page answered {response.status_code}.")
        page.append(seconds)
        print(
            f"  repeat {n + 1}: solver {solver[-1]:.2f} s, proposal {proposal[-1]:.2f} s, "
            f"page {page[-1]:.2f} s",
            flush=True,
        )
    return {
        "mentees": len(people),
        "mentors": len(mentor_list),
        "places": places,
        "pairs": len(pairs),
        "matched": result.matched,
        "total_score": result.total_score,
        "matrix": list(scores.shape),
        "solver_seconds": median(solver),
        "proposal_seconds": median(proposal),
        "page_seconds": median(page),
        "page_bytes": len(response.content),
        "repeat": repeat,
    }


def summary(result: dict) -> str:
    return "\n".join(
        [
            f"Propose matches for everyone: {result['mentees']:,} unmatched mentees, "
            f"{result['mentors']:,} mentors with {result['places']:,} places "
            f"(median of {result['repeat']})",
            f"  solver (score matrix {result['matrix'][0]:,} x {result['matrix'][1]:,} and "
            f"linear_sum_assignment)  {result['solver_seconds']:.2f} s",
            f"  proposal (read, solve, reasons and alternatives)  "
            f"{result['proposal_seconds']:.2f} s",
            f"  the coordinator's page  {result['page_seconds']:.2f} s "
            f"({result['page_bytes'] / 1e6:.1f} MB of HTML)",
            f"  {result['matched']:,} pairs, total score {result['total_score']:,} "
            f"(the open-source anchor: 97 s for 500 pairs)",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help="40 mentees, 16 mentors, once")
    parser.add_argument("--repeat", type=int, default=None, help="default 3 (1 with --tiny)")
    parser.add_argument("--json", metavar="PATH", help="also write the results here")
    parser.add_argument("--database-url", help="default: $DATABASE_URL")
    args = parser.parse_args()
    url = args.database_url
    if args.tiny and url:
        url += "_tiny"  # the tiny cohort in a database of its own
    setup(url)
    sizes = (40, 16) if args.tiny else (2_000, 800)
    result = run(mentees=sizes[0], mentors=sizes[1], repeat=args.repeat or (1 if args.tiny else 3))
    result["summary"] = summary(result).splitlines()
    print(summary(result))
    write_json(args.json, {"cohort": result})


if __name__ == "__main__":
    main()
