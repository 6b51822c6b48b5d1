"""Plausible dates: every date a person types has a range, and the message names it
("between 1 March 2026 and 1 September 2028"), so that a slip of the keyboard (year 1,
2100) is caught where it was typed instead of skewing a chart, a reminder or a judgement.

The ranges, and why:

- **The programme's years** (data points, PDSA cycles, a sponsor meeting's earliest day):
  from a year before the cohort's programme starts to a year after its six-month window
  ends. Baseline data is collected before the placements, and a change is sustained
  (and measured) after them.
- **The past** (an appraisal, a qualification, a sponsor meeting): not after today, and
  not further back than the record can matter (`APPRAISAL_YEARS`, `CAREER_YEARS`).
- **Near the programme** (a cohort's dates): `COHORT_MARGIN_MONTHS` either side of the
  window, a programme start within `PROGRAMME_START_YEARS` of today, and Expressions of
  Interest open and closed within `RECRUITMENT_MONTHS` before the programme starts.
"""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format

from i2i.rules import add_months, window_end

PROGRAMME_MARGIN_MONTHS = 12
# An appraisal older than this says nothing about current performance (eligibility asks
# for one within 15 months); a qualification further back than a working life is a slip.
APPRAISAL_YEARS = 10
CAREER_YEARS = 60
# A cohort's briefing comes before the window (at most this long before it starts) and its
# workshop after the placements (at most this long after the window ends).
COHORT_MARGIN_MONTHS = 6
PROGRAMME_START_YEARS = 10, 5  # back, ahead of today
# Expressions of Interest open at most this long before the programme starts, and close
# by its start.
RECRUITMENT_MONTHS = 12


def programme_years(programme_start: dt.date) -> tuple[dt.date, dt.date]:
    """From a year before the programme starts to a year after its window ends."""
    return (
        add_months(programme_start, -PROGRAMME_MARGIN_MONTHS),
        add_months(window_end(programme_start), PROGRAMME_MARGIN_MONTHS),
    )


def years_back(today: dt.date, years: int) -> dt.date:
    return add_months(today, -12 * years)


def between(first: dt.date, last: dt.date, *, today: dt.date | None = None) -> str:
    """ "between 1 March 2026 and 1 September 2028", or "… and today (10 May 2027)"."""
    end = f"today ({date_format(last)})" if last == today else date_format(last)
    return f"between {date_format(first)} and {end}"


def outside(day: dt.date | None, first: dt.date, last: dt.date) -> bool:
    return day is not None and not first <= day <= last
