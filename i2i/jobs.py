"""Background jobs: start one, let Celery run it, report progress, keep the file.

A job kind is a function registered with `@job_kind("name", back=...)`. It takes the job's
params and a `report(percent, message)` callback, and returns (filename, bytes); `back`
names the page the job's progress page links back to.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Case, CharField, F, PositiveSmallIntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from i2i.models import Job

logger = logging.getLogger(__name__)
Report = Callable[[int, str], None]
_KINDS: dict[str, Callable[[dict, Report], tuple[str, bytes]]] = {}
# Where the progress page links back to: (URL name, the param holding its pk or None, label).
_BACK: dict[str, tuple[str, str | None, str]] = {}
# A running job's worker beats this often; three missed beats and the worker is taken as
# lost, so a re-delivered message takes the job over within about half a minute.
HEARTBEAT_SECONDS = 10
HEARTBEAT_STALE = dt.timedelta(seconds=3 * HEARTBEAT_SECONDS)
# A job taken over this many times is failed rather than tried again (a pack that kills
# every worker it reaches, by memory or the hard time limit, must not loop for ever).
MAX_RESTARTS = 3
# A message handed to the broker but not picked up for this long was lost (Redis restarted
# without its data, say): the sweeper sends it again.
RESEND_AFTER = dt.timedelta(minutes=10)
RESTARTED = "Restarted after an interruption"


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
    """Celery beat, every two minutes: jobs whose message was lost are queued again."""
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
        Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            message="Waiting for the background service; it will start soon."
        )
        return False
    # Only a job not yet finished: an eager run (no broker) has already finished it.
    Job.objects.filter(pk=job.pk).exclude(status__in=[Job.Status.DONE, Job.Status.FAILED]).update(
        queued_at=timezone.now()
    )
    return True


def requeue_stuck(older_than_seconds: int = 120) -> int:
    """Send again the messages that were lost, and only those:

    - a queued job whose message never reached the broker (publishing failed) and that has
      waited longer than `older_than_seconds`, or one handed to the broker longer than
      RESEND_AFTER ago and still not picked up (the broker lost it);
    - a running job whose heartbeat is stale (its worker died, or its machine went away) and
      that was not sent again since it last beat, or not in the last RESEND_AFTER.

    A killed pool process needs none of this: Celery re-delivers its message at once and
    `job_run` takes the job over. Only one worker can claim a job, so a job sent twice
    still runs once. Returns how many were sent."""
    now = timezone.now()
    stale = now - HEARTBEAT_STALE
    resend = now - RESEND_AFTER
    running_lost = Q(status=Job.Status.RUNNING) & (
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale)
    )
    Job.objects.filter(running_lost, restarts__gte=MAX_RESTARTS).update(
        status=Job.Status.FAILED,
        message="Sorry, this could not be made (its worker stopped several times). Try again.",
        finished_at=now,
    )
    cutoff = now - dt.timedelta(seconds=older_than_seconds)
    never_sent = Q(status=Job.Status.QUEUED, queued_at__isnull=True, created_at__lt=cutoff)
    not_picked_up = Q(status=Job.Status.QUEUED, queued_at__lt=resend)
    not_sent_since_it_beat = (
        Q(queued_at__isnull=True) | Q(queued_at__lt=F("heartbeat_at")) | Q(queued_at__lt=resend)
    )
    lost = Job.objects.filter(never_sent | not_picked_up | (running_lost & not_sent_since_it_beat))
    return sum(1 for job in list(lost) if enqueue(job))


def _claim(job_id: str) -> int | None:
    """Claim the job for this run and return the run's number (its `restarts`), or None.

    A queued job is claimed at once. A running one lost its worker if its heartbeat is
    stale: Celery re-delivers a killed worker's message within a second, so wait for the
    heartbeat to go stale (then take the job over) or to beat again (its worker is alive:
    this is a second delivery, and does nothing). One conditional update, so two
    deliveries never both run the job."""
    deadline = time.monotonic() + HEARTBEAT_STALE.total_seconds() + HEARTBEAT_SECONDS
    seen = None
    while True:
        now = timezone.now()
        stale = Q(status=Job.Status.RUNNING, restarts__lt=MAX_RESTARTS) & (
            Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - HEARTBEAT_STALE)
        )
        claimed = Job.objects.filter(Q(status=Job.Status.QUEUED) | stale, pk=job_id).update(
            status=Job.Status.RUNNING,
            progress=1,
            heartbeat_at=now,
            restarts=Case(
                When(status=Job.Status.RUNNING, then=F("restarts") + 1),
                default=F("restarts"),
                output_field=PositiveSmallIntegerField(),
            ),
            message=Case(
                When(status=Job.Status.RUNNING, then=Value(f"{RESTARTED}.")),
                default=Value(""),
                output_field=CharField(),
            ),
        )
        row = Job.objects.filter(pk=job_id).values("status", "heartbeat_at", "restarts").first()
        if row is None:
            return None
        if claimed:
            return row["restarts"]
        if row["status"] != Job.Status.RUNNING:
            return None  # finished, failed: a second delivery does nothing
        if seen is not None and row["heartbeat_at"] != seen:
            return None  # its worker is alive
        seen = row["heartbeat_at"]
        if time.monotonic() > deadline:
            return None
        # Not time.sleep: under libfaketime (the suite runs its workers there) it fails.
        threading.Event().wait(1)


class _Heartbeat(threading.Thread):
    """Beats for one run of a job every HEARTBEAT_SECONDS, whatever the job is doing (a long
    WeasyPrint layout reports no progress), on its own database connection."""

    def __init__(self, job_id, run: int):
        super().__init__(name=f"heartbeat-{job_id}", daemon=True)
        self.job_id, self.run_number = job_id, run
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_SECONDS):
                try:
                    Job.objects.filter(
                        pk=self.job_id, status=Job.Status.RUNNING, restarts=self.run_number
                    ).update(heartbeat_at=timezone.now())
                except Exception:  # a database blip: beat again next time
                    logger.warning("Job %s: heartbeat failed", self.job_id, exc_info=True)
                    connection.close()
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=HEARTBEAT_SECONDS)


def job_run(job_id: str) -> None:
    """Run a job. One worker claims it (a second delivery of the same job finds it already
    claimed and does nothing; a delivery after its worker was lost takes it over), so it
    completes once, with one file."""
    run = _claim(job_id)
    job = Job.objects.filter(pk=job_id).first()
    if run is None or job is None:
        return
    this_run = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, restarts=run)

    def report(percent: int, message: str = "") -> None:
        if run:
            message = f"{RESTARTED}: {message}" if message else f"{RESTARTED}."
        this_run.update(
            progress=max(1, min(99, percent)), message=message, heartbeat_at=timezone.now()
        )

    heartbeat = _Heartbeat(job.pk, run)
    heartbeat.start()
    stored = None
    try:
        filename, content = _KINDS[job.kind](job.params, report)
        stored = job.file.storage.save(
            job.file.field.generate_filename(job, filename),
            ContentFile(content),
            max_length=job.file.field.max_length,
        )
        finished = this_run.update(
            file=stored,
            filename=filename,
            status=Job.Status.DONE,
            progress=100,
            message="",
            finished_at=timezone.now(),
        )
    except Exception as error:  # the page must say it failed, whatever went wrong
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        this_run.update(
            status=Job.Status.FAILED,
            message=f"Sorry, this could not be made ({type(error).__name__}). Try again.",
            finished_at=timezone.now(),
        )
        finished = 0
    finally:
        heartbeat.stop()
    if stored and not finished:  # taken over, failed or deleted meanwhile: keep no stray file
        job.file.storage.delete(stored)


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
