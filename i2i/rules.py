"""The I2I commitments, in one place.

Pure Python: no Django imports, so the rules can be tested exhaustively and run
for a whole region quickly. The numbers come from the programme leaflet
("Do": a minimum of 3 placements with different organisations over a six month
period, 4 half-days with each placement organisation).

`evaluate(participant, on=date)` takes plain records and returns a `Report`:
each commitment with a status, a sentence a person can read, and what is left
to do by when. Services use the same constants and `window_end` to refuse input
that would break a commitment.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

PLACEMENTS_REQUIRED = 3
HALF_DAYS_PER_PLACEMENT = 4
WINDOW_MONTHS = 6
HALF_DAYS_REQUIRED = PLACEMENTS_REQUIRED * HALF_DAYS_PER_PLACEMENT

# The "sensible pace" behind `at_risk`: a clinician can be released from service for
# at most one half-day a week without their own service suffering. When the half-days
# still needed will not fit into the weeks left at that pace, the commitment is at risk.
SENSIBLE_HALF_DAYS_PER_WEEK = 1
# A placement's reflective account is overdue this many days after its last counted half-day.
REFLECTION_DUE_DAYS = 14
# The leaflet's reflective accounts are "shared and discussed with their line manager": the
# discussion is due this many working days (Monday to Friday) after the account is shared.
DISCUSSION_DUE_WORKING_DAYS = 10

# The milestones: the pace alone warns too late (half-way through, twelve half-days still fit
# at one a week with nothing arranged), and arranging a placement with another organisation
# takes weeks. The programme's defaults; each cohort may change the weeks
# (`participants.models.Cohort`). A milestone's day is the programme start plus that many
# weeks: behind a milestone after its day, a participant is at risk on its commitment.
FIRST_PLACEMENT_WEEK = 4  # the first placement agreed with its host
THREE_PLACEMENTS_WEEK = 10  # three placements arranged
OUTCOMES_WEEKS_BEFORE = 2  # learning outcomes agreed this many weeks before a first half-day
HALF_DAYS_MILESTONE_WEEK = 13  # the half-way point
HALF_DAYS_BY_MILESTONE = 6  # half-days completed by then


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's end: 31 Aug + 6 months is 28 (or 29) Feb."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last_day))


@functools.lru_cache(maxsize=4096)
def window_end(programme_start: dt.date) -> dt.date:
    """The last day of the six-month window. The end date is inclusive: a half-day on it counts.
    Cached: a cohort's participants share one start."""
    return add_months(programme_start, WINDOW_MONTHS)


def in_window(day: dt.date, programme_start: dt.date) -> bool:
    return programme_start <= day <= window_end(programme_start)


def add_working_days(day: dt.date, days: int) -> dt.date:
    """The day `days` working days (Monday to Friday) after `day`. Bank holidays are not known
    and count as working days. Whole weeks at once: a weekend day counts from the Friday
    before it (the next working day is Monday either way), and five working days after a
    working day are seven days after it (the dashboard asks this for every shared account)."""
    if days <= 0:
        return day
    found = day - dt.timedelta(days=max(0, day.weekday() - 4))
    weeks, days = divmod(days, 5)
    found += dt.timedelta(weeks=weeks)
    while days > 0:
        found += dt.timedelta(days=1)
        if found.weekday() < 5:
            days -= 1
    return found


class Status(enum.StrEnum):
    """Where one commitment stands."""

    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


# The same words as a participant's `Overall`: a commitment that is met reads "Complete", so
# every page says one of "Not started", "On track", "At risk", "Missed" and "Complete".
STATUS_LABELS = {
    Status.MET: "Complete",
    Status.ON_TRACK: "On track",
    Status.AT_RISK: "At risk",
    Status.MISSED: "Missed",
}


class Overall(enum.StrEnum):
    """Where a participant stands, in one word: the only vocabulary every page, export and
    reminder uses for a person (`Report.overall`)."""

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return OVERALL_LABELS[self]


OVERALL_LABELS = {
    Overall.NOT_STARTED: "Not started",
    Overall.ON_TRACK: "On track",
    Overall.AT_RISK: "At risk",
    Overall.MISSED: "Missed",
    Overall.COMPLETE: "Complete",
}
# What each means, for the pages that explain the words.
OVERALL_MEANINGS = {
    Overall.NOT_STARTED: "No placement arranged yet, and nothing at risk.",
    Overall.ON_TRACK: "Under way, and every commitment can still be met at a sensible pace.",
    Overall.AT_RISK: "A commitment needs action now or it will be missed.",
    Overall.MISSED: "A commitment can no longer be met.",
    Overall.COMPLETE: "All eight commitments met.",
}


class HalfDayStatus(enum.StrEnum):
    PLANNED = "planned"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class PlacementStatus(enum.StrEnum):
    PLANNED = "planned"
    AGREED = "agreed"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    WITHDRAWN = "withdrawn"


class OutcomesStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class Clearance(enum.StrEnum):
    """The checks a host may need before a visitor's first half-day (issue #20). Which ones
    an offer or a host needs is theirs to say; the first half-day waits for all of them."""

    DBS = "dbs"
    HONORARY_CONTRACT = "honorary_contract"
    INFORMATION_GOVERNANCE = "information_governance"
    ID_BADGE = "id_badge"
    LOCAL_INDUCTION = "local_induction"
    OTHER = "other"


CLEARANCE_LABELS = {
    Clearance.DBS: "DBS check",
    Clearance.HONORARY_CONTRACT: "Honorary contract",
    Clearance.INFORMATION_GOVERNANCE: "Information governance training",
    Clearance.ID_BADGE: "ID badge",
    Clearance.LOCAL_INDUCTION: "Local induction",
    Clearance.OTHER: "Other check agreed with the host",
}


class Counting(enum.StrEnum):
    """Whether a placement counts towards the three, and if not, why."""

    COUNTS = "counts"
    # With a different organisation, but three others count already (more half-days, or
    # agreed in time): it adds experience, not to the commitment.
    EXTRA = "extra"
    SAME_ORGANISATION = "same_organisation"
    EMPLOYER = "employer"
    WITHDRAWN = "withdrawn"


# Records: what the rules need to know, and nothing else ---------------------


@dataclass(frozen=True)
class HalfDayRecord:
    date: dt.date
    status: str = HalfDayStatus.COMPLETED
    person_met: str = ""
    level: str = ""


@dataclass(frozen=True)
class PlacementRecord:
    id: int
    organisation_id: int
    organisation_name: str = ""
    status: str = PlacementStatus.AGREED
    # The day the line manager first approved this placement's learning outcomes.
    outcomes_approved_on: dt.date | None = None
    # Where the outcomes stand now: changed or returned after approval, they wait for the
    # line manager again, and no new half-day may be logged until they agree them.
    outcomes_status: str = OutcomesStatus.APPROVED
    half_days: tuple[HalfDayRecord, ...] = ()
    # Shared with the line manager (or discussed): the participant's part is done.
    reflection_shared: bool = False
    # The line manager recorded the discussion: what the reflections commitment counts.
    reflection_discussed: bool = False
    # The day it was (last) shared, from which the discussion is due.
    reflection_shared_on: dt.date | None = None


@dataclass(frozen=True)
class Milestones:
    """A cohort's milestones, in weeks from the programme start (the programme's defaults
    unless the programme manager changed them for the cohort)."""

    first_placement_week: int = FIRST_PLACEMENT_WEEK
    three_placements_week: int = THREE_PLACEMENTS_WEEK
    outcomes_weeks_before: int = OUTCOMES_WEEKS_BEFORE
    half_days_week: int = HALF_DAYS_MILESTONE_WEEK

    def day(self, start: dt.date, week: int) -> dt.date:
        """The milestone's day: `week` weeks after the programme start. Not behind on it;
        behind from the day after."""
        return start + dt.timedelta(weeks=week)


DEFAULT_MILESTONES = Milestones()


@functools.lru_cache(maxsize=256)
def milestones(
    first_placement_week: int | None = None,
    three_placements_week: int | None = None,
    outcomes_weeks_before: int | None = None,
    half_days_week: int | None = None,
) -> Milestones:
    """One shared record per set of weeks (a cohort's participants share theirs); a week not
    given is the programme's default."""
    given = {
        "first_placement_week": first_placement_week,
        "three_placements_week": three_placements_week,
        "outcomes_weeks_before": outcomes_weeks_before,
        "half_days_week": half_days_week,
    }
    return Milestones(**{k: v for k, v in given.items() if v is not None})


@dataclass(frozen=True)
class ImprovementRecord:
    """What the `improvement` commitment reads of the participant's initiative (issue #21):
    the leaflet asks them to *implement* a modest improvement, so agreeing the plan is only
    the start; the line manager confirms the implementation at the end."""

    # The line manager agreed the plan (once agreed, it counts even while being changed).
    agreed: bool = False
    # The first PDSA cycle's start date: the change was first made then.
    first_cycle_started_on: dt.date | None = None
    # The earliest end date of a cycle with an end date and an act (adopt, adapt, abandon).
    cycle_completed_on: dt.date | None = None
    # The earliest data point marked "a change starts here" (Making Data Count's rebase).
    phase_started_on: dt.date | None = None
    # The latest data point of any measure.
    last_data_on: dt.date | None = None
    # Waiting for the line manager's review of the implementation.
    review_asked: bool = False
    # The day the line manager confirmed it "implemented and reviewed".
    reviewed_on: dt.date | None = None

    def cycle_completed(self, on: dt.date) -> bool:
        """A PDSA cycle is complete from its end date, once its act is decided."""
        return self.cycle_completed_on is not None and self.cycle_completed_on <= on

    @property
    def data_after_change(self) -> bool:
        """A measure has data from after the change: a point dated after the first cycle's
        start, or a point that starts a phase (the first point of the changed process)."""
        if self.last_data_on is None:
            return False
        if self.phase_started_on is not None and self.last_data_on >= self.phase_started_on:
            return True
        return (
            self.first_cycle_started_on is not None
            and self.last_data_on > self.first_cycle_started_on
        )

    def implemented(self, on: dt.date) -> bool:
        """Both conditions for asking the line manager's review."""
        return self.cycle_completed(on) and self.data_after_change


NO_INITIATIVE = ImprovementRecord()


@dataclass(frozen=True)
class ParticipantRecord:
    programme_start: dt.date
    employer_id: int
    placements: tuple[PlacementRecord, ...] = ()
    briefing_date: dt.date | None = None
    briefing_attended: bool | None = None
    workshop_date: dt.date | None = None
    workshop_attended: bool | None = None
    improvement: ImprovementRecord = NO_INITIATIVE
    milestones: Milestones = DEFAULT_MILESTONES
    # Named in the reflections commitment ("Shared with <name>"); "" says "your line manager".
    line_manager_name: str = ""


# The report ------------------------------------------------------------------


class Commitment(NamedTuple):
    code: str
    title: str
    status: Status
    sentence: str
    to_do: str = ""
    due: dt.date | None = None
    done: int | None = None
    needed: int | None = None


class PlacementProgress(NamedTuple):
    placement_id: int
    organisation_name: str
    counting: Counting
    half_days_done: int
    outcomes_in_time: bool
    # Of two placements with one organisation, the one that counts for it.
    same_as: int | None = None
    # The day of the fourth counted half-day, and the reflective account's due date.
    completed_on: dt.date | None = None
    reflection_due: dt.date | None = None
    reflection_overdue: bool = False

    @property
    def counted(self) -> bool:
        """Counts towards the three."""
        return self.counting == Counting.COUNTS


def _nothing() -> tuple:
    return ()


@dataclass(frozen=True, eq=False)
class Report:
    """One participant's eight commitments on one day, with what the pages show beside them.

    Each placement's progress and the variety guidance are worked out when first read: a
    dashboard judges thousands of participants and shows a page of them. The programme's
    numbers are here too, so that templates print them instead of writing 3, 12 or 4."""

    on: dt.date
    window_start: dt.date
    window_end: dt.date
    weeks_left: int
    # Towards the three (never more than three); `placements_arranged` has the extras too.
    placements_counted: int
    half_days_counted: int
    commitments: tuple[Commitment, ...]
    placements_arranged: int = 0
    _placements: Callable[[], tuple[PlacementProgress, ...]] = field(default=_nothing, repr=False)
    _guidance: Callable[[], tuple[str, ...]] = field(default=_nothing, repr=False)

    placements_required: ClassVar[int] = PLACEMENTS_REQUIRED
    half_days_required: ClassVar[int] = HALF_DAYS_REQUIRED
    half_days_per_placement: ClassVar[int] = HALF_DAYS_PER_PLACEMENT

    @functools.cached_property
    def placements(self) -> tuple[PlacementProgress, ...]:
        """Each placement: whether it counts, its half-days, completion and reflection due."""
        return self._placements()

    @functools.cached_property
    def guidance(self) -> tuple[str, ...]:
        return self._guidance()

    @property
    def window_weeks(self) -> int:
        """The whole window in weeks (26), as `weeks_left` counts them."""
        return ((self.window_end - self.window_start).days + 1) // 7

    def _compared(self) -> tuple:
        return (
            self.on,
            self.window_start,
            self.window_end,
            self.weeks_left,
            self.placements_counted,
            self.half_days_counted,
            self.commitments,
            self.placements_arranged,
            self.placements,
            self.guidance,
        )

    def __eq__(self, other) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return self._compared() == other._compared()

    __hash__ = None

    @property
    def met_count(self) -> int:
        return sum(1 for c in self.commitments if c.status == Status.MET)

    @property
    def at_risk(self) -> bool:
        """At risk or missed: someone needs to act."""
        return any(c.status in {Status.AT_RISK, Status.MISSED} for c in self.commitments)

    @property
    def overall(self) -> Overall:
        """Missed if any commitment is, then at risk, then complete when all eight are met,
        not started while no placement is arranged, and otherwise on track."""
        statuses = {c.status for c in self.commitments}
        if Status.MISSED in statuses:
            return Overall.MISSED
        if Status.AT_RISK in statuses:
            return Overall.AT_RISK
        if statuses == {Status.MET}:
            return Overall.COMPLETE
        if self.placements_arranged == 0:
            return Overall.NOT_STARTED
        return Overall.ON_TRACK

    @property
    def risks(self) -> tuple[Commitment, ...]:
        return tuple(c for c in self.commitments if c.status in {Status.AT_RISK, Status.MISSED})

    def get(self, code: str) -> Commitment:
        return next(c for c in self.commitments if c.code == code)


CODES = (
    "placements",
    "half_days",
    "window",
    "outcomes_agreed",
    "reflections",
    "improvement",
    "briefing",
    "workshop",
)


@functools.lru_cache(maxsize=4096)
def _fmt(day: dt.date) -> str:
    """A date as the pages write it; cached, since a cohort's participants share their
    window's dates and strftime is slow."""
    return f"{day.day} {day:%B %Y}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class _Facts(NamedTuple):
    """What one placement's half-days say, worked out once per evaluation: every commitment
    and the placement's own progress read these instead of walking the half-days again."""

    completed: int  # completed, in the window or not
    counted: int  # completed in the window
    first_completed: dt.date | None  # the first completed, in the window or not
    completed_on: dt.date | None  # the fourth completed in the window
    in_time: bool  # outcomes approved on or before the first completed half-day
    agreed: bool  # in time, and still approved (or the four half-days already done)


def _facts(placement: PlacementRecord, start: dt.date, end: dt.date) -> _Facts:
    first = None
    completed = 0
    in_window = []
    for h in placement.half_days:
        if h.status == HalfDayStatus.COMPLETED:
            completed += 1
            day = h.date
            if first is None or day < first:
                first = day
            if start <= day <= end:
                in_window.append(day)
    counted = len(in_window)
    complete = counted >= HALF_DAYS_PER_PLACEMENT
    approved = placement.outcomes_approved_on
    in_time = approved is not None and (first is None or approved <= first)
    return _Facts(
        completed=completed,
        counted=counted,
        first_completed=first,
        completed_on=sorted(in_window)[HALF_DAYS_PER_PLACEMENT - 1] if complete else None,
        in_time=in_time,
        # Outcomes changed (or returned) after approval wait for the line manager again,
        # unless the placement's four half-days are already done (what it set out to learn
        # was agreed before the visits).
        agreed=in_time and (placement.outcomes_status == OutcomesStatus.APPROVED or complete),
    )


def weekly_dates_left(on: dt.date, start: dt.date, end: dt.date) -> int:
    """How many half-days still fit at one a week: the dates `on`, `on` + 7 days, … up to the
    window's last day (inclusive), counted from the window's start if it has not begun."""
    first = max(on, start)
    if first > end:
        return 0
    return (end - first).days // 7 + 1


class _Counted(NamedTuple):
    """One organisation's placement that counts, and what its organisation has done."""

    placement: PlacementRecord
    facts: _Facts
    done: int
    reflection_shared: bool
    reflection_discussed: bool = False
    # Shared and waiting for the discussion: the day it was shared (the earliest, if two).
    waiting_since: dt.date | None = None


def _one_per_organisation(
    participant: ParticipantRecord, facts: dict[int, _Facts]
) -> list[_Counted]:
    """The placements that count: not withdrawn, not with the participant's own employer,
    and one per organisation (a second placement with the same organisation does not count
    towards the three). Of two with one organisation, the one whose outcomes were agreed in
    time counts, then the one with more half-days (up to four, so a fifth never changes which
    counts), then the one arranged first. So an accepted half-day can only add to what is
    met, never take it away. Sorted with the most half-days first: the first three count."""
    best: dict[int, tuple[tuple, PlacementRecord, _Facts, int]] = {}
    shared: dict[int, bool] = {}
    discussed: dict[int, bool] = {}
    waiting: dict[int, dt.date] = {}
    for placement in participant.placements:
        if placement.status == PlacementStatus.WITHDRAWN:
            continue
        org = placement.organisation_id
        if org == participant.employer_id:
            continue
        fact = facts[id(placement)]
        done = min(fact.counted, HALF_DAYS_PER_PLACEMENT)
        key = (fact.in_time, done, -placement.id)
        if org not in best or key > best[org][0]:
            best[org] = (key, placement, fact, done)
        # An organisation's reflective account may be on any of its placements.
        shared[org] = shared.get(org, False) or placement.reflection_shared
        discussed[org] = discussed.get(org, False) or placement.reflection_discussed
        since = placement.reflection_shared_on
        if placement.reflection_shared and not placement.reflection_discussed and since:
            waiting[org] = min(since, waiting.get(org, since))
    counted = [
        _Counted(
            p,
            f,
            done,
            shared[org],
            discussed[org],
            None if discussed[org] else waiting.get(org),
        )
        for org, (_, p, f, done) in best.items()
    ]
    return sorted(counted, key=lambda c: (-c.done, c.placement.id))


def _reflection_due(counted: _Counted) -> dt.date | None:
    """Two weeks after the placement's fourth counted half-day, while none is shared."""
    completed = counted.facts.completed_on
    if counted.reflection_shared or completed is None:
        return None
    return completed + dt.timedelta(days=REFLECTION_DUE_DAYS)


def _pace_status(needed: int, on: dt.date, start: dt.date, end: dt.date) -> Status:
    if on > end:
        return Status.MISSED
    if needed > weekly_dates_left(on, start, end) * SENSIBLE_HALF_DAYS_PER_WEEK:
        return Status.AT_RISK
    return Status.ON_TRACK


def _placement_progress(
    placement: PlacementRecord,
    fact: _Facts,
    participant: ParticipantRecord,
    by_organisation: dict[int, _Counted],
    top: set[int],
    on: dt.date,
) -> PlacementProgress:
    """Whether one placement counts towards the three, and if not, why."""
    same_as = None
    due = None
    best = by_organisation.get(placement.organisation_id)
    if placement.status == PlacementStatus.WITHDRAWN:
        counting = Counting.WITHDRAWN
    elif placement.organisation_id == participant.employer_id:
        counting = Counting.EMPLOYER
    elif best is not None and best.placement.id != placement.id:
        counting = Counting.SAME_ORGANISATION
        same_as = best.placement.id
    else:
        counting = Counting.COUNTS if placement.id in top else Counting.EXTRA
        due = _reflection_due(best)
    return PlacementProgress(
        placement_id=placement.id,
        organisation_name=placement.organisation_name,
        counting=counting,
        half_days_done=fact.counted,
        outcomes_in_time=fact.in_time,
        same_as=same_as,
        completed_on=fact.completed_on,
        reflection_due=due,
        reflection_overdue=due is not None and on > due,
    )


def evaluate(participant: ParticipantRecord, on: dt.date) -> Report:
    start = participant.programme_start
    end = window_end(start)
    facts = {id(p): _facts(p, start, end) for p in participant.placements}
    counted = _one_per_organisation(participant, facts)
    top = counted[:PLACEMENTS_REQUIRED]
    half_days_done = sum(c.done for c in top)
    # Half-days still needed: for the placements arranged, and four for each one not yet.
    half_days_needed = HALF_DAYS_REQUIRED - half_days_done
    # Whole weeks to the inclusive end; before the window starts, the whole window is left.
    weeks_left = ((end - max(on, start)).days + 1) // 7 if on <= end else 0

    milestones = participant.milestones
    commitments = (
        _placements_commitment(counted, half_days_needed, on, start, end, milestones),
        _half_days_commitment(top, half_days_done, half_days_needed, on, start, end, milestones),
        _window_commitment(participant, facts, half_days_needed, on, start, end),
        _outcomes_commitment(counted, on, end, milestones),
        _reflections_commitment(counted, on, participant.line_manager_name),
        _improvement_commitment(participant, top, on, end),
        _event_commitment(
            "briefing", "Briefing", participant.briefing_date, participant.briefing_attended, on
        ),
        _event_commitment(
            "workshop", "Workshop", participant.workshop_date, participant.workshop_attended, on
        ),
    )

    def placements() -> tuple[PlacementProgress, ...]:
        by_organisation = {c.placement.organisation_id: c for c in counted}
        top_ids = {c.placement.id for c in top}
        return tuple(
            _placement_progress(p, facts[id(p)], participant, by_organisation, top_ids, on)
            for p in participant.placements
        )

    return Report(
        on=on,
        window_start=start,
        window_end=end,
        weeks_left=weeks_left,
        placements_counted=len(top),
        half_days_counted=half_days_done,
        commitments=commitments,
        placements_arranged=len(counted),
        _placements=placements,
        _guidance=lambda: tuple(_variety_guidance(participant.placements)),
    )


def _agreed_with_host(counted: _Counted) -> bool:
    """Agreed with its host: no longer only planned (or a half-day already took place)."""
    return counted.placement.status != PlacementStatus.PLANNED or counted.facts.completed > 0


def _placements_behind(counted, on, start, milestones: Milestones) -> list[tuple[str, str]]:
    """The placement milestones passed and not met, as (sentence, what would clear it)."""
    behind = []
    first = milestones.day(start, milestones.first_placement_week)
    if on > first and not any(_agreed_with_host(c) for c in counted):
        behind.append(
            (
                f"The first placement should have been agreed by week "
                f"{milestones.first_placement_week} ({_fmt(first)}).",
                "Agree a placement with a host organisation",
            )
        )
    three = milestones.day(start, milestones.three_placements_week)
    missing = PLACEMENTS_REQUIRED - len(counted)
    if on > three and missing > 0:
        behind.append(
            (
                f"Three placements should have been arranged by week "
                f"{milestones.three_placements_week} ({_fmt(three)}).",
                f"Arrange {missing} more {'placement' if missing == 1 else 'placements'}",
            )
        )
    return behind


def _placements_commitment(
    counted, half_days_needed, on, start, end, milestones: Milestones = DEFAULT_MILESTONES
) -> Commitment:
    """Met with three organisations arranged. At risk when their half-days no longer fit at
    one a week, or when behind a milestone: the first placement agreed with its host by week
    4, three arranged by week 10 (the cohort's weeks), with the milestone named."""
    n = len(counted)
    title = "Three placements with different organisations"
    if n >= PLACEMENTS_REQUIRED:
        return Commitment(
            "placements",
            title,
            Status.MET,
            f"{_plural(n, 'placement')} arranged with different organisations.",
            done=min(n, PLACEMENTS_REQUIRED),
            needed=PLACEMENTS_REQUIRED,
        )
    missing = PLACEMENTS_REQUIRED - n
    status = _pace_status(half_days_needed, on, start, end)
    sentence = (
        f"{_plural(n, 'placement')} arranged; {missing} more needed, each with a different "
        "organisation from your employer and each other."
    )
    to_do = f"Arrange {missing} more {'placement' if missing == 1 else 'placements'}"
    due: dt.date | None = end
    if status == Status.MISSED:
        sentence = f"The window closed on {_fmt(end)} with {_plural(n, 'placement')} arranged."
        to_do, due = "", None
    else:
        if status == Status.AT_RISK:
            sentence += (
                " The half-days they need no longer fit at one a week before the window ends."
            )
        behind = _placements_behind(counted, on, start, milestones)
        if behind:
            # The milestone first: it is what someone should act on now.
            status = Status.AT_RISK
            sentence = " ".join(text for text, _ in behind) + " " + sentence
            to_do, due = behind[0][1], None
    return Commitment(
        "placements",
        title,
        status,
        sentence,
        to_do=to_do,
        due=due,
        done=n,
        needed=PLACEMENTS_REQUIRED,
    )


def _half_days_commitment(
    top, done, needed, on, start, end, milestones: Milestones = DEFAULT_MILESTONES
) -> Commitment:
    """Met with four half-days at each of three organisations. At risk when those still
    needed no longer fit at one a week, or when fewer than six were done by the half-way
    milestone (week 13, or the cohort's week)."""
    title = "Four half-days with each placement organisation"
    if needed == 0:
        return Commitment(
            "half_days",
            title,
            Status.MET,
            f"{HALF_DAYS_PER_PLACEMENT} half-days completed with each of "
            f"{PLACEMENTS_REQUIRED} organisations.",
            done=HALF_DAYS_REQUIRED,
            needed=HALF_DAYS_REQUIRED,
        )
    status = _pace_status(needed, on, start, end)
    short = [
        f"{c.placement.organisation_name or 'placement'} ({c.done} of {HALF_DAYS_PER_PLACEMENT})"
        for c in top
        if c.done < HALF_DAYS_PER_PLACEMENT
    ]
    sentence = f"{done} of {HALF_DAYS_REQUIRED} half-days completed in the window."
    if short:
        sentence += " Still to complete: " + ", ".join(short) + "."
    if status == Status.AT_RISK:
        sentence += (
            f" {_plural(needed, 'half-day')} still needed will not fit at one a week "
            f"before {_fmt(end)}."
        )
    if status == Status.MISSED:
        sentence = (
            f"The window closed on {_fmt(end)} with {done} of {HALF_DAYS_REQUIRED} half-days."
        )
    else:
        milestone = milestones.day(start, milestones.half_days_week)
        if on > milestone and done < HALF_DAYS_BY_MILESTONE:
            status = Status.AT_RISK
            sentence = (
                f"{HALF_DAYS_BY_MILESTONE} half-days should have been completed by week "
                f"{milestones.half_days_week} ({_fmt(milestone)}). " + sentence
            )
    return Commitment(
        "half_days",
        title,
        status,
        sentence,
        to_do=f"Complete {_plural(needed, 'more half-day')}" if status != Status.MISSED else "",
        due=end if status != Status.MISSED else None,
        done=done,
        needed=HALF_DAYS_REQUIRED,
    )


def _window_commitment(participant, facts, needed, on, start, end) -> Commitment:
    title = "Within six months"
    outside = sum(
        facts[id(p)].completed - facts[id(p)].counted
        for p in participant.placements
        if p.status != PlacementStatus.WITHDRAWN
    )
    note = (
        f" {_plural(outside, 'completed half-day')} fell outside the window and "
        f"{'does' if outside == 1 else 'do'} not count."
        if outside
        else ""
    )
    window = f"The window runs from {_fmt(start)} to {_fmt(end)}, inclusive."
    if needed == 0:
        return Commitment(
            "window", title, Status.MET, f"All counted half-days fell in the window. {window}{note}"
        )
    status = _pace_status(needed, on, start, end)
    if status == Status.MISSED:
        return Commitment("window", title, status, f"The window closed on {_fmt(end)}.{note}")
    if on < start:
        sentence = f"{window} It has not started yet.{note}"
    else:
        days_left = (end - on).days + 1
        sentence = f"{window} {_plural(days_left // 7, 'week')} left.{note}"
    if outside and status == Status.ON_TRACK:
        status = Status.AT_RISK
    return Commitment(
        "window",
        title,
        status,
        sentence,
        to_do="Complete every half-day",
        due=end,
    )


def _first_half_day(placement: PlacementRecord) -> dt.date | None:
    """The earliest half-day planned or done (not cancelled)."""
    days = [h.date for h in placement.half_days if h.status != HalfDayStatus.CANCELLED]
    return min(days) if days else None


def _outcomes_behind(counted, on, milestones: Milestones) -> list[tuple[str, dt.date, dt.date]]:
    """Placements with a half-day booked whose learning outcomes are not agreed, when the
    milestone (two weeks before that first half-day, or the cohort's weeks) has passed: as
    (name, the milestone's day, the first half-day)."""
    behind = []
    for c in counted:
        if c.facts.agreed or c.facts.first_completed is not None:
            continue
        first = _first_half_day(c.placement)
        if first is None:
            continue
        by = first - dt.timedelta(weeks=milestones.outcomes_weeks_before)
        if on > by:
            behind.append((c.placement.organisation_name or "a placement", by, first))
    return behind


def _outcomes_commitment(
    counted, on, end, milestones: Milestones = DEFAULT_MILESTONES
) -> Commitment:
    """Met when three placements had their learning outcomes agreed before their first
    half-day. At risk when a half-day took place before, or when a half-day is booked within
    two weeks (the cohort's milestone) and its placement's outcomes are not agreed yet."""
    title = "Learning outcomes agreed before each placement"
    agreed = [c.placement for c in counted if c.facts.agreed]
    # Agreed in time, then changed or returned: waiting for the line manager again.
    changed = [c.placement for c in counted if c.facts.in_time and not c.facts.agreed]
    not_in_time = [c for c in counted if not c.facts.in_time]
    late = [c.placement for c in not_in_time if c.facts.first_completed is not None]
    waiting = [c.placement for c in not_in_time if c.facts.first_completed is None]
    if len(agreed) >= PLACEMENTS_REQUIRED:
        return Commitment(
            "outcomes_agreed",
            title,
            Status.MET,
            f"Learning outcomes were agreed before the first half-day of "
            f"{_plural(len(agreed), 'placement')}.",
            done=PLACEMENTS_REQUIRED,
            needed=PLACEMENTS_REQUIRED,
        )
    if late:
        names = ", ".join(p.organisation_name or "a placement" for p in late)
        status = Status.MISSED if on > end else Status.AT_RISK
        return Commitment(
            "outcomes_agreed",
            title,
            status,
            f"Half-days at {names} took place before the learning outcomes were agreed.",
            to_do="Agree learning outcomes with your line manager before the next half-day",
            done=len(agreed),
            needed=PLACEMENTS_REQUIRED,
        )
    if on > end:
        return Commitment(
            "outcomes_agreed",
            title,
            Status.MISSED,
            f"The window closed with learning outcomes agreed for "
            f"{_plural(len(agreed), 'placement')}.",
            done=len(agreed),
            needed=PLACEMENTS_REQUIRED,
        )
    sentence = f"Learning outcomes agreed for {len(agreed)} of {PLACEMENTS_REQUIRED} placements."
    if changed:
        names = ", ".join(p.organisation_name or "a placement" for p in changed)
        sentence += (
            f" The outcomes for {names} changed after they were agreed and are waiting for "
            "your line manager again: no new half-day until they agree them."
        )
    behind = _outcomes_behind(counted, on, milestones)
    if behind:
        weeks = _plural(milestones.outcomes_weeks_before, "week")
        late_ones = " ".join(
            f"The learning outcomes for {name} should have been agreed by {_fmt(by)}, "
            f"{weeks} before its first half-day on {_fmt(first)}."
            for name, by, first in behind
        )
        names = ", ".join(name for name, _, _ in behind)
        return Commitment(
            "outcomes_agreed",
            title,
            Status.AT_RISK,
            f"{late_ones} {sentence}",
            to_do=f"Agree the learning outcomes for {names} with your line manager before "
            "the first half-day there",
            done=len(agreed),
            needed=PLACEMENTS_REQUIRED,
        )
    to_agree = len(waiting) + len(changed) + max(0, PLACEMENTS_REQUIRED - len(counted))
    return Commitment(
        "outcomes_agreed",
        title,
        Status.ON_TRACK,
        sentence,
        to_do=f"Agree learning outcomes for {_plural(to_agree, 'more placement')}, "
        f"each before its {'next' if changed else 'first'} half-day",
        done=len(agreed),
        needed=PLACEMENTS_REQUIRED,
    )


@functools.lru_cache(maxsize=4096)
def discussion_due(shared_on: dt.date) -> dt.date:
    """The day the line manager's discussion of an account shared on `shared_on` is due:
    ten working days later (`DISCUSSION_DUE_WORKING_DAYS`). The reminder goes that day."""
    return add_working_days(shared_on, DISCUSSION_DUE_WORKING_DAYS)


def _reflections_commitment(counted: list[_Counted], on, manager: str = "") -> Commitment:
    """The leaflet: each account is "shared and discussed with their line manager". Met when
    three of the organisations that count each have an account whose discussion the line
    manager recorded. At risk when a placement completed more than two weeks ago has none
    shared, or when a shared account's discussion is more than ten working days after its
    sharing; shared and waiting for the discussion is otherwise on track."""
    title = "A reflective account of each placement, shared and discussed with your line manager"
    discussed = sum(1 for c in counted if c.reflection_discussed)
    if discussed >= PLACEMENTS_REQUIRED:
        return Commitment(
            "reflections",
            title,
            Status.MET,
            "A reflective account of each placement has been shared and discussed with your "
            "line manager.",
            done=PLACEMENTS_REQUIRED,
            needed=PLACEMENTS_REQUIRED,
        )
    who = manager or "your line manager"
    overdue = []
    waiting = []  # (name, shared on, discussion due)
    for c in counted:
        name = c.placement.organisation_name or "a placement"
        due = _reflection_due(c)
        if due is not None and on > due:
            overdue.append((name, due))
        if c.waiting_since is not None:
            waiting.append((name, c.waiting_since, discussion_due(c.waiting_since)))
    sentence = (
        f"{discussed} of {PLACEMENTS_REQUIRED} reflective accounts discussed with your line "
        "manager."
    )
    late = [(name, since, due) for name, since, due in waiting if on > due]
    for name, since, due in waiting:
        if on > due:
            sentence += (
                f" {name}: shared with {who} on {_fmt(since)}; the discussion was due by "
                f"{_fmt(due)}, {DISCUSSION_DUE_WORKING_DAYS} working days later."
            )
        else:
            sentence += f" {name}: shared with {who}; waiting for you to discuss it by {_fmt(due)}."
    discuss = (
        "Discuss the reflective account of "
        + ", ".join(name for name, _, _ in (late or waiting))
        + " and record the discussion"
    )
    if overdue or late:
        to_do = (
            discuss
            if late and not overdue
            else ("Write and share the overdue reflective accounts with your line manager")
        )
        if overdue:
            names = ", ".join(f"{name} (due {_fmt(due)})" for name, due in overdue)
            sentence += f" Overdue: {names}."
        return Commitment(
            "reflections",
            title,
            Status.AT_RISK,
            sentence,
            to_do=to_do,
            done=discussed,
            needed=PLACEMENTS_REQUIRED,
        )
    if waiting:
        return Commitment(
            "reflections",
            title,
            Status.ON_TRACK,
            sentence,
            to_do=discuss,
            due=min(due for _, _, due in waiting),
            done=discussed,
            needed=PLACEMENTS_REQUIRED,
        )
    return Commitment(
        "reflections",
        title,
        Status.ON_TRACK,
        sentence,
        to_do="Write and share a reflective account of each placement within two weeks "
        "of finishing it",
        done=discussed,
        needed=PLACEMENTS_REQUIRED,
    )


IMPROVEMENT_TITLE = (
    "A service improvement initiative implemented and reviewed with your line manager"
)
# What is still to do once the plan is agreed, as the sentence names it and as the action.
STILL_TO_DO = {
    "cycle": (
        "a completed PDSA cycle",
        "Complete a PDSA cycle: record its end date and what you decided (adopt, adapt or abandon)",
    ),
    "data": (
        "data after the change",
        "Add data from after the change to one of your measures",
    ),
    "review": (
        "your line manager's review of the implementation",
        "Ask your line manager to review the implementation",
    ),
}


def _improvement_commitment(participant, top, on, end) -> Commitment:
    """Met when the initiative is implemented (a completed PDSA cycle and data after the
    change) and the line manager has reviewed it; an agreed plan is on track (issue #21)."""
    title = IMPROVEMENT_TITLE
    improvement = participant.improvement
    if not improvement.agreed:
        return _improvement_not_agreed(top, on)
    missing = []
    if not improvement.cycle_completed(on):
        missing.append("cycle")
    if not improvement.data_after_change:
        missing.append("data")
    if improvement.reviewed_on is None:
        missing.append("review")
    if not missing:
        return Commitment(
            "improvement",
            title,
            Status.MET,
            "Your improvement initiative is implemented and was reviewed by your line "
            f"manager on {_fmt(improvement.reviewed_on)}.",
        )
    if missing == ["review"] and improvement.review_asked:
        sentence = (
            "Your initiative is implemented and waiting for your line manager's review "
            "of the implementation."
        )
        to_do = "Your line manager to review the implementation"
    else:
        sentence = (
            "Your initiative is agreed. Still to do: "
            + "; ".join(STILL_TO_DO[m][0] for m in missing)
            + "."
        )
        to_do = STILL_TO_DO[missing[0]][1]
    # At risk once the six months are over: the leaflet's "Act" belongs to the programme.
    if on > end:
        return Commitment(
            "improvement",
            title,
            Status.AT_RISK,
            f"The six months ended on {_fmt(end)}. {sentence}",
            to_do=to_do,
        )
    return Commitment("improvement", title, Status.ON_TRACK, sentence, to_do=to_do)


def _improvement_not_agreed(top, on) -> Commitment:
    title = IMPROVEMENT_TITLE
    to_do = "Agree a service improvement initiative with your line manager"
    # At risk once the third placement is complete with no initiative agreed: by then the
    # placements' learning should have shaped one (the leaflet's "Act").
    completed = [c.facts.completed_on for c in top]
    if len(completed) >= PLACEMENTS_REQUIRED and all(completed):
        third = max(completed)
        if on > third:
            return Commitment(
                "improvement",
                title,
                Status.AT_RISK,
                f"Your third placement was complete on {_fmt(third)} and no improvement "
                "initiative is agreed yet.",
                to_do=to_do,
            )
    return Commitment(
        "improvement",
        title,
        Status.ON_TRACK,
        "No improvement initiative has been agreed yet.",
        to_do=to_do,
    )


def _event_commitment(code, title, day, attended, on) -> Commitment:
    if attended:
        return Commitment(code, title, Status.MET, f"Attended the {code}.")
    if attended is False:
        return Commitment(code, title, Status.MISSED, f"Did not attend the {code}.")
    if day is None:
        return Commitment(code, title, Status.ON_TRACK, f"The {code} date is to be confirmed.")
    if on <= day:
        return Commitment(
            code,
            title,
            Status.ON_TRACK,
            f"The {code} is on {_fmt(day)}.",
            to_do=f"Attend the {code}",
            due=day,
        )
    return Commitment(
        code,
        title,
        Status.AT_RISK,
        f"The {code} was on {_fmt(day)}; attendance has not been recorded.",
        to_do="The programme manager records attendance",
    )


def _variety_guidance(placements: Iterable[PlacementRecord]) -> list[str]:
    """The leaflet suggests each half-day with a different person, at differing levels of
    seniority: guidance, never a failure."""
    notes = []
    for placement in placements:
        if placement.status == PlacementStatus.WITHDRAWN:
            continue
        done = [h for h in placement.half_days if h.status == HalfDayStatus.COMPLETED]
        if len(done) < 2:
            continue
        name = placement.organisation_name or "one placement"
        people = {h.person_met.strip().lower() for h in done}
        if len(people) == 1 and "" not in people:
            notes.append(
                f"All your half-days at {name} were with the same person. Meeting different "
                "people gives a wider view of the pathway."
            )
        levels = {h.level for h in done}
        if len(levels) == 1 and "" not in levels:
            notes.append(
                f"All your half-days at {name} were at one level of seniority. The leaflet "
                "suggests meeting both leaders and front-line staff."
            )
    return notes
