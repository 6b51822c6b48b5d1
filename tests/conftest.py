"""Shared fixtures: one per role, as the style guide asks.

Tests that need a real PostgreSQL, Redis or Chromium are marked; without that
service they are deselected (and said so in the header), and under CI=true
they are an error, so CI can never pass by leaving them out.
"""

import functools
import importlib
import inspect
import os
import shutil
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest
import zeal
from celery.signals import task_postrun, task_prerun
from django.conf import settings as django_settings

from participants.models import Participant, User
from tests.clock import Clock
from tests.factories import (
    CohortFactory,
    EducationLeadFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _missing_services() -> dict[str, str]:
    missing = {}
    if django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing["postgres"] = "DATABASE_URL does not name a PostgreSQL database"
    if not django_settings.REDIS_URL:
        missing["redis"] = "REDIS_URL is not set"
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing["browser"] = f"Chromium is not installed at {CHROMIUM}"
    return missing


def pytest_addoption(parser):
    group = parser.getgroup("i2i")
    group.addoption(
        "--clock-seed",
        help="move the clock of the whole run to a moment drawn from this seed "
        "(or set I2I_CLOCK_SEED); the header prints it for replay",
    )
    group.addoption("--clock", help="move the clock of the whole run to this day (or I2I_CLOCK)")


def pytest_configure(config):
    config.i2i_clock = Clock.from_options(config.getoption("clock"), config.getoption("clock_seed"))
    config.i2i_clock.start()


def pytest_unconfigure(config):
    clock = getattr(config, "i2i_clock", None)
    if clock is not None:
        clock.stop()


def pytest_report_header(config):
    clock = config.i2i_clock.header()
    missing = _missing_services()
    if not missing:
        return [clock, "i2i: PostgreSQL, Redis and browser tests all run"]
    return [clock, *(f"i2i: {marker} tests deselected: {why}" for marker, why in missing.items())]


def pytest_collection_modifyitems(config, items):
    missing = _missing_services()
    if not missing:
        return
    needs = [i for i in items if any(i.get_closest_marker(m) for m in missing)]
    if needs and os.environ.get("CI"):
        raise pytest.UsageError(
            "CI must run every test, but: " + "; ".join(missing.values()) + ". See .ci/run."
        )
    if needs:
        config.hook.pytest_deselected(items=needs)
        items[:] = [i for i in items if i not in needs]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Test-only values: a fast hasher, no login rate limits, tasks in-process, uploads in a
    directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ACCOUNT_RATE_LIMITS = False
    settings.MFA_REQUIRED_FOR_ROLES = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _no_n_plus_one():
    """Any N+1 query in a test fails it with zeal's NPlusOneError: one line of code running
    the same query for one object after another (settings: ZEAL_* in tests/settings.py).

    zeal counts repeats within a unit of work, as in production: the whole test, and inside
    it each request through the test client (zeal's middleware), each Celery task and each
    call from test code into a service (`_each_call_from_a_test_is_one_operation`), so a
    test that submits and then approves is two operations, while a loop inside one of them is
    still caught. A genuine exception is a narrow
    `zeal.zeal_ignore([{"model": ..., "field": ...}])` with a comment saying why."""
    with zeal.zeal_context():
        yield


# Celery tasks (eager in tests) are units of work, as zeal's documentation sets them up.
_task_scopes = {}


@task_prerun.connect
def _zeal_task_starts(task_id=None, **kwargs):
    _task_scopes[task_id] = zeal.setup()


@task_postrun.connect
def _zeal_task_ends(task_id=None, **kwargs):
    token = _task_scopes.pop(task_id, None)
    if token is not None:
        zeal.teardown(token)


# The operations a view or task would call once per request. Called by a test, each call is
# its own unit of work, as that request would be, so a test that submits and then approves
# is two operations, not an N+1. Called by the app's own code (a view, a task, a loop in
# another service, the demo), it stays in its caller's unit, so that loop is still caught.
SERVICE_MODULES = (
    "evaluation.services",
    "i2i.decisions",
    "i2i.jobs",
    "programme.reminders",
    "improvements.selectors",
    "improvements.services",
    "improvements.attachments",
    "improvements.drivers",
    "improvements.review",
    "programme.personal_data",
    "participants.recruitment",
    "programme.home",
    "participants.services",
    "programme.progress",
    "placements.services",
    "placements.hosting",
    "placements.concerns",
    "placements.feedback",
    "participants.registers",
    "reflections.selectors",
    "reflections.services",
)
TESTS = str(Path(__file__).resolve().parent) + os.sep


def one_operation(function):
    """`function` with each call its own zeal unit of work."""

    @functools.wraps(function)
    def call(*args, **kwargs):
        with zeal.zeal_context():
            return function(*args, **kwargs)

    return call


# Each public function of the service modules, and the same function as one operation.
_MODULES = [importlib.import_module(name) for name in SERVICE_MODULES]
_AS_OPERATION = {
    value: one_operation(value)
    for module in _MODULES
    for attr, value in vars(module).items()
    if inspect.isfunction(value) and value.__module__ == module.__name__ and attr[0] != "_"
}
_ORIGINAL = {operation: function for function, operation in _AS_OPERATION.items()}


class Operations:
    """A service module as test code sees it: each public function one operation, the rest
    (and whatever a test patches in, which goes to the module itself) the module's own.

    No `__dict__` of its own: monkeypatch reads `target.__dict__` to know what to put back,
    and finds the module's (through `__getattr__`), so it restores the module's function."""

    __slots__ = ("_module",)

    def __init__(self, module):
        object.__setattr__(self, "_module", module)

    def __getattr__(self, name):
        value = getattr(self._module, name)
        return _AS_OPERATION.get(value, value) if inspect.isfunction(value) else value

    def __setattr__(self, name, value):
        # monkeypatch puts back what it read, an operation: the module gets its function.
        setattr(self._module, name, _ORIGINAL.get(value, value))

    def __delattr__(self, name):
        delattr(self._module, name)

    def __repr__(self):
        return f"<operations of {self._module.__name__}>"


_OPERATIONS = {module: Operations(module) for module in _MODULES}


@functools.cache
def _test_code_references() -> list[tuple[object, str, object]]:
    """Where test code (every module under tests/) holds a service module or function: the
    module's name for it, and what it sees there during a test. Read once, after collection
    has imported every test module."""
    found = []
    for module in list(sys.modules.values()):
        if not getattr(module, "__file__", None) or not module.__file__.startswith(TESTS):
            continue
        for name, value in vars(module).items():
            if isinstance(value, types.ModuleType) and value in _OPERATIONS:
                found.append((module, name, _OPERATIONS[value]))
            elif inspect.isfunction(value) and value in _AS_OPERATION:
                found.append((module, name, _AS_OPERATION[value]))
    return found


@pytest.fixture(autouse=True)
def _each_call_from_a_test_is_one_operation(monkeypatch):
    """For the test, test code's names for the service modules and their functions (`from
    placements import services`, `from programme.progress import with_progress`) call each
    function as one operation (`one_operation`); the app keeps its own names, so its calls
    stay in the caller's unit of work. Undone after the test."""
    for module, name, seen in _test_code_references():
        monkeypatch.setattr(module, name, seen)


@pytest.fixture(autouse=True, scope="session")
def _eager_celery():
    from i2i.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield


@dataclass
class World:
    """Two employers, each with a participant, line manager, sponsor and education lead,
    plus the programme manager and someone who holds no role."""

    participant: Participant
    other_participant: Participant
    education_lead: User
    other_education_lead: User
    programme_manager: User
    outsider: User

    @property
    def line_manager(self) -> User:
        return self.participant.line_manager

    @property
    def sponsor(self) -> User:
        return self.participant.sponsor


@pytest.fixture
def world(db) -> World:
    cohort = CohortFactory(name="Cohort A")
    employer = OrganisationFactory(name="Eastmere Hospitals")
    other_employer = OrganisationFactory(name="Fenbridge Council")
    participant = ParticipantFactory(
        cohort=cohort,
        organisation=employer,
        user__full_name="Pat Participant",
        line_manager__full_name="Lee Linemanager",
        sponsor__full_name="Sam Sponsor",
    )
    other = ParticipantFactory(
        cohort=cohort, organisation=other_employer, user__full_name="Olly Other"
    )
    return World(
        participant=participant,
        other_participant=other,
        education_lead=EducationLeadFactory(organisation=employer).user,
        other_education_lead=EducationLeadFactory(organisation=other_employer).user,
        programme_manager=UserFactory(is_programme_manager=True, full_name="Morgan Manager"),
        outsider=UserFactory(full_name="Nobody Inparticular"),
    )


@pytest.fixture
def participant(world):
    return world.participant


@pytest.fixture
def other_participant(world):
    return world.other_participant


@pytest.fixture
def line_manager(world):
    return world.line_manager


@pytest.fixture
def sponsor(world):
    return world.sponsor


@pytest.fixture
def education_lead(world):
    return world.education_lead


@pytest.fixture
def programme_manager(world):
    return world.programme_manager


@pytest.fixture
def outsider(world):
    return world.outsider
