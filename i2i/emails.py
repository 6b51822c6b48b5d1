"""Email leaves the request: it is rendered here and sent by a Celery task after commit."""

import logging
import smtplib

from celery import shared_task
from celery.exceptions import Retry
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from i2i.models import Notification
from i2i.names import one_line

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """Links in emails point at SITE_URL, since tasks have no request to ask."""
    return f"{settings.SITE_URL}{path}"


class Refused(Exception):
    """The mail server refused the message for good (a 5xx answer): trying again would get the
    same answer, so the task fails at once. Not an `OSError`, so not retried."""


def _refusal(error: OSError) -> str:
    """What the mail server said, when it refused the message for good; "" when trying again
    might work (a 4xx answer, a refused or broken connection, a timeout)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.items())
        if answers and all(code >= 500 for _address, (code, _text) in answers):
            return "; ".join(
                f"{address}: {code} {_said(text)}" for address, (code, text) in answers
            )
    elif isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500:
        return f"{error.smtp_code} {_said(error.smtp_error)}"
    return ""


def _said(text) -> str:
    return one_line(text.decode(errors="replace") if isinstance(text, bytes) else str(text))


def _reason(error: BaseException, tries: int) -> str:
    """The failure in words for the programme manager, with what the server or system said."""
    if isinstance(error, Refused):
        return f"The mail server refused it: {error}"
    if isinstance(error, ConnectionRefusedError):
        what = f"could not connect to the mail server ({error.strerror or error})"
    elif isinstance(error, TimeoutError):
        what = "the mail server did not answer in time"
    elif isinstance(error, smtplib.SMTPResponseException):
        what = f"the mail server answered {error.smtp_code} {_said(error.smtp_error)}"
    else:
        what = _said(f"{type(error).__name__}: {error}")
    return f"Not sent after {tries} {'try' if tries == 1 else 'tries'}: {what}."


def record_failure(kwargs: dict, error: BaseException, tries: int) -> None:
    """Mark the Notification of a message that will not be sent, so the programme manager sees
    who was not told. Messages queued before the task carried `notification_id` are matched
    by their one recipient and subject (stored with or without the subject prefix)."""
    reason = _reason(error, tries)
    logger.error("Email to %s not sent: %s", kwargs.get("to"), reason)
    unfailed = Notification.objects.filter(failed_at__isnull=True)
    notification_id = kwargs.get("notification_id")
    if notification_id is not None:
        found = unfailed.filter(pk=notification_id)
    elif len(kwargs.get("to") or []) == 1:
        subject = one_line(kwargs.get("subject", ""))
        prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
        found = unfailed.filter(
            pk__in=unfailed.filter(
                recipient__email__iexact=kwargs["to"][0],
                subject__in=[subject[:250], subject.removeprefix(prefix)[:250]],
            )
            .order_by("-sent_at", "-id")
            .values("pk")[:1]
        )
    else:
        return
    found.update(failed_at=timezone.now(), failure=reason[:300])


# Task names are what queued messages carry: kept as they were when the tasks lived in
# `i2i/tasks.py`, so messages already queued still find their task after an upgrade, and
# `notification_id` is optional, so messages queued before it was passed still run.
@shared_task(
    name="i2i.tasks.send_email",
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=settings.EMAIL_RETRY_BACKOFF_MAX,
    max_retries=5,
)
def send_email(
    self,
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html: str = "",
    notification_id: int | None = None,
) -> int:
    """Send one email; returns how many were sent (1), so a caller can see it complete.

    A connection that fails or a server that says "try later" (4xx) is retried, waiting longer
    each time (up to `EMAIL_RETRY_BACKOFF_MAX` seconds); a refusal for good (5xx, such as an
    unknown recipient) is not. Either way, the message's Notification (`notification_id`)
    is marked failed once it is given up on. That is done here rather than in the task's
    `on_failure`, which Celery skips when tasks run in-process (`task_eager_propagates`).

    The subject is put on one line here too, for a message queued before subjects were."""
    message = EmailMultiAlternatives(
        subject=one_line(subject), body=body, from_email=from_email, to=to
    )
    if html:
        message.attach_alternative(html, "text/html")
    try:
        return message.send()
    except OSError as error:
        sent = {"subject": subject, "to": to, "notification_id": notification_id}
        tries = self.request.retries + 1
        refusal = _refusal(error)
        if refusal:
            failure = Refused(refusal)
            record_failure(sent, failure, tries)
            raise failure from error
        if not self.request.called_directly and self.request.retries >= self.max_retries:
            record_failure(sent, error, tries)  # the last retry: raising gives up
        raise


def send_later(message: EmailMessage, *, notification_id: int | None = None) -> None:
    """Queue an already-rendered message, once the surrounding transaction has committed.
    `notification_id` names the Notification it delivers, marked if it cannot be sent.

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
    if notification_id is not None:
        kwargs["notification_id"] = notification_id
    transaction.on_commit(lambda: _queue_or_send(send_email, kwargs))


def _queue_or_send(task, kwargs: dict) -> None:
    """The action that triggered an email has committed by now; if the queue is unreachable,
    send the email directly rather than lose it."""
    try:
        task.delay(**kwargs)
    # Whatever stops the publish, the email still goes (see above).
    except Exception as error:
        if task.app.conf.task_always_eager:
            # No queue: `delay` ran the task here, and this is the email failing, not the
            # queue. Celery does not retry in-process while errors propagate
            # (`task_eager_propagates`), so that was its one try.
            cause = error.exc if isinstance(error, Retry) else error
            if isinstance(cause, Refused):
                return  # the task marked its Notification
            if isinstance(cause, OSError):
                record_failure(kwargs, cause, tries=1)
                return
            raise  # not the email failing: a fault in the code, to be seen
        logger.warning("Email queue unreachable (%s); sending directly", error)
        try:
            task(**kwargs)
        except Refused:
            pass  # the task marked its Notification
        except OSError as failure:
            # Called directly, the task is not retried: this was its only try.
            record_failure(kwargs, failure, tries=1)


def send_templated(*, to: list[str], subject: str, template: str, context: dict) -> None:
    """Render `templates/emails/<template>.txt` and queue one message per address, so that
    nobody sees who else was told."""
    body = render_to_string(f"emails/{template}.txt", context)
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    for address in sorted({address for address in to if address}):
        send_later(EmailMessage(subject=f"{prefix}{subject}", body=body, to=[address]))
