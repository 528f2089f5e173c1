"""Micro-benchmarks for the two shortcuts the product keeps because they measured worth it.

    python bench/micro.py emails [N]  build N reminder-shaped emails to bytes, with and
                                      without mentorship/email_policy.py's header classes
                                      built once (no database needed)
    python bench/micro.py forms [N]   render a workspace page N times with
                                      mentorship/form_renderer.py and with Django's
                                      default renderer (a database after `seed_demo`)

Both print CPU time per item (this process only), median of five rounds, and, for forms,
whether the two pages are the same.
"""

import email.policy
import functools
import os
import re
import statistics
import sys
import time
from email.headerregistry import HeaderRegistry
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")

from bench.measure import PRODUCTION_LIKE

os.environ.update({**PRODUCTION_LIKE, **os.environ})  # DEBUG off, as the pages are served

import django

django.setup()

from django.core.mail import EmailMultiAlternatives  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from mentorship import email_policy  # noqa: E402
from mentorship.email import Email  # noqa: E402
from partnerships.models import Partnership  # noqa: E402
from partnerships.models.partnership import Status  # noqa: E402

ROUNDS = 5


def median_ms(run, rounds=ROUNDS) -> tuple[float, float]:
    times = [run() for _ in range(rounds)]
    return statistics.median(times), min(times)


def emails(n: int) -> None:
    text = "Hello Mara,\n\nYour check-in with Milo Mentee is due in 2 days (Wed 16 Dec).\n" * 12
    html = "<p>" + text.replace("\n", "<br>") + "</p>"
    ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Check-in\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    link = "https://mentoring.example.org/reminders/unsubscribe/" + "x" * 90 + "/"

    @functools.cache
    def one_class_per_header(policy):  # the same factory, less the cache
        factory = policy.header_factory
        registry = HeaderRegistry(factory.base_class, factory.default_class, False)
        registry.registry.update(factory.registry)
        registry.map_to_type("list-unsubscribe", email_policy.LinkListHeader)
        return policy.clone(header_factory=registry)

    class Uncached(EmailMultiAlternatives):
        def message(self, *, policy=email.policy.default):
            return super().message(policy=one_class_per_header(policy))

    def build(cls):
        message = cls(
            "Check-in with Milo Mentee due in 2 days (Wed 16 Dec)",
            text,
            from_email="Mentorship <mentorship@example.org>",
            to=["mara@example.org"],
            headers={  # those of reminders/compose.py
                "Message-ID": "<reminder-0b7e@mentoring.example.org>",
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
                "X-Auto-Response-Suppress": "All",
                "X-Mentorship-Reminder": "checkin_upcoming 0b7e",
            },
        )
        message.attach_alternative(html, "text/html")
        message.attach("checkin.ics", ics, "text/calendar")
        return message

    def timed(cls):
        def run():
            start = time.process_time()
            for _ in range(n):
                build(cls).message(policy=email.policy.SMTP).as_bytes()  # as the SMTP backend
            return (time.process_time() - start) / n * 1000

        return run

    size = len(build(Email).message(policy=email.policy.SMTP).as_bytes())
    print(f"{n} emails of {size} bytes, ms of CPU each (median of {ROUNDS}, min):")
    for label, cls in (
        ("header classes built once (ours)", Email),
        ("a class per header (stdlib)", Uncached),
        ("Django's own message", EmailMultiAlternatives),
    ):
        print("  {:34} {:.3f} ({:.3f})".format(label, *median_ms(timed(cls))))


def forms(n: int) -> None:
    partnership = (
        Partnership.objects.filter(status=Status.ACTIVE)
        .annotate(checkins_count=Count("checkins"))
        .order_by("-checkins_count")
        .select_related("mentee__user")
        .first()
    )
    if partnership is None:
        sys.exit("No partnership: run `manage.py seed_demo` first.")
    client = Client()
    client.force_login(partnership.mentee.user)
    url = reverse("partnerships:workspace", args=[partnership.code])
    renderers = {
        "ours (Jinja2 for widgets)": "mentorship.form_renderer.FastFormRenderer",
        "Django's default": "django.forms.renderers.DjangoTemplates",
    }

    def page(renderer):
        with override_settings(FORM_RENDERER=renderer):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response.content.decode()

    def timed(renderer):
        def run():
            with override_settings(FORM_RENDERER=renderer):
                client.get(url)  # warm
                start = time.process_time()
                for _ in range(n):
                    client.get(url)
                return (time.process_time() - start) / n * 1000

        return run

    def comparable(html):
        """Without this response's tokens, blank lines, and the spelling of an escaped
        quote (Jinja2 writes &#39;, Django &#x27;): none of them changes the page."""
        html = re.sub(r'(value="|nonce="|"X-CSRFToken": ")[A-Za-z0-9+/_-]{16,}"', r'\1"', html)
        return re.sub(r"\n\s*\n", "\n", html.replace("&#39;", "&#x27;"))

    pages = [page(renderer) for renderer in renderers.values()]
    fields = sum(pages[0].count(tag) for tag in ("<input", "<textarea", "<select"))
    print(f"workspace of {partnership.checkins_count} check-ins, {fields} form fields;")
    print(f"ms of CPU per page, {n} pages (median of {ROUNDS}, min):")
    for label, renderer in renderers.items():
        print("  {:26} {:.1f} ({:.1f})".format(label, *median_ms(timed(renderer))))
    print("the same page:", comparable(pages[0]) == comparable(pages[1]))


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    if what == "emails":
        emails(count or 2000)
    elif what == "forms":
        forms(count or 40)
    else:
        sys.exit(__doc__)
