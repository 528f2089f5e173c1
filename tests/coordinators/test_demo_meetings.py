"""seed_demo shows meetings, agendas and progress (coordinators/demo/meetings.py): Maya and
Amara's next meeting scheduled, an agenda both shaped, and both views of Maya's goals over
three check-ins, one goal's two steps apart (so it is on the agenda)."""

from django.core.management import call_command

from goals.models import ProgressRating
from partnerships.models import AgendaItem, Meeting, Reminder


def test_the_demo_has_a_scheduled_meeting_an_agenda_and_progress_from_both_sides(db):
    call_command("seed_demo")
    meeting = Meeting.objects.get(partnership__mentee__user__email="maya.patel@example.org")
    assert meeting.status == Meeting.Status.SCHEDULED
    assert meeting.time_zone == "Europe/London"
    partnership = meeting.partnership
    assert partnership.next_checkin_due_on == meeting.local_date
    statuses = set(partnership.agenda_items.values_list("status", flat=True))
    assert statuses == {AgendaItem.Status.ON_AGENDA, AgendaItem.Status.SUGGESTED}
    assert partnership.agenda_items.filter(source=AgendaItem.Source.PROGRESS_GAP).exists()
    ratings = ProgressRating.objects.filter(goal__partnership=partnership)
    assert ratings.filter(by_owner=True).count() == ratings.filter(by_owner=False).count() >= 6
    assert Reminder.objects.filter(kind="meeting_invitation", partnership=partnership).count() == 4
