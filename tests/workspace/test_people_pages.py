"""Profiles, the mentor directory and matches both partners accept."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from partnerships.matching import cohort_proposal, match_confirm
from partnerships.models import MatchAnswer, Partnership
from tests.builders import join, make_coordinator_of, make_user


@pytest.fixture
def people(programme):
    mentee = join(programme, make_user("Milo Mentee"), "mentee", interests="python, design")
    alice = join(
        programme,
        make_user("Alice Adams"),
        "mentor",
        capacity=2,
        interests="Python, leadership",
        languages="English, Spanish",
        meeting_format="video",
    )
    bob = join(programme, make_user("Bob Brown"), "mentor", interests="cooking", languages="French")
    return {"milo": mentee, "alice": alice, "bob": bob}


def photo_with_location() -> bytes:
    """A PNG carrying an EXIF block (a camera's and a place's metadata)."""
    image = Image.new("RGB", (900, 600), "teal")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    out = io.BytesIO()
    image.save(out, format="PNG", exif=exif)
    return out.getvalue()


def test_a_profile_is_for_its_programme_and_its_coordinators(
    client, programme, people, other_programme, outsider
):
    url = reverse("people:profile", args=[people["alice"].code])
    client.force_login(people["milo"].user)
    assert "Alice Adams" in client.get(url).text
    stranger = join(other_programme, make_user("Sly Stranger"), "mentee")
    for someone in (stranger.user, outsider, make_coordinator_of(other_programme, "Other C")):
        client.force_login(someone)
        assert client.get(url).status_code == 404
    client.force_login(make_coordinator_of(programme, "Cora"))
    assert client.get(url).status_code == 200


def test_only_its_owner_edits_a_profile(client, people):
    url = reverse("people:edit", args=[people["alice"].code])
    client.force_login(people["milo"].user)
    assert client.get(url).status_code == 404
    assert client.post(url, {"bio": "HIJACKED"}).status_code == 404
    people["alice"].refresh_from_db()
    assert people["alice"].bio == ""


def test_editing_a_profile_with_a_photo_strips_its_metadata(client, people, html_checker):
    alice = people["alice"]
    client.force_login(alice.user)
    url = reverse("people:edit", args=[alice.code])
    assert html_checker.errors(client.get(url)) == []
    upload = SimpleUploadedFile("me.png", photo_with_location(), content_type="image/png")
    response = client.post(
        url,
        {
            "bio": "Twenty years in product.",
            "more_interests": "python, Mentoring",
            "more_languages": "English",
            "meeting_format": "in_person",
            "capacity": "3",
            "photo": upload,
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.bio, alice.interests, alice.capacity) == (
        "Twenty years in product.",
        "python, Mentoring",
        3,
    )
    photo = client.get(reverse("people:photo", args=[alice.code]))
    assert photo["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(photo.streaming_content))) as image:
        assert image.format == "JPEG"
        assert image.size == (512, 512)
        assert dict(image.getexif()) == {}


def test_a_file_that_is_not_an_image_is_refused_and_the_typed_text_kept(client, people):
    alice = people["alice"]
    client.force_login(alice.user)
    fake = SimpleUploadedFile("me.jpg", b"<?php echo 'hi'; ?>", content_type="image/jpeg")
    response = client.post(
        reverse("people:edit", args=[alice.code]), {"bio": "Kept as typed", "photo": fake}
    )
    assert response.status_code == 422
    assert "This file is not a photo we can read" in response.text
    assert "Kept as typed" in response.text
    alice.refresh_from_db()
    assert (alice.bio, alice.photo.name) == ("", "")


def test_without_a_photo_a_profile_shows_initials(client, people):
    client.force_login(people["milo"].user)
    page = client.get(reverse("people:profile", args=[people["alice"].code])).text
    assert '<span class="avatar initials large" aria-hidden="true">AA</span>' in page


def test_an_unmatched_mentee_finds_a_mentor_in_the_navigation_and_filters_the_directory(
    client, people, html_checker
):
    client.force_login(people["milo"].user)
    home = client.get(reverse("home"))
    assert f'href="{reverse("matching:suggestions")}"' in home.text
    directory = client.get(reverse("matching:suggestions"))
    assert html_checker.errors(directory) == []
    text = directory.text
    assert text.index("Alice Adams") < text.index("Bob Brown")  # suggested first
    assert "Shared interests: python" in text
    spanish = client.get(reverse("matching:suggestions"), {"language": "Spanish"}).text
    assert "Alice Adams" in spanish and "Bob Brown" not in spanish
    searched = client.get(reverse("matching:suggestions"), {"q": "cooking"}).text
    assert "Bob Brown" in searched and "Alice Adams" not in searched


def test_a_matched_mentee_is_not_offered_the_directory(client, partnership, mentee):
    client.force_login(mentee)
    assert "Find a mentor" not in client.get(reverse("home")).text


def test_the_directory_costs_the_same_with_two_or_twenty_mentors(client, programme, people):
    client.force_login(people["milo"].user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("matching:suggestions")).status_code == 200
        return len(queries)

    count()  # the first request after logging in also saves the session
    few = count()
    for n in range(18):
        join(programme, make_user(f"Mentor {n}"), "mentor", interests="python")
    assert count() == few


def test_a_mentee_asks_with_a_note_and_the_mentor_sees_it_waiting(client, people):
    milo, alice = people["milo"], people["alice"]
    client.force_login(milo.user)
    client.post(
        reverse("matching:suggestions"),
        {"mentee": milo.pk, "mentor": alice.pk, "note": "I'd love help with Python"},
    )
    client.force_login(alice.user)
    home = client.get(reverse("home")).text
    assert 'Requests <span class="count">1' in home
    requests = client.get(reverse("matching:requests")).text
    assert "I&#x27;d love help with Python" in requests


def test_a_proposed_match_starts_when_both_accept(client, programme, people, coordinator):
    milo, alice = people["milo"], people["alice"]
    partnership = match_confirm(mentee=milo, mentor=alice, by=coordinator)
    url = reverse("partnerships:match", args=[partnership.code])
    client.force_login(milo.user)
    page = client.get(url).text
    assert "Alice Adams" in page and "Shared interests: python" in page
    client.post(url, {"accept": "1"})
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.PROPOSED
    client.force_login(alice.user)
    client.post(url, {"accept": "1"})
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.ACTIVE


def test_a_declined_match_tells_the_coordinator_the_category_only(
    client, programme, people, coordinator
):
    milo, alice = people["milo"], people["alice"]
    partnership = match_confirm(mentee=milo, mentor=alice, by=coordinator)
    client.force_login(alice.user)
    client.post(
        reverse("partnerships:match", args=[partnership.code]),
        {"decline": "1", "reason": "no_time"},
    )
    partnership.refresh_from_db()
    assert partnership.status != Partnership.Status.PROPOSED
    answer = MatchAnswer.objects.get(partnership=partnership)
    assert (answer.accepted, answer.reason) == (False, "no_time")
    assert coordinator.notifications.filter(kind="match").exists()


def test_a_cohort_proposal_fills_mentors_up_to_their_capacity(programme):
    mentors = [
        join(programme, make_user(f"Mentor {n}"), "mentor", capacity=2, interests=f"topic{n}")
        for n in range(2)
    ]
    for n in range(5):
        join(programme, make_user(f"Mentee {n}"), "mentee", interests=f"topic{n % 2}")
    proposal = cohort_proposal(programme)
    chosen = [pair.suggestion.mentor for pair in proposal.pairs if pair.suggestion]
    assert len(chosen) == 4  # two places each; the fifth mentee waits
    assert all(chosen.count(mentor) == 2 for mentor in mentors)
    for pair in proposal.pairs:
        if pair.suggestion:
            assert pair.suggestion.mentor.interests in pair.mentee.interests
