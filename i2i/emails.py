"""Email leaves the request: it is rendered here and sent by a Celery task after commit."""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    """Links in emails point at SITE_URL, since tasks have no request to ask."""
    return f"{settings.SITE_URL}{path}"


def send_later(message: EmailMessage) -> None:
    """Queue an already-rendered message, once the surrounding transaction has committed."""
    from i2i.tasks import send_email

    html = ""
    if isinstance(message, EmailMultiAlternatives):
        html = next((body for body, mime in message.alternatives if mime == "text/html"), "")
    kwargs = {
        "subject": message.subject,
        "body": message.body if message.content_subtype == "plain" else "",
        "html": html or (message.body if message.content_subtype == "html" else ""),
        "to": list(message.to),
        "from_email": message.from_email,
    }
    transaction.on_commit(lambda: send_email.delay(**kwargs))


def send_templated(*, to: list[str], subject: str, template: str, context: dict) -> None:
    """Render `templates/emails/<template>.txt` and queue one message per address, so that
    nobody sees who else was told."""
    body = render_to_string(f"emails/{template}.txt", context)
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    for address in sorted({address for address in to if address}):
        send_later(EmailMessage(subject=f"{prefix}{subject}", body=body, to=[address]))
