"""Reliability: Celery's limits, and what a user sees when Redis is down."""

import socket
import time

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from i2i.celery import app
from i2i.jobs import requeue_stuck
from i2i.models import Job
from placements import services
from tests.factories import PASSWORD, PlacementFactory


def test_the_hard_time_limit_is_below_the_visibility_timeout():
    """Otherwise Redis would hand a slow task to a second worker while the first still runs."""
    assert settings.CELERY_TASK_TIME_LIMIT < settings.CELERY_BROKER_VISIBILITY_TIMEOUT
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.task_routes["i2i.tasks.run_job"]["queue"] == settings.PDF_QUEUE
    assert app.conf.broker_transport_options["socket_connect_timeout"] <= 2


def _closed_port() -> int:
    """A local port where nothing listens (bound for a moment, then let go): connecting to it
    is refused, as it is when Redis is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """Redis is down: the broker and the cache point at a closed port. Tasks are published
    for real (not run eagerly), so the publish itself meets the refused connection."""
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    saved = app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = url, False
    # Everything configured from REDIS_URL points there: a result backend too, were one set.
    app.conf.result_backend = url if saved[1] else None
    app._after_fork()  # drop pooled connections to the real broker
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": url}
        if "redis" in settings.CACHES["default"]["BACKEND"]
        else {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1},
        }
    }
    yield url
    app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = saved
    app._after_fork()


def test_an_export_with_redis_down_answers_quickly_and_waits(
    client, world, redis_down, django_capture_on_commit_callbacks
):
    client.force_login(world.programme_manager)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workshop_pack_start", args=[world.participant.cohort.pk]))
    assert time.monotonic() - started < 3
    job = Job.objects.get()  # one click, one job
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


def test_signing_in_and_every_page_work_with_the_caches_redis_down(client, world, redis_down):
    """The cache counts sign-in attempts; with its Redis down it misses, and nobody sees a 500."""
    started = time.monotonic()
    response = client.post(
        reverse("account_login"),
        {"login": world.participant.user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("participant_detail", args=[world.participant.pk])).status_code == 200
    assert time.monotonic() - started < 10
