"""A register file uploaded on the page is imported by a Celery worker: the full CQC directory
takes longer than a request should, and the page shows its progress meanwhile. The command
`import_registers` does the same work in the terminal."""

from __future__ import annotations

import datetime as dt
import io
import threading
import uuid

from celery import shared_task
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from i2i.csvfile import SafeWriter
from i2i.jobs import Refused, job_kind, job_start
from i2i.models import Job
from participants import registers
from participants.models import User

KIND = "registers_import"
# Where an uploaded file waits for its worker; it is deleted once imported.
UPLOADS = "register-uploads"
# A file is saved a moment before its job: younger than this, it is never swept.
SWEEP_GRACE = dt.timedelta(hours=1)


def registers_import_start(*, register: str, file, sector: str | None, by: User):
    """Keep the file where a worker can read it, and queue its import."""
    path = default_storage.save(f"{UPLOADS}/{uuid.uuid4().hex}.csv", file)
    return job_start(
        kind=KIND,
        params={"register": register, "path": path, "sector": sector or "", "by": by.pk},
        owner=by,
        title=f"Import of organisations: {registers.REGISTERS[register]}",
    )


@shared_task(name="participants.sweep_register_uploads")
def sweep_register_uploads() -> int:
    """Celery beat, daily: a file whose job can no longer run (it failed after its worker was
    lost too often, or the job was deleted) is a copy of a register nobody will import; it
    goes. Returns how many went."""
    waiting = {
        params.get("path")
        for params in Job.objects.filter(
            kind=KIND, status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
        ).values_list("params", flat=True)
    }
    try:
        _, names = default_storage.listdir(UPLOADS)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - SWEEP_GRACE
    swept = 0
    for name in names:
        path = f"{UPLOADS}/{name}"
        if path not in waiting and default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            swept += 1
    return swept


def _outside_the_import(report):
    """The import is one transaction (a file that breaks half-way imports nothing), so the
    job's progress is written on a connection of its own, in a short thread, to be
    committed and seen by the page while the import runs (and to hold no lock on the job's
    row, which the heartbeat also writes). On SQLite (`make run`, tasks in the web process)
    a second writer would wait for the import: there the progress is written at the end."""
    if connection.vendor != "postgresql":
        return report

    def reported(percent: int, message: str) -> None:
        thread = threading.Thread(target=_on_own_connection, args=(report, percent, message))
        thread.start()
        thread.join()

    return reported


def _on_own_connection(report, percent: int, message: str) -> None:
    try:
        report(percent, message)
    finally:
        connection.close()  # this thread's own


def _lines_read(file, size: int, read: list[int]):
    """The file's lines, counting the bytes read so far into `read[0]` for the progress."""
    for line in file:
        read[0] += len(line)
        yield line


@job_kind(KIND, back=("registers_import", None, "Back to the import page"))
def registers_import_job(params: dict, report) -> tuple[str, bytes, str]:
    """Import the file, reporting progress by how much of it is read; the result is the
    summary on the finished page and, with every skipped row listed, a CSV to download."""
    path = params["path"]
    if not default_storage.exists(path):
        # Taken over after a worker was lost: the file goes once it has been imported.
        raise Refused(
            "The uploaded file is no longer kept: it may have been imported already. Check "
            "the organisation directory, or upload the file again."
        )
    size = max(1, default_storage.size(path))
    read = [0]
    report = _outside_the_import(report)

    def after_batch(summary: registers.Summary) -> None:
        report(5 + int(90 * read[0] / size), f"{read[0] * 100 // size}% of the file read")

    try:
        with default_storage.open(path, "rb") as file:
            rows = registers.read_register(
                params["register"], _lines_read(file, size, read), params["sector"] or None
            )
            summary = registers.registers_import(
                register=params["register"],
                rows=rows,
                by=User.objects.filter(pk=params["by"]).first(),
                after_batch=after_batch,
            )
    except registers.RegisterFileError as error:
        raise Refused(f"Nothing was imported. {error}") from error
    finally:
        default_storage.delete(path)
    return "register-import-summary.csv", summary_csv(summary), summary_sentence(summary)


def summary_sentence(summary: registers.Summary) -> str:
    return f"{summary.register_label}: imported. {summary.as_text().capitalize()}."


def summary_csv(summary: registers.Summary) -> bytes:
    """The counts, then the skipped rows with their line numbers (the first
    `registers.SKIPPED_SHOWN`), for a spreadsheet (`i2i.csvfile`: a register's cell that
    starts like a formula is text)."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(["Register", summary.register_label])
    for label, count in (
        ("Added", summary.added),
        ("Updated", summary.updated),
        ("Left unchanged", summary.unchanged),
        ("Skipped", summary.skipped_count),
    ):
        writer.writerow([label, count])
    writer.writerow([])
    writer.writerow(["Line", "Why it was skipped"])
    for skip in summary.skipped:
        writer.writerow([skip.line, skip.why])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
