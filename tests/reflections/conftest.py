import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import ApprovedPlacementFactory, HalfDayFactory, ReflectiveAccountFactory


@pytest.fixture
def started_placement(world):
    """An approved placement with one completed half-day, a week into a running cohort."""
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(days=60)
    cohort.save()
    placement = ApprovedPlacementFactory(participant=world.participant)
    HalfDayFactory(placement=placement, date=cohort.programme_start + dt.timedelta(days=7))
    return placement


@pytest.fixture
def account(started_placement):
    return ReflectiveAccountFactory(placement=started_placement)
