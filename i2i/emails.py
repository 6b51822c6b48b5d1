"""Email leaves the request: it is rendered here and sent by a Celery task after commit."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

from i2i.names import one_line

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """Links in emails point at SITE_URL, since tasks have no request to ask."""
    return f"{settings.SITE_URL}{path}"


# Task names are what queued messages carry: kept as they were when the tasks lived in
# `i2i/tasks.py`, so messages already queued still find their task after an upgrade.
@shared_task(
    name="i2i.tasks.send_email", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def send_email(
    *, subject: str, body: str, to: list[str], from_email: str | None = None, html: str = ""
) -> int:
    """Send one email; returns how many were sent (1), so a caller can see it complete.

    The subject is put on one line here too, for a message queued before subjects were."""
    message = EmailMultiAlternatives(
        subject=one_line(subject), body=body, from_email=from_email, to=to
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


def send_later(message: EmailMessage) -> None:
    """Queue an already-rendered message, once the surrounding transaction has committed.

    Its subject is put on one line: a subject naming someone whose name holds a line break
    (stored before names were checked) would make Django refuse the message
    (`BadHeaderError`) when the task sent it, and the email would be lost."""
    html = ""
    if isinstance(message, EmailMultiAlternatives):
        html = next((body for body, mime in message.alternatives if mime == "text/html"), "")
    kwargs = {
        "subject": one_line(message.subject),
        "body": message.body if message.content_subtype == "plain" else "",
        "html": html or (message.body if message.content_subtype == "html" else ""),
        "to": list(message.to),
        "from_email": message.from_email,
    }
    transaction.on_commit(lambda: _queue_or_send(send_email, kwargs))


def _queue_or_send(task, kwargs: dict) -> None:
    """The action that triggered an email has committed by now; if the queue is unreachable,
    send the email directly rather than lose it."""
    try:
        task.delay(**kwargs)
    # Whatever stops the publish, the email still goes (see above).
    except Exception as error:
        logger.warning("Email queue unreachable (%s); sending directly", error)
        try:
            task(**kwargs)
        except OSError:
            logger.exception("Could not send the email to %s either", kwargs.get("to"))


def send_templated(*, to: list[str], subject: str, template: str, context: dict) -> None:
    """Render `templates/emails/<template>.txt` and queue one message per address, so that
    nobody sees who else was told."""
    body = render_to_string(f"emails/{template}.txt", context)
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    for address in sorted({address for address in to if address}):
        send_later(EmailMessage(subject=f"{prefix}{subject}", body=body, to=[address]))
