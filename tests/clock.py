"""The whole run on another day: the suite must not depend on the day it runs.

`--clock-seed=N` (or `I2I_CLOCK_SEED=N`) draws a moment from the seed and moves the clock of
the whole run there with time-machine, ticking on from it; `--clock=2027-02-28` (or
`I2I_CLOCK=…`) names the day. The pytest header prints the moment and the seed, so a failure
can be replayed with the same option. `.ci/run` draws a new seed for its one pass.

Processes the tests start (a Celery worker, `manage.py`) run under libfaketime with the same
offset, so the worker and the test agree on the day. A test that needs a particular day
still sets it itself with `time_machine.travel`, which nests inside the run's clock.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine

LONDON = ZoneInfo("Europe/London")
# The days drawn from: the years either side of the product's first cohorts, leap day included.
FIRST_DAY = dt.date(2025, 1, 1)
LAST_DAY = dt.date(2030, 12, 31)
# Drawn within working hours, London time, as people use the product.
FIRST_HOUR, LAST_HOUR = 8, 18
LIBFAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")


def draw(seed: int) -> dt.datetime:
    """The moment a seed stands for: a day in FIRST_DAY..LAST_DAY and a time in working hours."""
    rng = random.Random(seed)
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    seconds = rng.randrange((LAST_HOUR - FIRST_HOUR) * 3600)
    start = dt.datetime.combine(day, dt.time(FIRST_HOUR), tzinfo=LONDON)
    return start + dt.timedelta(seconds=seconds)


def named(day: str) -> dt.datetime:
    """`2027-02-28` (10am London time) or `2027-02-28T16:45`."""
    moment = dt.datetime.fromisoformat(day)
    if len(day) == 10:
        moment = moment.replace(hour=10)
    return moment.replace(tzinfo=moment.tzinfo or LONDON)


class Clock:
    """The run's clock: where it was moved to, from which seed, and the traveller keeping it."""

    def __init__(self, moment: dt.datetime | None = None, seed: int | None = None):
        self.moment = moment
        self.seed = seed
        self._traveller = None

    @classmethod
    def from_options(cls, clock: str | None, seed: str | None) -> Clock:
        clock = clock or os.environ.get("I2I_CLOCK") or None
        seed = seed or os.environ.get("I2I_CLOCK_SEED") or None
        if clock:
            return cls(named(clock))
        if seed:
            return cls(draw(int(seed)), int(seed))
        return cls()

    @property
    def moved(self) -> bool:
        return self.moment is not None

    def start(self) -> None:
        if self.moved:
            self._traveller = time_machine.travel(self.moment, tick=True)
            self._traveller.start()

    def stop(self) -> None:
        if self._traveller is not None:
            self._traveller.stop()
            self._traveller = None

    def header(self) -> str:
        if not self.moved:
            return "i2i: clock not moved (the real date); --clock-seed=N moves it"
        when = f"{self.moment:%A %-d %B %Y, %H:%M} London time"
        if self.seed is None:
            return f"i2i: clock moved to {when} (--clock={self.moment:%Y-%m-%dT%H:%M})"
        return f"i2i: clock moved to {when}, drawn from seed {self.seed} (--clock-seed={self.seed})"


def offset_seconds() -> float:
    """How far the test process's clock is from the machine's (0 when not moved)."""
    if not time_machine.escape_hatch.is_travelling():
        return 0.0
    return time.time() - time_machine.escape_hatch.time.time()


def subprocess_env(env: dict[str, str]) -> dict[str, str]:
    """`env` for a process a test starts, on the same clock as the test (libfaketime)."""
    offset = offset_seconds()
    if abs(offset) < 1:
        return dict(env)
    if not LIBFAKETIME.exists() and not shutil.which("faketime"):
        raise RuntimeError(
            "The clock is moved but libfaketime is missing: apt-get install faketime"
        )
    return {
        **env,
        "LD_PRELOAD": str(LIBFAKETIME),
        "FAKETIME": f"{offset:+.0f}",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        # Let libfaketime's own cache follow the ticking clock.
        "FAKETIME_NO_CACHE": "1",
    }
