"""seed_demo shows sign-up (coordinators/demo/signup.py): the demo programme's sign-up is
open at its link with its questions, and applications wait for the coordinator."""

from django.core.management import call_command
from django.urls import reverse

from partnerships.models import Application, ProgrammeIntake


def test_the_demo_has_an_open_sign_up_with_applications_waiting(client, db):
    call_command("seed_demo")
    intake = ProgrammeIntake.objects.get(programme__slug="demo")
    assert intake.signup_open
    waiting = Application.objects.filter(programme__slug="demo", status="waiting")
    assert sorted(waiting.values_list("role", flat=True)) == ["mentee", "mentor"]
    assert all(application.answers.exists() for application in waiting)
    page = client.get(reverse("signup:page", args=[intake.token]) + "?role=mentee")
    assert page.status_code == 200
    assert "Which area do you work in?" in page.text
    assert "What would you like to get out of the programme?" in page.text
