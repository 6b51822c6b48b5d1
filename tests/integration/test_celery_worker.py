"""A real Celery worker process, on the real Redis broker, completes a real task."""

import os
import time
import uuid

import pytest
from django.conf import settings

from i2i.celery import app
from i2i.emails import send_email
from tests.integration.conftest import start_worker, stop_worker

pytestmark = pytest.mark.redis


@pytest.fixture
def worker(tmp_path):
    """A worker on a queue of its own, so that it takes no one else's work."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "REDIS_URL": settings.REDIS_URL,
        "DATABASE_URL": f"sqlite:///{tmp_path}/w.db",
    }
    env.pop("EMAIL_HOST", None)  # the worker prints emails to its console, which we read
    process = start_worker(queue, env, log)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield queue, log
    finally:
        app.conf.task_always_eager = eager
        stop_worker(process)


def test_a_worker_sends_a_queued_email(worker):
    """Nothing reads task results (there is no result backend): the worker's own log shows
    the email it sent and the task that succeeded."""
    queue, log = worker
    send_email.apply_async(
        kwargs={
            "subject": "Your learning outcomes are waiting",
            "body": "Please review them.",
            "to": ["line.manager@trust.example"],
        },
        queue=queue,
    )
    deadline = time.monotonic() + 60
    output = ""
    while time.monotonic() < deadline and "succeeded" not in output:
        time.sleep(0.2)
        output = log.read_text()
    assert "Your learning outcomes are waiting" in output  # the console email backend
    assert "succeeded" in output  # by the worker process
