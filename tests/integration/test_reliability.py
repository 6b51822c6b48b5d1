"""Reliability: Celery's limits, and what a user sees when Redis is down."""

import time

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from i2i.celery import app
from i2i.jobs import requeue_stuck
from i2i.models import Job
from placements import services
from tests.factories import PlacementFactory


def test_the_hard_time_limit_is_below_the_visibility_timeout():
    """Otherwise Redis would hand a slow task to a second worker while the first still runs."""
    assert settings.CELERY_TASK_TIME_LIMIT < settings.CELERY_BROKER_VISIBILITY_TIMEOUT
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.task_routes["i2i.tasks.run_job"]["queue"] == settings.PDF_QUEUE
    assert app.conf.broker_transport_options["socket_connect_timeout"] <= 2


@pytest.fixture
def redis_down(monkeypatch):
    """Publishing fails as it does when Redis is unreachable (after the bounded retries set
    in the transport options)."""
    from kombu.exceptions import OperationalError

    from i2i import emails, jobs

    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(jobs.run_job, "delay", unreachable)
    monkeypatch.setattr(emails.send_email, "delay", unreachable)


def test_an_export_with_redis_down_answers_quickly_and_waits(
    client, world, redis_down, django_capture_on_commit_callbacks
):
    client.force_login(world.programme_manager)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workshop_pack_start", args=[world.participant.cohort.pk]))
    assert time.monotonic() - started < 5
    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "it will start soon" in page
    assert job.status == "queued"


def test_stuck_jobs_are_queued_again_when_redis_returns(world, django_capture_on_commit_callbacks):
    job = Job.objects.create(
        kind="workshop_pack",
        params={"cohort_id": world.participant.cohort_id},
        owner=world.programme_manager,
        title="Pack",
    )
    Job.objects.filter(pk=job.pk).update(created_at=job.created_at.replace(year=2020))
    assert requeue_stuck() == 1  # eager in tests: it runs now
    job.refresh_from_db()
    assert job.status == "done"


def test_an_email_is_not_lost_when_redis_is_down(
    world, redis_down, django_capture_on_commit_callbacks
):
    placement = PlacementFactory(participant=world.participant)
    services.outcomes_save(placement=placement, by=world.participant.user, texts=["Learn"])
    with django_capture_on_commit_callbacks(execute=True):
        services.outcomes_submit(placement=placement, by=world.participant.user)
    placement.refresh_from_db()
    assert placement.outcomes_status == "submitted"  # the action committed
    assert [m.to for m in mail.outbox] == [[world.line_manager.email]]  # sent directly
