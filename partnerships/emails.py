"""Every email is three templates (subject, text, HTML) under templates/emails/<name>/.

Kept tiny on purpose: when the reminder system lands, nudges can route through it and
this helper can merge with its renderer.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def email_send(name: str, *, to: str, context: dict) -> None:
    """Render templates/emails/<name>/{subject.txt,body.txt,body.html} and send to one person."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}/subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{name}/body.txt", context),
        to=[to],
    )
    message.attach_alternative(render_to_string(f"emails/{name}/body.html", context), "text/html")
    message.send()
