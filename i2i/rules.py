"""The I2I commitments, in one place.

Pure Python: no Django imports, so the rules can be tested exhaustively and run
for a whole region quickly. The numbers come from the programme leaflet
("Do": a minimum of 3 placements with different organisations over a six month
period, 4 half-days with each placement organisation).
"""

import calendar
import datetime as dt

PLACEMENTS_REQUIRED = 3
HALF_DAYS_PER_PLACEMENT = 4
WINDOW_MONTHS = 6


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's end: 31 Aug + 6 months is 28 (or 29) Feb."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last_day))


def window_end(programme_start: dt.date) -> dt.date:
    """The last day of the six-month window. The end date is inclusive: a half-day on it counts."""
    return add_months(programme_start, WINDOW_MONTHS)
