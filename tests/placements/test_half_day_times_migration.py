"""Migration 0004 gives every half-day logged before times were recorded its session's
typical times, keeps times already given, and then requires them (issue #20)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from placements.models import HalfDay
from tests.factories import ApprovedPlacementFactory, HalfDayFactory

BEFORE = [("placements", "0003_offers_clearances_feedback_concerns")]


@pytest.mark.django_db(transaction=True)
def test_half_days_without_times_take_their_sessions_typical_times(world):
    placement = ApprovedPlacementFactory(participant=world.participant)
    day = world.participant.cohort.programme_start + dt.timedelta(days=10)
    morning = HalfDayFactory(placement=placement, date=day, session="am", status="completed")
    afternoon = HalfDayFactory(placement=placement, date=day, session="pm", status="completed")
    early = HalfDayFactory(
        placement=placement,
        date=day + dt.timedelta(days=7),
        session="am",
        starts_at=dt.time(8, 15),
        ends_at=dt.time(11, 45),
    )
    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps.get_model("placements", "HalfDay")
        # As logged before times were recorded: a session and no times.
        old.objects.filter(pk__in=[morning.pk, afternoon.pk]).update(starts_at=None, ends_at=None)
        assert old.objects.filter(starts_at__isnull=True).count() == 2
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(after)

    times = {h.pk: (h.starts_at, h.ends_at) for h in HalfDay.objects.all()}
    assert times[morning.pk] == (dt.time(9, 0), dt.time(12, 30))
    assert times[afternoon.pk] == (dt.time(13, 30), dt.time(17, 0))
    assert times[early.pk] == (dt.time(8, 15), dt.time(11, 45))
