"""A worker killed (SIGKILL) in the middle of a workshop pack: the job is restarted on a new
worker and completes once, with one file."""

import datetime as dt
import os
import signal
import time
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from i2i.jobs import job_start, requeue_stuck
from i2i.models import Job
from participants.models import WorkshopConsent
from tests.factories import ParticipantFactory, ReflectiveAccountFactory
from tests.integration.conftest import jobs_on_queue, start_worker, stop_worker

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _wait(job, statuses, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return
        time.sleep(0.2)


def test_a_killed_worker_s_pack_completes_once_on_another(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    cohort = world.participant.cohort
    for _ in range(40):  # enough sections for the PDF to take a few seconds
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
    log = tmp_path / "workers.log"
    first = start_worker(queue, env, log)
    second = None
    try:
        with jobs_on_queue(queue):
            job = job_start(
                kind="workshop_pack",
                params={"cohort_id": cohort.pk},
                owner=world.programme_manager,
                title="Workshop pack",
            )
            _wait(job, {"running", "done"}, 120)
            assert job.status == "running", log.read_text()[-2000:]
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            # The hard time limit passes with no heartbeat (we move the clock instead of waiting).
            long_ago = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
            Job.objects.filter(pk=job.pk).update(heartbeat_at=long_ago, created_at=long_ago)
            second = start_worker(queue, env, log)
            assert requeue_stuck() == 1
            _wait(job, {"done", "failed"}, 90)
    finally:
        for worker in (first, second):
            stop_worker(worker)
    assert job.status == "done", (job.message, log.read_text()[-2000:])
    files = list((settings.MEDIA_ROOT / "jobs").rglob("*.pdf"))
    assert len(files) == 1
