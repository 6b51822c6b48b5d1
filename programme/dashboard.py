"""The cohort dashboard: every participant's commitments, the at-risk list first, and
charts, for the programme manager (and, for their people, the education lead and sponsor).

Built for a region's cohort (thousands of participants) in a fixed number of queries:

- `read_progress` reads only the columns the rules and the charts need, as tuples
  (participants with their name, email and organisation; placements with their host and
  reflective-account status; half-days): three queries, no model instances. The
  evaluation report reads any number of cohorts the same way (`read_participants_progress`);
- `progress_reports` turns them into the rules' records and judges every participant, since
  the at-risk list, the counts, the status filter and the sorts need all of them;
- `progress_charts` draws the three charts from the same tuples.

Each `Row` is light (a name, an organisation, a report); what only a shown row needs (its
statuses and risks) is worked out when the template asks. The page shows the table and the
at-risk list a page at a time (`paged`); the CSV has every row.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from evaluation import services
from evaluation.models import Moment, SelfAssessment
from i2i import access, rules, svgcharts
from improvements.models import ImprovementInitiative
from participants.models import Cohort, Sector
from placements.models import HalfDay, HalfDayStatus, Level, Placement
from reflections.models import ReflectiveAccount

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


@dataclass
class Progress:
    """What `read_progress` read: plain tuples, in the order the rules and charts want."""

    # (pk, full_name, email, organisation_id, organisation_name, briefing_attended,
    #  workshop_attended, improvement_agreed, answered_before, answered_after, cohort_id),
    #  by name
    participants: list[tuple]
    # (pk, participant_id, organisation_id, organisation_name, sector, status,
    #  outcomes_approved_on, reflection_status, outcomes_status), in the placements' own order
    placements: list[tuple]
    # (placement_id, date, status, person_met, level), by date and session
    half_days: list[tuple]


def read_progress(user, cohort: Cohort) -> Progress:
    """The participants of the cohort in the user's scope."""
    return read_participants_progress(access.visible_participants(user).filter(cohort=cohort))


def read_participants_progress(scoped) -> Progress:
    """Three queries, however many participants: the participants, their placements and
    their half-days, as tuples of the columns needed."""

    agreed = ImprovementInitiative.objects.filter(
        participant=OuterRef("pk"), agreed_first_at__isnull=False
    )
    answered = {
        f"answered_{moment}": Exists(
            SelfAssessment.objects.filter(participant=OuterRef("pk"), moment=moment)
        )
        for moment in Moment.values
    }
    participants = list(
        scoped.annotate(improvement_agreed=Exists(agreed), **answered)
        .order_by("user__full_name", "user__email", "pk")
        .values_list(
            "pk",
            "user__full_name",
            "user__email",
            "organisation_id",
            "organisation__name",
            "briefing_attended",
            "workshop_attended",
            "improvement_agreed",
            *answered,
            "cohort_id",
        )
    )
    ids = scoped.order_by().values("pk")
    account = ReflectiveAccount.objects.filter(placement=OuterRef("pk"))
    placements = list(
        Placement.objects.filter(participant__in=ids)
        .annotate(
            reflection_status=Subquery(account.values("status")[:1]),
            # The day in local time, as `timezone.localdate` would give it.
            outcomes_approved_on=TruncDate(
                "outcomes_first_approved_at", tzinfo=timezone.get_current_timezone()
            ),
        )
        .values_list(
            "pk",
            "participant_id",
            "organisation_id",
            "organisation__name",
            "organisation__sector",
            "status",
            "outcomes_approved_on",
            "reflection_status",
            "outcomes_status",
        )
    )
    half_days = list(
        HalfDay.objects.filter(placement__participant__in=ids)
        .order_by("date", "session")
        .values_list("placement_id", "date", "status", "person_met", "level")
    )
    return Progress(participants, placements, half_days)


def progress_reports(
    cohorts: Cohort | dict[int, Cohort], progress: Progress, today: dt.date
) -> dict[int, rules.Report]:
    """The rules' report for every participant, from the tuples (as
    `programme.progress.participant_record` builds them from model instances). `cohorts`
    is the participants' cohort, or their cohorts by id."""
    if isinstance(cohorts, Cohort):
        cohorts = {cohorts.pk: cohorts}
    half_days: defaultdict[int, list] = defaultdict(list)
    shared: dict[tuple, rules.HalfDayRecord] = {}  # equal records are immutable: build once
    for placement_id, *values in progress.half_days:
        key = tuple(values)
        record = shared.get(key)
        if record is None:
            record = shared[key] = rules.HalfDayRecord(*key)
        half_days[placement_id].append(record)
    placements: defaultdict[int, list] = defaultdict(list)
    for row in progress.placements:
        pk, participant_id, org_id, org_name, _, status, approved, reflection, outcomes = row
        placements[participant_id].append(
            rules.PlacementRecord(
                id=pk,
                organisation_id=org_id,
                organisation_name=org_name,
                status=status,
                outcomes_approved_on=approved,
                outcomes_status=outcomes,
                half_days=tuple(half_days.get(pk, ())),
                reflection_shared=reflection in {"shared", "discussed"},
            )
        )
    evaluate = rules.evaluate
    reports = {}
    for (
        pk,
        _,
        _,
        org_id,
        _,
        briefing,
        workshop,
        improvement,
        *_,
        cohort_id,
    ) in progress.participants:
        cohort = cohorts[cohort_id]
        record = rules.ParticipantRecord(
            programme_start=cohort.programme_start,
            employer_id=org_id,
            placements=tuple(placements.get(pk, ())),
            briefing_date=cohort.briefing_date,
            briefing_attended=briefing,
            workshop_date=cohort.workshop_date,
            workshop_attended=workshop,
            improvement_agreed=improvement,
        )
        reports[pk] = evaluate(record, today)
    return reports


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
    progress = read_progress(user, cohort)
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
        )
        for pk, full_name, email, org_id, org_name, *_, before, after, _ in progress.participants
    ]
    organisations = sorted(
        {OrganisationChoice(r.organisation_id, r.organisation_name) for r in all_rows},
        key=lambda o: (o.name, o.pk),
    )
    rows = all_rows
    if organisation.isdigit():
        rows = [r for r in rows if r.organisation_id == int(organisation)]
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
        labels.append(f"{week_end.day} {week_end:%b}")
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
