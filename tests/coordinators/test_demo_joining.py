"""seed_demo shows finding a mentor and matches (coordinators/demo/joining.py): Uma still
looking, Vik's request waiting for Chen, Dana's yes to the match proposed with Tara, and
the bells that these leave."""

from django.core.management import call_command

from partnerships.matching import unmatched_mentees
from partnerships.models import MatchAnswer, MatchRequest, Notification, Participant
from workspace.navigation import navigation_for


def test_the_demo_has_an_unmatched_mentee_a_request_and_a_proposed_match(db):
    call_command("seed_demo")
    uma = Participant.objects.get(user__email="uma.rao@example.org", programme__slug="demo")
    looking = unmatched_mentees(uma.programme)
    assert uma in looking
    assert navigation_for(uma.user).seeking_mentor
    request = MatchRequest.objects.get(mentee__user__email="vik.shah@example.org")
    assert (request.mentor.user.email, request.status) == ("chen.wei@example.org", "pending")
    assert request.note
    chen = navigation_for(request.mentor.user)
    assert chen.requests == 1
    assert Notification.objects.filter(recipient=request.mentor.user, kind="request").exists()
    [answer] = MatchAnswer.objects.all()
    assert (answer.user.email, answer.accepted) == ("dana.schmidt@example.org", True)
    tara = answer.partnership.mentee.user
    assert answer.partnership.status == "proposed"
    assert Notification.objects.filter(recipient=tara, kind="match").exists()
    assert Participant.objects.filter(programme=uma.programme).exclude(languages="").count() >= 6
