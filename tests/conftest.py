"""Shared fixtures: one per role, as the style guide asks.

Tests that need a real PostgreSQL, Redis or Chromium are marked; without that
service they are deselected (and said so in the header), and under CI=true
they are an error, so CI can never pass by leaving them out.
"""

import os
import shutil
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings

from participants.models import Participant, User
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


def pytest_report_header(config):
    missing = _missing_services()
    if not missing:
        return "i2i: PostgreSQL, Redis and browser tests all run"
    return [f"i2i: {marker} tests deselected: {why}" for marker, why in missing.items()]


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
def _test_settings(settings):
    """Test-only values: a fast hasher, no login rate limits, tasks in-process."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ACCOUNT_RATE_LIMITS = False
    settings.MFA_REQUIRED_FOR_ROLES = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


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
