"""Reading a workspace as its words, and a partnership's activity feed, for the tests of
what partners and coordinators see."""

import html
import re

from django.urls import reverse

from partnerships.models import Activity

HTMX = {"HX-Request": "true"}


def workspace(client, person, partnership) -> str:
    client.force_login(person)
    response = client.get(reverse("partnerships:workspace", args=[partnership.code]))
    assert response.status_code == 200
    return response.content.decode()


def text_of(page: str) -> str:
    """The page's words, without tags, entities or runs of white space."""
    words = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    return re.sub(r" ([,.:;!?])", r"\1", words)


def feed(partnership) -> list[tuple[str, str]]:
    return list(
        Activity.objects.filter(partnership=partnership)
        .order_by("id")
        .values_list("verb", "summary")
    )
