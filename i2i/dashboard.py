"""The cohort dashboard: every participant's commitments, the at-risk list first, and
charts, for the programme manager (and, for their people, the education lead and sponsor).

Everything is read in a fixed number of queries (participants, placements with their
organisations and reflective-account status, half-days) and judged in memory by the rules.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from i2i import access, rules, svgcharts
from participants.models import Cohort, Organisation, Participant, Sector
from placements.models import HalfDayStatus, Level
from placements.selectors import commitment_reports, with_progress

# The commitments shown as columns, in the order of the leaflet's learning cycle.
COLUMNS = ("placements", "half_days", "window", "outcomes_agreed", "reflections", "improvement")
TITLES = {
    "placements": "Three placements",
    "half_days": "Twelve half-days",
    "window": "Within six months",
    "outcomes_agreed": "Learning outcomes agreed",
    "reflections": "Reflective accounts shared",
    "improvement": "Improvement initiative agreed",
    "briefing": "Briefing attended",
    "workshop": "Workshop attended",
}
OVERALL = {"at_risk": "At risk", "on_track": "On track", "complete": "Complete"}
SORTS = {
    "risk": "At risk first",
    "name": "Name",
    "organisation": "Organisation",
    "half_days": "Half-days (fewest first)",
    "weeks_left": "Weeks left (fewest first)",
}


@dataclass
class Row:
    participant: Participant
    report: rules.Report

    @property
    def statuses(self) -> list[rules.Commitment]:
        return [self.report.get(code) for code in COLUMNS]

    @property
    def overall(self) -> str:
        if self.report.at_risk:
            return "at_risk"
        if all(self.report.get(code).status == rules.Status.MET for code in COLUMNS):
            return "complete"
        return "on_track"

    @property
    def overall_label(self) -> str:
        return OVERALL[self.overall]

    @property
    def risks(self) -> list[rules.Commitment]:
        return [
            c
            for c in self.report.commitments
            if c.status in {rules.Status.AT_RISK, rules.Status.MISSED}
        ]


@dataclass
class Dashboard:
    cohort: Cohort
    rows: list[Row]
    at_risk: list[Row]
    organisations: list[Organisation]
    total: int
    met_counts: list[tuple[str, int]] = field(default_factory=list)
    charts: dict[str, str] = field(default_factory=dict)


def _sort_key(sort: str):
    if sort == "name":
        return lambda r: (str(r.participant.user).lower(),)
    if sort == "organisation":
        return lambda r: (r.participant.organisation.name, str(r.participant.user).lower())
    if sort == "half_days":
        return lambda r: (r.report.half_days_counted, str(r.participant.user).lower())
    if sort == "weeks_left":
        return lambda r: (r.report.weeks_left, str(r.participant.user).lower())
    return lambda r: (r.overall != "at_risk", str(r.participant.user).lower())


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
    participants = list(
        with_progress(
            access.visible_participants(user)
            .filter(cohort=cohort)
            .order_by("user__full_name", "user__email")
        )
    )
    reports = commitment_reports(participants, today)
    all_rows = [Row(p, reports[p.pk]) for p in participants]
    organisations = sorted(
        {p.organisation_id: p.organisation for p in participants}.values(), key=lambda o: o.name
    )
    rows = all_rows
    if organisation.isdigit():
        rows = [r for r in rows if r.participant.organisation_id == int(organisation)]
    if overall in OVERALL:
        rows = [r for r in rows if r.overall == overall]
    rows = sorted(rows, key=_sort_key(sort if sort in SORTS else "risk"))
    return Dashboard(
        cohort=cohort,
        rows=rows,
        at_risk=[r for r in all_rows if r.overall == "at_risk"],
        organisations=organisations,
        total=len(all_rows),
        met_counts=[
            (TITLES[code], sum(1 for r in all_rows if r.report.get(code).status == "met"))
            for code in (*COLUMNS, "briefing", "workshop")
        ],
        charts=cohort_charts(cohort, participants, today),
    )


def cohort_charts(cohort: Cohort, participants: list[Participant], today: dt.date) -> dict:
    """Progress over time, placements by host sector, half-days by level of seniority met."""
    start, end = cohort.programme_start, rules.window_end(cohort.programme_start)
    sectors: Counter = Counter()
    levels: Counter = Counter()
    completed_dates: list[dt.date] = []
    for participant in participants:
        for placement in participant.placements.all():
            if placement.status == "withdrawn":
                continue
            sectors[placement.organisation.get_sector_display()] += 1
            for half_day in placement.half_days.all():
                if half_day.status == HalfDayStatus.COMPLETED and start <= half_day.date <= end:
                    levels[half_day.get_level_display()] += 1
                    completed_dates.append(half_day.date)
    weeks = max(1, ((min(today, end) - start).days // 7) + 1) if today >= start else 0
    labels, actual, expected = [], [], []
    completed_dates.sort()
    needed = rules.HALF_DAYS_REQUIRED * len(participants)
    total_weeks = max(1, (end - start).days / 7)
    index = 0
    for week in range(weeks):
        week_end = start + dt.timedelta(days=7 * week + 6)
        while index < len(completed_dates) and completed_dates[index] <= week_end:
            index += 1
        labels.append(f"{week_end.day} {week_end:%b}")
        actual.append(index)
        expected.append(round(needed * min(1, (week + 1) / total_weeks), 1))
    sector_order = [label for _, label in Sector.choices]
    level_order = [label for _, label in Level.choices]
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
            [(label, sectors[label]) for label in sector_order if sectors[label]],
        ),
        "levels": svgcharts.bar_chart_svg(
            f"cohort-{cohort.pk}-levels",
            "Half-days by level of seniority met",
            [(label, levels[label]) for label in level_order if levels[label]],
        ),
    }
