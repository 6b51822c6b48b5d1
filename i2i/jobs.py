"""Background jobs: start one, let Celery run it, report progress, keep the file.

A job kind is a function registered with `@job_kind("name", back=...)`. It takes the job's
params and a `report(percent, message)` callback, and returns (filename, bytes); `back`
names the page the job's progress page links back to.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from i2i.models import Job

logger = logging.getLogger(__name__)
Report = Callable[[int, str], None]
_KINDS: dict[str, Callable[[dict, Report], tuple[str, bytes]]] = {}
# Where the progress page links back to: (URL name, the param holding its pk or None, label).
_BACK: dict[str, tuple[str, str | None, str]] = {}


def job_kind(name: str, *, back: tuple[str, str | None, str] | None = None):
    def register(function):
        _KINDS[name] = function
        if back:
            _BACK[name] = back
        return function

    return register


def back_link(job: Job) -> tuple[str, str] | None:
    """(URL, label) of the page the job was started from, so its page leads back there."""
    if job.kind not in _BACK:
        return None
    url_name, param, label = _BACK[job.kind]
    if param and param not in job.params:
        return None
    return reverse(url_name, args=[job.params[param]] if param else []), label


def job_start(*, kind: str, params: dict, owner, title: str) -> Job:
    """Record the job, and queue it once the record is committed."""

    if kind not in _KINDS:
        raise ValueError(f"Unknown job kind {kind!r}")
    job = Job.objects.create(kind=kind, params=params, owner=owner, title=title)
    transaction.on_commit(lambda: enqueue(job))
    return job


# Task names as queued messages carry them (see `i2i.emails.send_email`).
@shared_task(name="i2i.tasks.run_job")
def run_job(job_id: str) -> None:
    job_run(job_id)


@shared_task(name="i2i.tasks.requeue_stuck_jobs")
def requeue_stuck_jobs() -> int:
    """Celery beat, every two minutes: jobs that never reached a worker are queued again."""
    return requeue_stuck()


def enqueue(job: Job) -> bool:
    """Queue the job; if the broker is unreachable, leave it queued (the page says it will
    start soon) for `requeue_stuck_jobs` to pick up when Redis is back."""
    try:
        run_job.delay(str(job.pk))
    # Whatever stops the publish (Redis refusing, a timeout, a library error raised on the
    # way), the job stays queued for the sweeper: a click never ends in a 500.
    except Exception as error:
        logger.warning("Could not queue job %s: %s", job.pk, error)
        Job.objects.filter(pk=job.pk).update(
            message="Waiting for the background service; it will start soon."
        )
        return False
    return True


def requeue_stuck(older_than_seconds: int = 120) -> int:
    """Jobs still waiting to start after a while were probably never queued (Redis was down),
    and a job "running" with no heartbeat for longer than the hard time limit lost its
    worker (killed, or its machine went away): queue them again. Only one worker can claim
    a job, so a job queued twice still runs once."""
    now = timezone.now()
    lost = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=lost).update(
        status=Job.Status.QUEUED, progress=0, message="Restarting after an interruption."
    )
    cutoff = now - dt.timedelta(seconds=older_than_seconds)
    stuck = list(Job.objects.filter(status=Job.Status.QUEUED, created_at__lt=cutoff))
    return sum(1 for job in stuck if enqueue(job))


def job_run(job_id: str) -> None:
    """Run a queued job. One worker claims it (a second delivery of the same job finds it
    already claimed and does nothing), so it completes once, with one file."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, progress=1, heartbeat_at=timezone.now()
    )
    job = Job.objects.filter(pk=job_id).first()
    if not claimed or job is None:
        return

    def report(percent: int, message: str = "") -> None:
        Job.objects.filter(pk=job.pk).update(
            progress=max(1, min(99, percent)), message=message, heartbeat_at=timezone.now()
        )

    try:
        filename, content = _KINDS[job.kind](job.params, report)
    except Exception as error:  # the page must say it failed, whatever went wrong
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            message=f"Sorry, this could not be made ({type(error).__name__}). Try again.",
            finished_at=timezone.now(),
        )
        return
    job.refresh_from_db()
    job.file.save(filename, ContentFile(content), save=False)
    job.filename = filename
    job.status = Job.Status.DONE
    job.progress = 100
    job.message = ""
    job.finished_at = timezone.now()
    job.save()


def jobs_delete(jobs) -> list[dict]:
    """Delete jobs and their files: erasure removes every stored file that holds a person.
    The rows go now; the files once the transaction commits, so an erasure that fails
    leaves every file in place. Returns what was deleted (kind, title, params, when made),
    so the person who erased can say which files to make again."""
    rows = list(jobs.values("pk", "kind", "title", "params", "created_at", "file"))
    Job.objects.filter(pk__in=[row["pk"] for row in rows]).delete()
    names = [row["file"] for row in rows if row["file"]]
    storage = Job._meta.get_field("file").storage

    def delete_files():
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete_files)
    return rows
