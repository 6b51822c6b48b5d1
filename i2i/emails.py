"""Email leaves the request: it is rendered here and sent by a Celery task after commit."""

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction


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
