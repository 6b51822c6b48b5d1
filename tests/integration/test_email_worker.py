"""A real worker, on Redis, gives up on an email the mail server never takes: it retries with
Celery's back-off (kept short here by EMAIL_RETRY_BACKOFF_MAX, as an operator may set it),
then marks the reminder's Notification failed in PostgreSQL."""

import time
import uuid

import pytest

from i2i.celery import app
from i2i.emails import send_email
from i2i.models import Notification
from tests.integration.conftest import start_worker, stop_worker, worker_env
from tests.mailservers import closed_port

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_worker_retries_then_marks_the_reminder_not_delivered(world, tmp_path, settings):
    notification = Notification.objects.create(
        recipient=world.participant.user,
        kind="briefing",
        key="cohort:1:briefing:2027-02-25",
        subject="[I2I Cohorts] The briefing is on Thursday",
        body="Hello",
    )
    queue = f"test-email-{uuid.uuid4().hex[:8]}"
    env = {
        **worker_env(settings),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(closed_port()),  # the mail server is down
        "EMAIL_USE_TLS": "0",
        "EMAIL_RETRY_BACKOFF_MAX": "1",  # each wait at most a second, not minutes
    }
    log = tmp_path / "worker.log"
    worker = start_worker(queue, env, log)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        started = time.monotonic()
        send_email.apply_async(
            kwargs={
                "subject": notification.subject,
                "body": notification.body,
                "to": [world.participant.user.email],
                "notification_id": notification.pk,
            },
            queue=queue,
        )
        deadline = started + 90
        while time.monotonic() < deadline:
            notification.refresh_from_db()
            if notification.failed_at:
                break
            time.sleep(0.5)
    finally:
        app.conf.task_always_eager = eager
        stop_worker(worker)
    output = log.read_text()
    assert notification.failure == (
        "Not sent after 6 tries: could not connect to the mail server (Connection refused)."
    ), output[-3000:]
    assert output.count("retry: Retry in") == 5
    assert "Email to ['" in output and "not sent" in output  # logged at ERROR for operators
    assert time.monotonic() - started < 60
