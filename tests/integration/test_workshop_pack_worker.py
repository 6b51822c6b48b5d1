"""The workshop pack built by a real Celery worker process on Redis, from PostgreSQL."""

import io
import time
import uuid

import pytest
from pypdf import PdfReader

from i2i.jobs import job_start
from i2i.models import JobPart
from participants.models import WorkshopConsent
from tests.factories import ParticipantFactory, ReflectiveAccountFactory
from tests.integration.conftest import (
    jobs_on_queue,
    start_worker,
    stop_worker,
    wait_for_job,
    worker_env,
)

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


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
    env = worker_env(settings)
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
            wait_for_job(job)
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


def test_two_workers_share_the_parts_of_one_pack(world, tmp_path, settings):
    """A region that outgrows one machine adds workers: the parts of one pack are laid out
    by whichever worker of the queue is free, and the pack is whole."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cohort = world.participant.cohort
    names = []
    for n in range(40):
        participant = ParticipantFactory(cohort=cohort, user__full_name=f"Sharer {n:02d}")
        ReflectiveAccountFactory(
            placement__participant=participant, workshop_learning="Learning worth sharing. " * 20
        )
        WorkshopConsent.objects.create(participant=participant, include=True)
        names.append(participant.user.full_name)
    queue = f"test-pack-{uuid.uuid4().hex[:8]}"
    env = worker_env(settings)
    workers = []
    laid_out_by = {}
    try:
        for k in range(2):
            workers.append(start_worker(queue, env, tmp_path / f"worker{k}.log"))
        with jobs_on_queue(queue):
            job = job_start(
                kind="workshop_pack",
                params={"cohort_id": cohort.pk},
                owner=world.programme_manager,
                title="Workshop pack",
            )
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not job.finished:
                laid_out_by.update(
                    JobPart.objects.filter(job=job, status="done").values_list(
                        "index", "laid_out_by"
                    )
                )
                time.sleep(0.1)
                job.refresh_from_db()
    finally:
        for worker in workers:
            stop_worker(worker)
    assert job.status == "done", job.message
    assert len(laid_out_by) >= 6  # overview, five parts of eight sections, appendices
    assert len(set(laid_out_by.values())) == 2, laid_out_by  # both workers took a share
    assert not JobPart.objects.filter(job=job).exists()  # the file holds them now
    with job.file.open("rb") as pdf:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages)
    assert all(name in text for name in names)
