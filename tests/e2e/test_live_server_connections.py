"""A browser keeps its connections to the server open between pages, and the live server
answers each in a thread of its own: those threads must not each keep a database
connection, or the browser tests use up PostgreSQL's connections (100) part-way through
the run."""

import time

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def _idle_connections() -> int:
    """Connections to this test database, other than the test's own, that sit idle."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle'"
        )
        return cursor.fetchone()[0]


def test_pages_the_browser_keeps_connections_to_hold_no_database_connections(page, world):
    before = _idle_connections()
    for path in ("/", "/accounts/login/", "/accounts/password/reset/", "/privacy/"):
        page.goto(path)  # each a request, answered on connections the browser keeps open
    deadline = time.monotonic() + 5
    while _idle_connections() > before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _idle_connections() <= before
