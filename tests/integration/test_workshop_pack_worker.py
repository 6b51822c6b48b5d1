"""The workshop pack built by a real Celery worker process on Redis, from PostgreSQL."""

import io
import os
import time
import uuid

import pytest
from django.db import connection
from pypdf import PdfReader

from i2i.jobs import job_start
from participants.models import WorkshopConsent
from tests.factories import ReflectiveAccountFactory
from tests.integration.conftest import jobs_on_queue, start_worker, stop_worker

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_a_worker_builds_the_pack_with_consenting_participants_only(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    ReflectiveAccountFactory(
        placement__participant=world.participant, workshop_learning="Shared learning from Pat."
    )
    WorkshopConsent.objects.create(participant=world.participant, include=True)
    ReflectiveAccountFactory(
        placement__participant=world.other_participant, workshop_learning="Olly keeps this."
    )
    queue = f"test-pack-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log = tmp_path / "worker.log"
    worker = start_worker(queue, env, log)
    try:
        with jobs_on_queue(queue):
            job = job_start(
                kind="workshop_pack",
                params={"cohort_id": world.participant.cohort_id},
                owner=world.programme_manager,
                title="Workshop pack",
            )
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if job.finished:
                    break
                time.sleep(0.5)
    finally:
        stop_worker(worker)
    assert job.status == "done", (job.message, log.read_text()[-2000:])
    with job.file.open("rb") as pdf:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages)
    assert "Pat Participant" in text
    assert "Shared learning from Pat." in text
    assert "Olly Other" not in text
    assert "Olly keeps this." not in text
    assert "succeeded" in log.read_text()
