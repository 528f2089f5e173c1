"""Demo data for profiles, finding a mentor and matches (issue 15): the mentors' profiles
filled in, Uma still looking for a mentor, Vik's request waiting for Chen, Dana's yes to the
match proposed with Tara (Tara's answer is what it waits for), and the notifications these
leave in the bells."""

from django.contrib.auth import get_user_model

from partnerships.models import Participant, Partnership
from partnerships.models.partnership import Status
from partnerships.services.match_requests import match_request_create
from partnerships.services.matches import match_accept

PROFILES = {
    "amara.okafor@example.org": (
        "Honest feedback on talks; how to run a meeting people want to attend",
        "How younger teams use AI tools",
        "English, Igbo",
        "video",
    ),
    "ben.carter@example.org": (
        "Moving from analytics into data engineering",
        "Coaching people through a career change",
        "English",
        "video",
    ),
    "chen.wei@example.org": (
        "Portfolio reviews; research plans",
        "Leading a design team",
        "English, Mandarin",
        "any",
    ),
    "dana.schmidt@example.org": (
        "Preparing a negotiation; reading a balance sheet",
        "Mentoring across time zones",
        "German, English",
        "in_person",
    ),
    "elif.yilmaz@example.org": (
        "First ML projects; technical writing",
        "Giving feedback that lands",
        "Turkish, English",
        "phone",
    ),
}


def seed_joining(programme, *, password_hash: str) -> None:
    for participant in Participant.objects.filter(
        programme=programme, role=Participant.Role.MENTOR
    ).select_related("user"):
        offers, wants, languages, meeting = PROFILES.get(participant.user.email, ("",) * 4)
        participant.offers, participant.wants = offers, wants
        participant.languages, participant.meeting_format = languages, meeting
        participant.save(update_fields=["offers", "wants", "languages", "meeting_format"])
    # Vik joined late and asked Chen, who has a free place; Uma (unmatched) is still looking.
    vik, _ = get_user_model().objects.get_or_create(
        email="vik.shah@example.org",
        defaults={"name": "Vik Shah", "time_zone": "Europe/London", "password": password_hash},
    )
    vik_here = Participant.objects.create(
        programme=programme,
        user=vik,
        role=Participant.Role.MENTEE,
        interests="design, user research",
        wants="Build my first research plan",
        languages="English",
        meeting_format="video",
    )
    chen = Participant.objects.get(programme=programme, user__email="chen.wei@example.org")
    match_request_create(
        mentee=vik_here,
        mentor=chen,
        by=vik,
        note="Your portfolio talk last spring was what made me apply.",
    )
    # The match the coordinator proposed: Dana said yes, Tara has still to answer.
    proposed = Partnership.objects.filter(programme=programme, status=Status.PROPOSED).first()
    if proposed is not None:
        match_accept(partnership=proposed, by=proposed.mentor.user)
