"""The cohort dashboard: every participant's commitments, the at-risk list first, and
charts, for the programme manager (and, for their people, the education lead and sponsor).

Built for a region's cohort (thousands of participants) in a fixed number of queries:

- `read_progress` reads the cohort's participants in the user's scope through
  `programme.progress.read_participants_progress`: only the columns the rules and the charts
  need, as tuples, in three queries, no model instances;
- `programme.progress.progress_reports` judges every participant, since the at-risk list,
  the counts, the status filter and the sorts need all of them;
- `progress_charts` draws the three charts from the same tuples.

Each `Row` is light (a name, an organisation, a report); what only a shown row needs (its
statuses and risks) is worked out when the template asks. The page shows the table and the
at-risk list a page at a time (`paged`); the CSV has every row.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from evaluation import services
from evaluation.models import Moment
from i2i import access, rules, svgcharts
from i2i.forms import whole_number
from participants.models import Cohort, Sector, SponsorMeeting
from placements.models import HalfDayStatus, Level
from programme.progress import (
    Progress,
    cycle_collector_paused,
    progress_reports,
    read_participants_progress,
)
from reflections.models import MidProgrammeReview

# The commitments shown as columns, in the order of the leaflet's learning cycle.
COLUMNS = ("placements", "half_days", "window", "outcomes_agreed", "reflections", "improvement")
TITLES = {
    "placements": "Three placements",
    "half_days": "Twelve half-days",
    "window": "Within six months",
    "outcomes_agreed": "Learning outcomes agreed",
    "reflections": "Reflective accounts shared",
    "improvement": "Improvement initiative implemented",
    "briefing": "Briefing attended",
    "workshop": "Workshop attended",
}
# The one vocabulary for a participant's overall status (rules.Overall), for the filter.
OVERALL = {overall.value: overall.label for overall in rules.Overall}
_NEEDS_ACTION = frozenset({rules.Overall.AT_RISK, rules.Overall.MISSED})
# The self-assessment's states in the table and the CSV.
SELF_ASSESSMENT = {
    "answered": "Answered",
    "open": "Open, not answered",
    "not_yet_open": "Not open yet",
    "closed": "Closed, not answered",
}
SORTS = {
    "risk": "At risk first",
    "name": "Name",
    "organisation": "Organisation",
    "half_days": "Half-days (fewest first)",
    "weeks_left": "Weeks left (fewest first)",
}
_SECTOR_LABELS = dict(Sector.choices)
_LEVEL_LABELS = dict(Level.choices)


@dataclass(slots=True)
class Row:
    """One participant: what the table, the at-risk list, the filters, the sorts and the CSV
    need, and nothing else (no model instances)."""

    pk: int
    name: str
    email: str
    organisation_id: int
    organisation_name: str
    report: rules.Report
    # Answered the self-assessment (at the start, at the end): not a commitment, but the
    # evaluation needs both.
    self_assessed: tuple[bool, bool] = (False, False)
    # Where each stands: answered, open, not_yet_open or closed (evaluation.services).
    self_assessment: tuple[str, str] = ("open", "not_yet_open")
    # The first day they met their sponsor, and the day their mid-programme review was held
    # (None: not yet). The review's words stay with the participant and line manager.
    sponsor_met_on: dt.date | None = None
    review_held_on: dt.date | None = None
    overall: rules.Overall = rules.Overall.ON_TRACK
    sort_name: str = ""

    def __post_init__(self):
        self.overall = self.report.overall
        self.sort_name = self.name.lower()

    @property
    def statuses(self) -> list[rules.Commitment]:
        return [self.report.get(code) for code in COLUMNS]

    @property
    def overall_label(self) -> str:
        return self.overall.label

    @property
    def risks(self) -> tuple[rules.Commitment, ...]:
        return self.report.risks


class OrganisationChoice(NamedTuple):
    pk: int
    name: str


@dataclass
class Dashboard:
    cohort: Cohort
    rows: list[Row]  # filtered and sorted: the table (a page at a time) and the CSV
    at_risk: list[Row]  # everyone at risk or who missed a commitment, whatever the filters
    organisations: list[OrganisationChoice]
    total: int
    met_counts: list[tuple[str, int]] = field(default_factory=list)
    # How many have not answered the self-assessment: (at the start, at the end).
    not_self_assessed: tuple[int, int] = (0, 0)
    # The start questions' last day and the day the end ones open, the same for everyone.
    self_assessment_dates: tuple[dt.date | None, dt.date | None] = (None, None)
    today: dt.date | None = None
    charts: dict[str, str] = field(default_factory=dict)


def read_progress(user, cohort: Cohort, *, touchpoints: bool = False) -> Progress:
    """The participants of the cohort in the user's scope; with `touchpoints`, each one's first
    sponsor meeting and mid-programme review day too, in the same query (`_touchpoints`)."""
    return read_participants_progress(
        access.visible_participants(user).filter(cohort=cohort),
        extra=_touchpoints() if touchpoints else None,
    )


def _touchpoints() -> dict:
    """The people around the participant (issue 19): when they first met their sponsor, and
    when their mid-programme review was held. Subqueries in the participants' own query, so
    the dashboard reads no more queries for them."""
    return {
        "sponsor_met_on": Subquery(
            SponsorMeeting.objects.filter(participant=OuterRef("pk"))
            .order_by("met_on")
            .values("met_on")[:1]
        ),
        "review_held_on": Subquery(
            MidProgrammeReview.objects.filter(participant=OuterRef("pk")).values("held_on")[:1]
        ),
    }


def _sort_key(sort: str):
    if sort == "name":
        return lambda r: r.sort_name
    if sort == "organisation":
        return lambda r: (r.organisation_name, r.sort_name)
    if sort == "half_days":
        return lambda r: (r.report.half_days_counted, r.sort_name)
    if sort == "weeks_left":
        return lambda r: (r.report.weeks_left, r.sort_name)
    return lambda r: (r.overall not in _NEEDS_ACTION, r.sort_name)


# Thousands of rows are built at once: see `cycle_collector_paused`.
@cycle_collector_paused()
def cohort_dashboard(
    user,
    cohort: Cohort,
    *,
    organisation: str = "",
    overall: str = "",
    sort: str = "risk",
    today: dt.date | None = None,
) -> Dashboard:
    today = today or timezone.localdate()
    progress = read_progress(user, cohort, touchpoints=True)
    reports = progress_reports(cohort, progress, today)
    states = {
        (before, after): (
            services.moment_state(cohort, Moment.BEFORE, before, today),
            services.moment_state(cohort, Moment.AFTER, after, today),
        )
        for before in (False, True)
        for after in (False, True)
    }
    all_rows = [
        Row(
            pk,
            full_name or email,
            email,
            org_id,
            org_name,
            reports[pk],
            (before, after),
            states[before, after],
            met_on,
            held_on,
        )
        for (
            pk,
            full_name,
            email,
            org_id,
            org_name,
            *_,
            met_on,
            held_on,
            before,
            after,
            _,
        ) in progress.participants
    ]
    organisations = sorted(
        {OrganisationChoice(r.organisation_id, r.organisation_name) for r in all_rows},
        key=lambda o: (o.name, o.pk),
    )
    rows = all_rows
    organisation_id = whole_number(organisation)
    if organisation_id is not None:
        rows = [r for r in rows if r.organisation_id == organisation_id]
    if overall in OVERALL:
        rows = [r for r in rows if r.overall == overall]
    rows = sorted(rows, key=_sort_key(sort if sort in SORTS else "risk"))
    met: Counter = Counter(
        c.code for r in all_rows for c in r.report.commitments if c.status == rules.Status.MET
    )
    return Dashboard(
        cohort=cohort,
        rows=rows,
        at_risk=[r for r in all_rows if r.overall in _NEEDS_ACTION],
        organisations=organisations,
        total=len(all_rows),
        met_counts=[(TITLES[code], met[code]) for code in (*COLUMNS, "briefing", "workshop")],
        not_self_assessed=(
            sum(1 for r in all_rows if not r.self_assessed[0]),
            sum(1 for r in all_rows if not r.self_assessed[1]),
        ),
        self_assessment_dates=(
            services.cohort_before_closes(cohort),
            services.cohort_after_opens(cohort),
        ),
        today=today,
        charts=progress_charts(cohort, progress, today),
    )


def progress_charts(cohort: Cohort, progress: Progress, today: dt.date) -> dict:
    """Progress over time, placements by host sector, half-days by level of seniority met,
    from the tuples `read_progress` returns."""
    start, end = cohort.programme_start, rules.window_end(cohort.programme_start)
    counted = set()
    sectors: Counter = Counter()
    for pk, _, _, _, sector, status, *_ in progress.placements:
        if status != "withdrawn":
            counted.add(pk)
            sectors[sector] += 1
    levels: Counter = Counter()
    completed_dates = []
    for placement_id, day, status, _, level in progress.half_days:
        if placement_id in counted and status == HalfDayStatus.COMPLETED and start <= day <= end:
            levels[level] += 1
            completed_dates.append(day)
    return draw_charts(cohort, len(progress.participants), sectors, levels, completed_dates, today)


def draw_charts(
    cohort: Cohort,
    participants: int,
    sectors: Counter,
    levels: Counter,
    completed_dates: list[dt.date],
    today: dt.date,
) -> dict:
    """The three SVG charts, from counts by sector and level code and the completed dates."""
    start, end = cohort.programme_start, rules.window_end(cohort.programme_start)
    weeks = max(1, ((min(today, end) - start).days // 7) + 1) if today >= start else 0
    labels, actual, expected = [], [], []
    completed_dates = sorted(completed_dates)
    needed = rules.HALF_DAYS_REQUIRED * participants
    total_weeks = max(1, (end - start).days / 7)
    index = 0
    for week in range(weeks):
        week_end = start + dt.timedelta(days=7 * week + 6)
        while index < len(completed_dates) and completed_dates[index] <= week_end:
            index += 1
        labels.append(f"{week_end.day} {week_end:%B}")  # "3 December": no short months
        actual.append(index)
        expected.append(round(needed * min(1, (week + 1) / total_weeks), 1))
    return {
        "progress": svgcharts.line_chart_svg(
            f"cohort-{cohort.pk}-progress",
            "Half-days completed, week by week",
            labels,
            actual,
            expected,
            actual_name="Completed",
            expected_name="At a steady pace",
        ),
        "sectors": svgcharts.bar_chart_svg(
            f"cohort-{cohort.pk}-sectors",
            "Placements by host sector",
            [(label, sectors[code]) for code, label in _SECTOR_LABELS.items() if sectors[code]],
        ),
        "levels": svgcharts.bar_chart_svg(
            f"cohort-{cohort.pk}-levels",
            "Half-days by level of seniority met",
            [(label, levels[code]) for code, label in _LEVEL_LABELS.items() if levels[code]],
        ),
    }
