"""Bad photos on a profile: too many bytes, too many pixels, a script or page dressed as
an image, a cut-off file, a format we do not take. Each is a form error (422) that keeps
what was typed and stores nothing; a photo already there stays."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from partnerships.services.profiles import PHOTO_MAX_BYTES
from tests.builders import join, make_user

NOT_A_PHOTO = "This file is not a photo we can read: upload a JPEG, PNG, WebP or GIF image."


def image_bytes(size=(64, 64), *, format="PNG", mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 1 if mode == "1" else "teal").save(out, format=format)
    return out.getvalue()


def too_large() -> bytes:
    """A real PNG padded past the limit: refused by its size, before it is opened."""
    return image_bytes() + b"\0" * (PHOTO_MAX_BYTES + 1)


def too_many_pixels() -> bytes:
    """A few kilobytes that claim 6,000 x 4,500 pixels (a decompression bomb's shape)."""
    return image_bytes((6000, 4500), mode="1")


def cut_off() -> bytes:
    whole = image_bytes((400, 400), format="JPEG")
    return whole[: len(whole) // 2]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
PAGE_WITH_GIF_MAGIC = b"GIF89a<html><script>alert(1)</script></html>"

BAD = {
    "too large": (too_large, "The photo is too large: at most 5 MB."),
    "too many pixels": (too_many_pixels, "The photo has too many pixels: at most 5000 by 5000."),
    "SVG with a script": (lambda: SVG, NOT_A_PHOTO),
    "page behind GIF magic": (lambda: PAGE_WITH_GIF_MAGIC, NOT_A_PHOTO),
    "cut-off JPEG": (cut_off, NOT_A_PHOTO),
    "BMP": (lambda: image_bytes(format="BMP"), NOT_A_PHOTO),
}


@pytest.fixture
def alice(programme):
    return join(programme, make_user("Alice Adams"), "mentor", capacity=2)


def post_photo(client, participant, data: bytes, *, bio: str = "Kept <as> typed"):
    upload = SimpleUploadedFile("me.png", data, content_type="image/png")
    return client.post(
        reverse("people:edit", args=[participant.code]),
        {"bio": bio, "capacity": "2", "photo": upload},
    )


@pytest.mark.parametrize("case", BAD)
def test_a_bad_photo_is_a_form_error_that_keeps_the_text_and_stores_nothing(client, alice, case):
    make, message = BAD[case]
    client.force_login(alice.user)
    response = post_photo(client, alice, make())
    assert response.status_code == 422
    assert message in response.text
    assert "Kept &lt;as&gt; typed" in response.text
    alice.refresh_from_db()
    assert (alice.bio, alice.photo.name) == ("", "")


def test_a_bad_photo_leaves_the_one_already_there(client, alice):
    client.force_login(alice.user)
    assert post_photo(client, alice, image_bytes((300, 200)), bio="First").status_code == 302
    alice.refresh_from_db()
    kept = alice.photo.name
    assert kept
    response = post_photo(client, alice, SVG, bio="Second")
    assert response.status_code == 422
    alice.refresh_from_db()
    assert (alice.bio, alice.photo.name) == ("First", kept)
    assert alice.photo.storage.exists(kept)
