"""A register file uploaded on the page is imported by a real Celery worker on Redis, from
PostgreSQL, while the page shows the job's progress (issue #20's leftover: the full CQC
directory takes longer than a request should)."""

import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from i2i.models import Job
from participants import registers
from participants.models import Organisation
from tests.integration.conftest import (
    PREFORK,
    jobs_on_queue,
    start_worker,
    stop_worker,
    worker_env,
)

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Twenty batches of 1,000, a few seconds' work: the job's progress is committed as it goes
# (the import itself is one transaction), so the page sees it move.
ROWS = 20_000


def _ods_file(rows: int) -> bytes:
    lines = [
        f"Z{n:05d},THE WORKER TEST SURGERY {n},Y60,QHM,1 HIGH STREET,,,EASTMERE,NORTHSHIRE,"
        f"EM{n % 9} 1AB,20000101,"
        for n in range(rows)
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_the_upload_is_imported_by_a_worker_and_its_page_shows_the_outcome(
    client, world, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    queue = f"test-registers-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    client.force_login(world.programme_manager)
    # The production PDF worker's pool (README): a prefork pool of one process.
    worker = start_worker(queue, worker_env(settings), log, pool=PREFORK)
    try:
        with jobs_on_queue(queue):
            response = client.post(
                reverse("registers_import"),
                {
                    "register": registers.ODS_GP_PRACTICES,
                    "file": SimpleUploadedFile("epraccur.csv", _ods_file(ROWS), "text/csv"),
                },
            )
            assert response.status_code == 302
            job = Job.objects.get(kind="registers_import")
            assert response["Location"] == reverse("job_detail", args=[job.pk])
            seen = set()
            deadline = time.monotonic() + 90
            while not job.finished and time.monotonic() < deadline:
                time.sleep(0.05)
                job.refresh_from_db()
                if job.status == "running":
                    seen.add(job.progress)
    finally:
        stop_worker(worker)
    assert job.status == "done", (job.message, log.read_text()[-2000:])
    assert "succeeded" in log.read_text()
    assert any(5 < progress < 100 for progress in seen), seen
    assert Organisation.objects.filter(ods_code__startswith="Z").count() == ROWS
    page = client.get(reverse("job_status", args=[job.pk])).content.decode()
    assert (
        f"NHS ODS: GP practices (epraccur): imported. {ROWS} added, 0 updated, 0 unchanged, "
        "0 skipped." in page
    )
    assert reverse("job_download", args=[job.pk]) in page
