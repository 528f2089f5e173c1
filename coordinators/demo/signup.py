"""Demo data for sign-up (issue 15): the programme's sign-up open at its link, three
questions (one that counts in matching), and applications: two confirmed and waiting for
the coordinator, one whose address is not confirmed yet. Made as rows, without emails."""

import datetime

from django.utils import timezone

from partnerships.models import Application, ApplicationAnswer, ProgrammeIntake, SignupQuestion

QUESTIONS = [
    # (text, hint, kind, options, required, asked of, counts in matching)
    (
        "Which area do you work in?",
        "Mentors and mentees who choose the same area are suggested to each other first.",
        "one",
        "Engineering\nDesign\nData\nProduct\nOperations",
        True,
        "both",
        True,
    ),
    ("What would you like to get out of the programme?", "", "long", "", True, "mentee", False),
    (
        "How can you help?",
        "Tick all that apply.",
        "several",
        "Career moves\nTechnical skills\nLeading people\nConfidence and visibility",
        False,
        "mentor",
        False,
    ),
]

APPLICANTS = [
    # (name, email, role, status, answers by question index, hours ago)
    (
        "Noor Haddad",
        "noor.haddad@example.org",
        "mentee",
        "waiting",
        {0: ["Data"], 1: "Moving from analysis into machine learning, with someone who did it."},
        20,
    ),
    (
        "Leo Martins",
        "leo.martins@example.org",
        "mentor",
        "waiting",
        {0: ["Engineering"], 2: ["Technical skills", "Leading people"]},
        5,
    ),
    (
        "Ines Costa",
        "ines.costa@example.org",
        "mentee",
        "unconfirmed",
        {0: ["Design"], 1: "Finding my voice in design critiques."},
        1,
    ),
]


def seed_signup(programme) -> None:
    ProgrammeIntake.objects.update_or_create(
        programme=programme,
        defaults={"signup_open": True, "roles": "both", "mentor_places": 12, "mentee_places": 20},
    )
    questions = []
    for position, (text, hint, kind, options, required, asked_of, criterion) in enumerate(
        QUESTIONS, start=1
    ):
        question, _ = SignupQuestion.objects.update_or_create(
            programme=programme,
            text=text,
            defaults={
                "help_text": hint,
                "kind": kind,
                "options": options,
                "required": required,
                "asked_of": asked_of,
                "is_criterion": criterion,
                "position": position,
            },
        )
        questions.append(question)
    now = timezone.now()
    for name, email, role, status, answers, hours_ago in APPLICANTS:
        application, created = Application.objects.get_or_create(
            programme=programme,
            email=email,
            defaults={
                "name": name,
                "role": role,
                "status": status,
                "confirmed_at": now if status == "waiting" else None,
            },
        )
        if not created:
            continue
        Application.objects.filter(pk=application.pk).update(
            created_at=now - datetime.timedelta(hours=hours_ago)
        )
        for index, answer in answers.items():
            ApplicationAnswer.objects.create(
                application=application,
                question=questions[index],
                text=answer if isinstance(answer, str) else "",
                choices=answer if isinstance(answer, list) else [],
            )
