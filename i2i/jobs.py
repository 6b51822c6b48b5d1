"""Background jobs: start one, let Celery run it, report progress, keep the file.

A job kind is a function registered with `@job_kind("name", back=...)`. It takes the job's
params and a `report(percent, message)` callback, and returns (filename, bytes), or
(filename, bytes, outcome) where the outcome is a sentence the finished page shows (what
an import did, say); `back` names the page the job's progress page links back to.

A long PDF is a `Document` registered with `@document_kind(...)`: it plans its parts, writes
each part's HTML and its front matter, and the job lays the parts out (`JobPart` rows, on
whichever workers of the pdf queue claim them first) and puts them together (`i2i.pdf`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import NamedTuple, Protocol

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.db.models import Case, CharField, F, PositiveSmallIntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from i2i import pdf
from i2i.models import Job, JobPart

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


class Document(Protocol):
    """A PDF laid out in parts. Each method gets the job's params; a part is what `parts`
    planned for it (JSON, as it travels in a message to another worker)."""

    def parts(self, params: dict) -> list[dict]: ...

    def part_html(self, params: dict, part: dict) -> str: ...

    def front(self, params: dict) -> Callable[[dict[str, int]], str]:
        """What writes the cover and contents (HTML), given the page number of each anchor
        in the parts; read once, written again if the contents' length moves the numbers."""

    def filename(self, params: dict) -> str: ...


_DOCUMENTS: dict[str, Document] = {}


def document_kind(name: str, *, back: tuple[str, str | None, str] | None = None):
    """Register a `Document` class as a job kind laid out in parts."""

    def register(cls):
        _DOCUMENTS[name] = cls()
        job_kind(name, back=back)(lambda params, report: make_document(name, params, report))
        return cls

    return register


def make_document(kind: str, params: dict, report: Report) -> tuple[str, bytes]:
    """The whole document in this process, part after part (no job rows): for a caller that
    wants the file now, and the measure of what parts cost. Each part is laid out as a
    worker would lay it out, as one task (applied here)."""
    document = _DOCUMENTS[kind]
    parts = document.parts(params)
    laid_out = []
    for number, part in enumerate(parts, start=1):
        laid_out.append(_applied(lay_out_part, kind, params, part))
        report(_part_progress(number, len(parts)), f"Laid out part {number} of {len(parts)}")
    report(95, "Putting the pages together")
    return document.filename(params), pdf.assemble(document.front(params), laid_out)


def _applied(task, *args):
    """Run a task here, now, as a worker would (its signals fire: a unit of work of its own)."""
    result = task.apply(args=args, throw=True)
    return result.result


def _part_progress(done: int, total: int) -> int:
    return 5 + int(88 * done / max(1, total))


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


@shared_task(name="i2i.tasks.render_job_part")
def render_job_part(job_id: str, index: int | None = None) -> bool:
    """Lay out a part of a running job's document (that one, or any waiting), unless
    another worker has it. Returns whether it laid one out."""
    job = Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).first()
    if job is None or job.kind not in _DOCUMENTS:
        return False
    part = _claim_part(job.pk, index)
    if part is None:
        return False
    _lay_out(_DOCUMENTS[job.kind], job.params, part)
    return True


@shared_task(name="i2i.tasks.lay_out_part")
def lay_out_part(kind: str, params: dict, part: dict) -> pdf.LaidOut:
    """One part's PDF, for `make_document`, which applies it in its own process."""
    return pdf.render_part(_DOCUMENTS[kind].part_html(params, part))


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
    """Beats for one run of a job (or one claim of a part) every HEARTBEAT_SECONDS, whatever
    it is doing (a long WeasyPrint layout reports no progress), on its own database
    connection. `beating` is the row, filtered to this run, whose `heartbeat_at` moves."""

    def __init__(self, name: str, beating):
        super().__init__(name=f"heartbeat-{name}", daemon=True)
        self.beating = beating
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_SECONDS):
                try:
                    self.beating.update(heartbeat_at=timezone.now())
                except Exception:  # a database blip: beat again next time
                    logger.warning("%s failed", self.name, exc_info=True)
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

    heartbeat = _Heartbeat(f"job-{job.pk}", this_run)
    heartbeat.start()
    stored, done, failed = None, 0, 0
    try:
        if job.kind in _DOCUMENTS:
            filename, content = _make_in_parts(job, this_run, report)
            outcome = ""
        else:
            filename, content, *said = _KINDS[job.kind](job.params, report)
            outcome = said[0] if said else ""
        stored = job.file.storage.save(
            job.file.field.generate_filename(job, filename),
            ContentFile(content),
            max_length=job.file.field.max_length,
        )
        done = this_run.update(
            file=stored,
            filename=filename,
            status=Job.Status.DONE,
            progress=100,
            message=outcome[:300],
            finished_at=timezone.now(),
        )
    except TakenOver:
        pass
    except Refused as error:  # what the job was given cannot be used: the page says why
        failed = this_run.update(
            status=Job.Status.FAILED, message=str(error)[:300], finished_at=timezone.now()
        )
    except Exception as error:  # the page must say it failed, whatever went wrong
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        failed = this_run.update(
            status=Job.Status.FAILED,
            message=f"Sorry, this could not be made ({type(error).__name__}). Try again.",
            finished_at=timezone.now(),
        )
    finally:
        heartbeat.stop()
    if stored and not done:  # taken over, failed or deleted meanwhile: keep no stray file
        job.file.storage.delete(stored)
    if done or failed:  # the file holds the parts now, or nobody will want them
        JobPart.objects.filter(job=job).delete()


class PartFailed(Exception):
    pass


class Refused(Exception):
    """Raised by a job kind when what it was given cannot be used (a file that turns out not
    to be readable, say): the job fails with this message, for the person to act on."""


class TakenOver(Exception):
    """Another worker took this job over (this one was thought lost): stop quietly."""


def _make_in_parts(job: Job, this_run, report: Report) -> tuple[str, bytes]:
    """Plan the parts (keeping those laid out before a restart, if the plan still holds),
    offer them to the other workers of the pdf queue, lay out whatever nobody has taken,
    wait for the rest, and put them together.

    With one worker this process lays out every part; each further worker takes parts off
    the queue. A part whose worker is lost goes stale and is laid out again here."""
    document = _DOCUMENTS[job.kind]
    planned = document.parts(job.params)
    kept = list(JobPart.objects.filter(job=job).values_list("spec", flat=True))
    if kept != planned:
        JobPart.objects.filter(job=job).delete()
        JobPart.objects.bulk_create(
            JobPart(job=job, index=index, spec=spec) for index, spec in enumerate(planned)
        )
    waiting = JobPart.objects.filter(job=job, status=JobPart.Status.WAITING)
    if not render_job_part.app.conf.task_always_eager:  # eager: this is the only worker
        for index in waiting.values_list("index", flat=True):
            try:
                render_job_part.delay(str(job.pk), index)
            except Exception as error:  # no broker: this worker lays out every part
                logger.warning("Could not offer part %s of job %s: %s", index, job.pk, error)
                break
    total, reported = len(planned), -1
    while True:
        if not this_run.exists():
            raise TakenOver
        # As a task applied here, so that each part is one unit of work wherever it runs.
        laid = _applied(render_job_part, str(job.pk))
        counts = dict(
            JobPart.objects.filter(job=job)
            .order_by()
            .values("status")
            .annotate(n=models.Count("pk"))
            .values_list("status", "n")
        )
        if counts.get(JobPart.Status.FAILED):
            raise PartFailed("A part could not be laid out")
        done = counts.get(JobPart.Status.DONE, 0)
        if done != reported:
            reported = done
            report(_part_progress(done, total), f"Laid out part {done} of {total}")
        if done == total:
            break
        if not laid:
            threading.Event().wait(0.3)  # others are laying parts out
    report(95, "Putting the pages together")
    laid_out = JobPart.objects.filter(job=job).order_by("index")
    content = pdf.assemble(
        document.front(job.params),
        [
            pdf.LaidOut(bytes(content), pages, anchors)
            for content, pages, anchors in laid_out.values_list("pdf", "pages", "anchors")
        ],
    )
    return document.filename(job.params), content


def _claim_part(job_id, index: int | None = None) -> _Claim | None:
    """Claim a waiting part (or one whose worker was lost), with one conditional update so
    two workers never lay out the same part at once."""
    claimable = Q(status=JobPart.Status.WAITING) | Q(
        status=JobPart.Status.RUNNING, heartbeat_at__lt=timezone.now() - HEARTBEAT_STALE
    )
    candidates = JobPart.objects.filter(claimable, job_id=job_id)
    if index is not None:
        candidates = candidates.filter(index=index)
    for row in candidates.order_by("index").values(*_Claim._fields)[:10]:
        claimed = JobPart.objects.filter(claimable, pk=row["pk"], attempts=row["attempts"]).update(
            status=JobPart.Status.RUNNING,
            heartbeat_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
        if claimed:
            return _Claim(**{**row, "attempts": row["attempts"] + 1})
    return None


class _Claim(NamedTuple):
    """A claimed part: what laying it out needs (not the part's PDF)."""

    pk: int
    job_id: str
    index: int
    spec: dict
    attempts: int


def _lay_out(document: Document, params: dict, part: _Claim) -> None:
    this_claim = JobPart.objects.filter(
        pk=part.pk, status=JobPart.Status.RUNNING, attempts=part.attempts
    )
    heartbeat = _Heartbeat(f"part-{part.pk}", this_claim)
    heartbeat.start()
    began = time.monotonic()
    try:
        laid_out = pdf.render_part(document.part_html(params, part.spec))
        this_claim.update(
            status=JobPart.Status.DONE,
            pdf=laid_out.pdf,
            pages=laid_out.pages,
            anchors=laid_out.anchors,
            seconds=time.monotonic() - began,
            laid_out_by=f"{socket.gethostname()}:{os.getpid()}"[:100],
        )
    except Exception:
        logger.exception("Part %s of job %s failed", part.index, part.job_id)
        this_claim.update(status=JobPart.Status.FAILED)
    finally:
        heartbeat.stop()


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
