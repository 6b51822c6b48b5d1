"""Programme-wide Celery tasks."""

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(
    *, subject: str, body: str, to: list[str], from_email: str | None = None, html: str = ""
) -> int:
    """Send one email; returns how many were sent (1), so a caller can see it complete."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


@shared_task
def run_job(job_id: str) -> None:
    """Thin wrapper: the work and its idempotence live in `i2i.jobs.job_run`."""
    from i2i.jobs import job_run

    job_run(job_id)


@shared_task
def send_reminders() -> int:
    """Celery beat's daily run; the work lives in `i2i.reminders.send_due_reminders`."""
    from i2i.reminders import send_due_reminders

    return send_due_reminders()


@shared_task
def requeue_stuck_jobs() -> int:
    """Celery beat, every two minutes: jobs that never reached a worker are queued again."""
    from i2i.jobs import requeue_stuck

    return requeue_stuck()
