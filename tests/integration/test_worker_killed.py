"""The PDF worker as production runs it (prefork pool, `--max-memory-per-child`), its pool
process killed (SIGKILL) in the middle of laying out a workshop pack: Celery re-delivers the
message, the new pool process takes the job over once its heartbeat has gone stale, keeps the
parts already laid out, and the job completes once, with one file, within a minute of the
kill. Nothing is faked: no moved heartbeat, no sweeper called by hand."""

import os
import signal
import time
import uuid

import pytest
from django.db import connection

from i2i.jobs import job_start
from i2i.models import JobPart
from participants.models import WorkshopConsent
from tests.factories import ParticipantFactory, ReflectiveAccountFactory
from tests.integration.conftest import (
    PREFORK,
    jobs_on_queue,
    pool_children,
    start_worker,
    stop_worker,
)


def parts_done(job) -> dict[int, int]:
    """The parts laid out so far, and how many times each was claimed."""
    return dict(JobPart.objects.filter(job=job, status="done").values_list("index", "attempts"))


pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_killed_pool_process_s_pack_completes_once_within_a_minute(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    cohort = world.participant.cohort
    for _ in range(60):  # enough sections for the layout to take a few seconds
        participant = ParticipantFactory(cohort=cohort)
        ReflectiveAccountFactory(
            placement__participant=participant, workshop_learning="Learning worth sharing. " * 20
        )
        WorkshopConsent.objects.create(participant=participant, include=True)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    queue = f"test-kill-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    worker = start_worker(queue, env, log, pool=PREFORK)
    messages, parts = [], {}
    try:
        with jobs_on_queue(queue):
            job = job_start(
                kind="workshop_pack",
                params={"cohort_id": cohort.pk},
                owner=world.programme_manager,
                title="Workshop pack",
            )
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and job.progress < 30 and job.status != "done":
                time.sleep(0.1)
                job.refresh_from_db()
            assert job.status == "running", log.read_text()
            assert job.message.startswith("Laid out part"), job.message  # progress per part
            [child] = pool_children(worker)
            assert os.getpriority(os.PRIO_PROCESS, child) == 10  # below the web's priority
            os.kill(child, signal.SIGKILL)  # the pool process, mid-render
            killed = time.monotonic()
            before = set(parts_done(job))
            while time.monotonic() < killed + 90 and job.status not in {"done", "failed"}:
                time.sleep(0.2)
                job.refresh_from_db()
                messages.append(job.message)
                parts = parts_done(job) or parts
            recovered = time.monotonic() - killed
        assert worker.poll() is None  # the worker's main process lived on
    finally:
        stop_worker(worker)
    assert job.status == "done", (job.message, log.read_text()[-3000:])
    assert recovered < 60, recovered
    assert job.restarts == 1  # taken over once
    # The parts laid out before the kill were kept, not laid out again; the rest were.
    assert before and all(parts[index] == 1 for index in before), (before, parts)
    assert len(parts) > len(before)
    assert any(message.startswith("Restarted after an interruption") for message in messages)
    files = list((settings.MEDIA_ROOT / "jobs").rglob("*.pdf"))
    assert [file.name for file in files] == [job.file.name.rsplit("/", 1)[-1]]
