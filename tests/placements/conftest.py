import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import ApprovedPlacementFactory, OrganisationFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def running(world, today):
    """The world's cohort, started 60 days ago: half-days in the past are in the window."""
    cohort = world.participant.cohort
    cohort.programme_start = today - dt.timedelta(days=60)
    cohort.save()
    return world


@pytest.fixture
def placement(running):
    """An approved placement of the world's participant with a GP practice."""
    return ApprovedPlacementFactory(
        participant=running.participant,
        organisation=OrganisationFactory(name="Riverside Practice", sector="gp_practice"),
    )
