"""An announcement through the real email path: the service queues one message per recipient
on the real Redis broker, and a real Celery worker sends each as its own email."""

import os
import re
import time
import uuid

import pytest
from django.conf import settings

from i2i.celery import app
from programme import announcements
from tests.conftest import one_operation
from tests.integration.conftest import _use_routes, start_worker, stop_worker

pytestmark = pytest.mark.redis


@pytest.fixture
def email_worker(tmp_path):
    """A worker on a queue of its own, with the email task routed to it."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "REDIS_URL": settings.REDIS_URL,
        "DATABASE_URL": f"sqlite:///{tmp_path}/w.db",
    }
    env.pop("EMAIL_HOST", None)  # the worker prints emails to its console, which we read
    process = start_worker(queue, env, log)
    eager, routes = app.conf.task_always_eager, app.conf.task_routes
    app.conf.task_always_eager = False
    _use_routes({"i2i.tasks.send_email": {"queue": queue}})
    try:
        yield log
    finally:
        app.conf.task_always_eager = eager
        _use_routes(routes)
        stop_worker(process)


def test_each_recipient_gets_their_own_email_from_the_worker(
    world, email_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        one_operation(announcements.announcement_send)(
            cohort=world.participant.cohort,
            audience="line_managers",
            subject="Mid-programme reviews start next week",
            body="Please book a short review with each of your participants.",
            by=world.programme_manager,
        )
    expected = sorted([world.line_manager.email, world.other_participant.line_manager.email])
    deadline = time.monotonic() + 120
    output = ""
    while time.monotonic() < deadline and output.count("succeeded") < len(expected):
        time.sleep(0.2)
        output = email_worker.read_text()
    assert output.count("succeeded") == len(expected)
    # One message each, addressed to that person alone.
    assert sorted(re.findall(r"^To: (.+)$", output, re.MULTILINE)) == expected
    assert output.count("Subject: [I2I Cohorts] Mid-programme reviews start next week") == 2
