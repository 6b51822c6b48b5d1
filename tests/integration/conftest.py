"""Helpers for tests that run real Celery workers."""

from contextlib import contextmanager

from i2i.celery import app


def _use_routes(routes) -> None:
    """Celery builds its router once; rebuild it so that new routes take effect."""
    app.conf.task_routes = routes
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)


@contextmanager
def jobs_on_queue(queue: str):
    """Send background jobs to a queue of this test's own, to real workers (not in-process)."""
    eager, routes = app.conf.task_always_eager, app.conf.task_routes
    app.conf.task_always_eager = False
    _use_routes({"i2i.tasks.run_job": {"queue": queue}})
    try:
        yield
    finally:
        app.conf.task_always_eager = eager
        _use_routes(routes)
