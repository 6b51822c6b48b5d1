"""The run's clock option: a seed stands for one moment, and the processes the tests start
keep the same clock as the tests."""

import datetime as dt
import subprocess
import sys

import pytest
import time_machine

from tests.clock import FIRST_DAY, LAST_DAY, LONDON, Clock, draw, offset_seconds, subprocess_env


def test_it_draws_the_same_moment_from_the_same_seed():
    assert draw(2026) == draw(2026)
    assert len({draw(seed).date() for seed in range(200)}) > 150


def test_it_draws_days_across_the_range_in_working_hours():
    moments = [draw(seed) for seed in range(2000)]
    assert all(FIRST_DAY <= m.date() <= LAST_DAY for m in moments)
    assert all(8 <= m.astimezone(LONDON).hour < 18 for m in moments)
    assert {m.month for m in moments} == set(range(1, 13))
    assert {m.day for m in moments} >= set(range(1, 32))


def test_the_header_says_how_to_replay_the_run(monkeypatch):
    monkeypatch.delenv("I2I_CLOCK", raising=False)  # a named day would win over the seed
    assert "--clock-seed=41" in Clock.from_options(None, "41").header()
    named = Clock.from_options("2028-02-29", None)
    assert named.moment.date() == dt.date(2028, 2, 29)
    assert "Tuesday 29 February 2028" in named.header()


def test_the_option_moves_the_clock_of_a_whole_run(pytestconfig):
    clock = pytestconfig.i2i_clock
    if clock.moved:
        # The run was started a few minutes ago at the drawn moment, and ticks on from it.
        assert dt.timedelta(0) <= dt.datetime.now(LONDON) - clock.moment < dt.timedelta(hours=2)
        assert time_machine.escape_hatch.is_travelling()
    else:
        assert not time_machine.escape_hatch.is_travelling()
        assert offset_seconds() == 0


def test_without_a_moved_clock_a_process_is_started_as_it_is():
    env = {"PATH": "/usr/bin:/bin"}
    with time_machine.travel(dt.datetime(2031, 1, 1, tzinfo=LONDON)):
        assert "LD_PRELOAD" in subprocess_env(env)
    if not time_machine.escape_hatch.is_travelling():
        assert subprocess_env(env) == env


@pytest.mark.parametrize("day", [dt.date(2027, 2, 28), dt.date(2031, 3, 30)])
def test_a_process_a_test_starts_is_on_the_tests_clock(day):
    with time_machine.travel(dt.datetime.combine(day, dt.time(11), tzinfo=LONDON)):
        seen = subprocess.run(
            [sys.executable, "-c", "import datetime; print(datetime.date.today())"],
            env=subprocess_env({"PATH": "/usr/bin:/bin"}),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    assert seen == day.isoformat()
