"""A register file uploaded on the page is imported by a Celery worker: the full CQC directory
takes longer than a request should, and the page shows its progress meanwhile. The command
`import_registers` does the same work in the terminal."""

from __future__ import annotations

import io
import uuid

from django.core.files.storage import default_storage

from i2i.csvfile import SafeWriter
from i2i.jobs import Refused, job_kind, job_start
from participants import registers
from participants.models import User

KIND = "registers_import"
# Where an uploaded file waits for its worker; it is deleted once imported.
UPLOADS = "register-uploads"


def registers_import_start(*, register: str, file, sector: str | None, by: User):
    """Keep the file where a worker can read it, and queue its import."""
    path = default_storage.save(f"{UPLOADS}/{uuid.uuid4().hex}.csv", file)
    return job_start(
        kind=KIND,
        params={"register": register, "path": path, "sector": sector or "", "by": by.pk},
        owner=by,
        title=f"Import of organisations: {registers.REGISTERS[register]}",
    )


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
    size = max(1, default_storage.size(path))
    read = [0]

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
