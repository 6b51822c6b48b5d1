"""The test suite's settings: the product's (`i2i/settings.py`), and django-zeal.

django-zeal (a dev dependency) makes any N+1 query fail the test that ran it:
`tests/conftest.py` wraps every test in `zeal_context()` and each call a test makes into a
service in its own; the middleware scopes each request to its own page. Its app patches the
ORM when Django starts, so it is installed here rather than per test with the `settings`
fixture. pytest uses this module (`DJANGO_SETTINGS_MODULE` in pyproject.toml); what a test
starts in another process (`manage.py`, a Celery worker) runs the product's own settings.
"""

from i2i.settings import *  # noqa: F403
from i2i.settings import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]
MIDDLEWARE = ["zeal.middleware.zeal_middleware", *MIDDLEWARE]
ZEAL_RAISE = True  # the default, stated: an N+1 is an error, not a warning
ZEAL_NPLUSONE_THRESHOLD = 2  # the default: the same query from one line twice
ZEAL_CHECK_UNUSED_IGNORES = True  # a zeal_ignore() that suppresses nothing fails too
# Django's session store loads its one row with .get(); the test client's force_login()
# does so twice from one line (the test's), which zeal would report as an N+1.
ZEAL_ALLOWLIST = [{"model": "sessions.Session", "field": "get()"}]

# The browser tests' live server answers each connection in a thread of its own, and a
# browser keeps its connections open between pages (keep-alive): with persistent database
# connections each such thread held one, idle, until the run had used up PostgreSQL's 100.
# Each request closes its own here.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
