"""A participant's profile in one programme: what they tell its people, and a photo.

A photo is checked by what it is, not by its name: Pillow must recognise it as a JPEG,
PNG, WebP or GIF, of a bounded size in bytes and in pixels (a small file can claim a huge
image). It is then re-encoded as a new JPEG, square and at most 512 pixels a side, which
keeps no metadata of the original (no location, no camera, no comments), and stored
through Django's storage API under a random name. Only the profile's photo view serves it.
"""

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, Q
from PIL import Image, ImageOps, UnidentifiedImageError

from mentorship.models import has_control_characters
from partnerships.models import Participant, Partnership, ProfileAnswer, SignupQuestion
from partnerships.models.participant import MeetingFormat, Role, tags_of
from partnerships.models.partnership import OPEN_STATUSES

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 25_000_000  # 5000 x 5000: more is a decompression bomb, not a portrait
PHOTO_SIDE = 512
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_CAPACITY = 20  # as for invitations (partnerships.services.invitations)
MAX_TAGS = 20

TEXT_FIELDS = ("bio", "offers", "wants", "availability")
TAG_FIELDS = ("interests", "languages")


def photo_prepare(upload) -> ContentFile:
    """The upload as a clean square JPEG, or ValidationError saying what is wrong."""
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            f"The photo is too large: at most {PHOTO_MAX_BYTES // (1024 * 1024)} MB.",
            code="too_large",
        )
    not_an_image = ValidationError(
        "This file is not a photo we can read: upload a JPEG, PNG, WebP or GIF image.",
        code="not_an_image",
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind, (width, height) = probe.format, probe.size
            if kind not in PHOTO_FORMATS:
                raise not_an_image
            if width * height > PHOTO_MAX_PIXELS:
                raise ValidationError(
                    "The photo has too many pixels: at most 5000 by 5000.", code="too_many_pixels"
                )
            probe.verify()  # a truncated or corrupt file fails here, before decoding
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # upright, before the metadata goes
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                background = Image.new("RGB", image.size, "white")
                background.paste(image, mask=image.getchannel("A"))
                image = background
            image = image.convert("RGB")
            side = min(image.size[0], image.size[1], PHOTO_SIDE)
            image = ImageOps.fit(image, (side, side), method=Image.Resampling.LANCZOS)
            out = io.BytesIO()
            # A new file from pixels only: no EXIF, XMP, ICC profile or comments survive.
            image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise not_an_image from None
    return ContentFile(out.getvalue(), name="photo.jpg")


def _clean_text(errors: dict, name: str, value: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit:
        errors[name] = f"Keep it to {limit} characters."
    elif "\x00" in value:
        errors[name] = "This contains a character that cannot be stored."
    return value


def _clean_tags(errors: dict, name: str, value: str, limit: int) -> str:
    tags = tags_of(value)
    if len(tags) > MAX_TAGS:
        errors[name] = f"Up to {MAX_TAGS}, please."
    elif any(has_control_characters(tag) for tag in tags):
        errors[name] = "Write them on one line, separated by commas."
    joined = ", ".join(tags)
    if len(joined) > limit:
        errors[name] = f"Keep them to {limit} characters in all."
    return joined


@transaction.atomic
def participant_profile_update(
    *, participant: Participant, by, photo=None, remove_photo: bool = False, **fields
) -> Participant:
    """Save one's own profile. ``fields`` are any of bio, offers, wants, availability,
    interests, languages (comma-separated), meeting_format and, for a mentor, capacity;
    ``photo`` an uploaded file (checked and re-encoded), ``remove_photo`` to go back to
    initials."""
    if participant.user_id != by.pk:
        raise PermissionDenied("Only its owner edits a profile.")
    unknown = set(fields) - {*TEXT_FIELDS, *TAG_FIELDS, "meeting_format", "capacity"}
    if unknown:
        raise ValueError(f"Profiles have no field(s) {sorted(unknown)}")
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    errors: dict[str, str] = {}
    for name in TEXT_FIELDS:
        if name in fields:
            limit = 2000 if name == "bio" else Participant._meta.get_field(name).max_length
            setattr(locked, name, _clean_text(errors, name, fields[name], limit))
    for name in TAG_FIELDS:
        if name in fields:
            limit = Participant._meta.get_field(name).max_length
            setattr(locked, name, _clean_tags(errors, name, fields[name], limit))
    if "meeting_format" in fields:
        if fields["meeting_format"] not in ("", *MeetingFormat.values):
            errors["meeting_format"] = "Choose one of the ways listed."
        else:
            locked.meeting_format = fields["meeting_format"]
    if "capacity" in fields and fields["capacity"] is not None:
        errors.update(_capacity_errors(locked, fields["capacity"]))
        locked.capacity = fields["capacity"]
    if photo is not None:
        try:
            prepared = photo_prepare(photo)
        except ValidationError as error:
            errors["photo"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    old_photo = locked.photo.name if (photo is not None or remove_photo) else None
    if photo is not None:
        locked.photo.save(prepared.name, prepared, save=False)
    elif remove_photo:
        locked.photo = ""
    locked.save()
    if old_photo:
        # The file goes once the row no longer points at it (never a row without its file).
        storage = locked.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    participant.refresh_from_db()
    return participant


def _capacity_errors(participant: Participant, capacity) -> dict[str, str]:
    if participant.role != Role.MENTOR:
        return {"capacity": "Only mentors set how many mentees they take."}
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        return {"capacity": f"From 1 to {MAX_CAPACITY}."}
    taken = Partnership.objects.filter(mentor=participant, status__in=OPEN_STATUSES).count()
    if capacity < taken:
        return {
            "capacity": f"You have {taken} open partnership{'s' * (taken != 1)}: "
            f"at least {taken}, then."
        }
    return {}


def programme_tags(programme, *, field: str = "interests", limit: int = 40) -> list[str]:
    """The tags the programme's people already use, most used first (one query): the
    suggestions a profile offers, so that people who share an interest write it alike."""
    counts: dict[str, list] = {}
    for value in Participant.objects.filter(programme=programme).values_list(field, flat=True):
        for tag in tags_of(value):
            entry = counts.setdefault(tag.lower(), [tag, 0])
            entry[1] += 1
    ranked = sorted(counts.values(), key=lambda entry: (-entry[1], entry[0].lower()))
    return [tag for tag, _ in ranked[:limit]]


def criteria_questions(programme, role: str) -> list[SignupQuestion]:
    return [
        question
        for question in SignupQuestion.objects.filter(programme=programme, is_criterion=True)
        if question.is_for(role)
    ]


@transaction.atomic
def profile_answers_set(*, participant: Participant, by, answers: dict) -> None:
    """Save one's choices for the programme's matching questions: {question: [options]}."""
    if participant.user_id != by.pk:
        raise PermissionDenied("Only its owner edits a profile.")
    for question, chosen in answers.items():
        if question.programme_id != participant.programme_id or not question.is_criterion:
            raise ValidationError("That question is not one of this programme's.")
        options = question.option_list()
        chosen = [option for option in options if option in set(chosen)]
        if question.kind == SignupQuestion.Kind.ONE:
            chosen = chosen[:1]
        ProfileAnswer.objects.update_or_create(
            participant=participant, question=question, defaults={"choices": chosen}
        )


def mentors_count_with_places(programme) -> int:
    """How many of the programme's mentors have a free place (the dashboard's hint)."""
    return (
        Participant.objects.mentors()
        .filter(programme=programme)
        .annotate(
            open_count=Count(
                "mentor_partnerships", filter=Q(mentor_partnerships__status__in=OPEN_STATUSES)
            )
        )
        .filter(capacity__gt=F("open_count"))
        .count()
    )
