"""Two simultaneous requests cannot both break a rule: the database constraints decide."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from placements import services
from placements.models import HalfDay
from reflections import services as reflections
from reflections.models import ReflectiveAccount
from tests.factories import ApprovedPlacementFactory, HalfDayFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(*calls):
    """Run the calls at the same moment, each on its own connection; return their outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - every outcome is examined by the test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_half_days_in_the_same_slot_cannot_both_be_saved(world):
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(days=30)
    cohort.save()
    first = ApprovedPlacementFactory(participant=world.participant)
    second = ApprovedPlacementFactory(participant=world.participant)
    day = timezone.localdate() - dt.timedelta(days=2)

    def log(placement):
        return lambda: services.half_day_log(
            placement=placement,
            by=world.participant.user,
            date=day,
            session="am",
            person_met="Ward manager",
            level="team_leader",
            status="completed",
        )

    outcomes = _race(log(first), log(second))
    assert sum(isinstance(o, HalfDay) for o in outcomes) == 1
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1
    assert HalfDay.objects.filter(participant=world.participant, date=day).count() == 1


def test_one_reflective_account_per_placement_even_when_started_twice_at_once(world):
    placement = ApprovedPlacementFactory(participant=world.participant)
    HalfDayFactory(placement=placement)
    start = lambda: reflections.account_start(placement=placement, by=world.participant.user)  # noqa: E731
    outcomes = _race(start, start, start)
    assert all(isinstance(o, ReflectiveAccount) for o in outcomes), outcomes
    assert len({o.pk for o in outcomes}) == 1
    assert ReflectiveAccount.objects.filter(placement=placement).count() == 1
