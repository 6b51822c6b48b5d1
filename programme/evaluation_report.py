"""The cohort evaluation report: did the programme do what the leaflet promised?

`evaluate_cohorts` reads everything for any number of cohorts in a fixed number of queries
(participants with their progress, the questions, the answers, the network, the initiatives
with their measures), so the report for one cohort, the side-by-side view of every cohort
and the PDF all stay constant in the number of participants. Participants' progress is read
as tuples, as the dashboard does (`programme.progress.read_participants_progress`): every
cohort side by side judges every participant in the region.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

from django.db.models import Count, Q, Sum

from evaluation import network as network_reads
from evaluation import services
from evaluation.models import (
    FollowUp,
    FollowUpMoment,
    ItemKind,
    Moment,
    SelfAssessmentAnswer,
    SelfAssessmentItem,
)
from evaluation.statistics import (
    FollowUpAnswer,
    FollowUpChange,
    FollowUpFigures,
    ItemChange,
    follow_up_change,
    item_change,
)
from i2i import rules, svgcharts
from improvements import runcharts, spc
from improvements.models import (
    ChangeKind,
    DataPoint,
    ImprovementInitiative,
    InitiativeStatus,
    Measure,
)
from participants import equality
from participants.models import Cohort, Participant
from placements.feedback import HostFeedbackFigures, host_feedback_figures
from programme.dashboard import TITLES
from programme.progress import improvement_records, progress_reports, read_participants_progress
from programme.shared_initiatives import SharedInitiative, shared_initiatives
from reflections.frameworks import PRINCIPLES
from reflections.models import SHARED_STATUSES, ReflectiveAccount

# Below this many paired answers a question's figures are not shown: with one or two,
# anyone who knows who answered could read those people's own answers from them.
MIN_PAIRED = 5


class Person(NamedTuple):
    pk: int
    name: str


class PrincipleCount(NamedTuple):
    """How many reflective accounts and initiatives were tagged with one principle."""

    label: str
    accounts: int
    initiatives: int


@dataclass
class ItemResult:
    item: SelfAssessmentItem
    change: ItemChange

    @property
    def shown(self) -> bool:
        return self.change.paired >= MIN_PAIRED

    @property
    def chart(self) -> str:
        # A scale's points in words ("1 – Very little"), so that its medians can be read.
        scale = self.item.kind == ItemKind.SCALE
        return svgcharts.before_after_bars_svg(
            f"item-{self.item.pk}",
            f"{self.item.short_label} ({self.change.paired} paired)",
            self.change.distribution,
            point_labels=self.item.scale_labels if scale else None,
        )


@dataclass
class CohortEvaluation:
    cohort: Cohort
    participants: int
    completion: list[tuple[str, int]]
    items: list[ItemResult]
    not_answered: dict[str, list[Person]]
    # The start questions' last day, the day the end ones open, and whether they are open.
    start_closes: dt.date
    end_opens: dt.date
    start_open: bool
    end_open: bool
    answered_both: int
    network: network_reads.Network
    initiatives: int
    by_kind: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    with_signal: int
    with_improvement: int
    # Making Data Count (issue #21), each measure read at its latest point: initiatives with
    # a measure in special cause improvement, in special cause concern, with limits and only
    # common cause variation, and with a measure consistently passing its target.
    mdc: MakingDataCount = field(default_factory=lambda: MakingDataCount())
    ideas: list[str] = field(default_factory=list)
    # The follow-up 6 and 12 months after the workshop: each moment, and paired.
    follow_up: FollowUpChange = field(default_factory=lambda: follow_up_change({}, {}))
    # The six principles of workforce integration, each with its counts (no names), and how
    # many reflective accounts (as shared with the line manager) were counted.
    principles: list[PrincipleCount] = field(default_factory=list)
    accounts_shared: int = 0
    # Set when shown beside other cohorts: the change per question, in column order (None
    # where fewer than MIN_PAIRED answered both).
    scale_changes: list[ItemChange | None] = field(default_factory=list)
    # The initiatives by the stage they reached (each counted at every stage it passed), and
    # the sum of their implementation plans' estimates (issue #21).
    stages: list[tuple[str, int]] = field(default_factory=list)
    estimates: Estimates | None = None
    # What participants said about their hosts (issue #20): counts and averages, no names.
    host_feedback: HostFeedbackFigures | None = None

    def percent(self, count: int) -> int:
        return round(100 * count / self.participants) if self.participants else 0

    @property
    def completion_rows(self) -> list[tuple[str, int, int]]:
        return [(title, met, self.percent(met)) for title, met in self.completion]

    @property
    def min_paired(self) -> int:
        return MIN_PAIRED

    @property
    def has_data(self) -> bool:
        """Anything to report: a participant who answered the self-assessment, met a
        commitment, completed a half-day or started an improvement initiative. Without any,
        the page says "Nothing to report yet" and no PDF is made (an all-zero report)."""
        if not self.participants:
            return False
        return bool(
            any(len(people) < self.participants for people in self.not_answered.values())
            or any(met for _, met in self.completion)
            or self.network.links
            or self.initiatives
            or self.follow_up.six.answered
            or self.follow_up.twelve.answered
        )

    @property
    def everyone_answered(self) -> bool:
        """Everyone answered at the start and, the end questions being open, at the end: the
        page says so once."""
        return bool(self.participants) and self.end_open and not any(self.not_answered.values())

    @property
    def follow_up_rows(self) -> list[FollowUpRow]:
        """Each moment's follow-up figures, then the paired ones, each shown only where
        MIN_PAIRED or more answered."""
        f = self.follow_up
        return [
            FollowUpRow("At 6 months: everyone who answered", f.six),
            FollowUpRow("At 12 months: everyone who answered", f.twelve),
            FollowUpRow("Answered both: their answers at 6 months", f.paired_six),
            FollowUpRow("Answered both: their answers at 12 months", f.paired_twelve),
        ]

    @property
    def any_shown(self) -> bool:
        return any(r.shown for r in self.items)

    @property
    def scale_items(self) -> list[ItemResult]:
        return [r for r in self.items if r.item.kind == ItemKind.SCALE]

    @property
    def count_items(self) -> list[ItemResult]:
        return [r for r in self.items if r.item.kind == ItemKind.COUNT]

    @property
    def medians_chart(self) -> str:
        return svgcharts.medians_svg(
            f"medians-{self.cohort.pk}",
            f"Median answer, start and end (1 to 5; questions {MIN_PAIRED}+ answered both)",
            [
                (r.item.short_label, r.change.before_median, r.change.after_median)
                for r in self.scale_items
                if r.shown
            ],
        )

    @property
    def network_chart(self) -> str:
        return self.network.svg(
            chart_id=f"network-{self.cohort.pk}", title=f"The network made by {self.cohort}"
        )

    @cached_property
    def shared_initiatives(self) -> list[SharedInitiative]:
        """The initiatives shared with consent, read only when their chapter is shown."""
        return shared_initiatives(self.cohort)


def _answers(cohort_ids: list[int]) -> dict[int, dict[str, dict[int, int]]]:
    """item id → moment → participant id → value."""
    found: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = SelfAssessmentAnswer.objects.filter(item__cohort__in=cohort_ids).values_list(
        "item_id", "assessment__moment", "assessment__participant_id", "value"
    )
    for item_id, moment, participant_id, value in rows:
        found[item_id][moment][participant_id] = value
    return found


class FollowUpRow(NamedTuple):
    label: str
    figures: FollowUpFigures

    @property
    def shown(self) -> bool:
        return self.figures.answered >= MIN_PAIRED


def _follow_ups(cohort_ids: list[int]) -> dict[int, dict[str, dict[int, FollowUpAnswer]]]:
    """cohort id → moment → participant id → the answers the figures count."""
    found: dict = defaultdict(lambda: defaultdict(dict))
    rows = FollowUp.objects.filter(participant__cohort__in=cohort_ids).values_list(
        "participant__cohort_id",
        "moment",
        "participant_id",
        "promoted",
        "same_employer",
        "contacts",
    )
    for cohort_id, moment, participant_id, *answer in rows:
        found[cohort_id][moment][participant_id] = FollowUpAnswer(*answer)
    return found


STAGES = (
    "Idea",
    "Agreed with line manager",
    "Testing (a PDSA cycle started)",
    "Implemented (a completed cycle and data after the change)",
    "Implemented and reviewed",
)


def _stages(initiatives: int, records, reports, today: dt.date) -> list[tuple[str, int]]:
    """How many initiatives reached each stage; `records` and `reports` are the cohort's
    participants' (`programme.progress.improvement_records`, the rules' reports)."""
    agreed = [(pk, r) for pk, r in records if r.agreed]
    started = [
        (pk, r)
        for pk, r in agreed
        if r.first_cycle_started_on is not None and r.first_cycle_started_on <= today
    ]
    implemented = [pk for pk, r in agreed if r.implemented(today)]
    reviewed = sum(
        1 for pk in implemented if reports[pk].get("improvement").status == rules.Status.MET
    )
    return list(
        zip(
            STAGES,
            (initiatives, len(agreed), len(started), len(implemented), reviewed),
            strict=True,
        )
    )


class Estimates(NamedTuple):
    """The implementation plans' estimates, summed over the initiatives that gave one."""

    cost: Decimal
    money_saved: Decimal
    hours_saved: Decimal
    initiatives: int  # how many gave any estimate


def _estimates(cohort_ids: list[int]) -> dict[int, Estimates]:
    """One query, grouped by cohort."""
    given = (
        Q(estimated_cost__isnull=False)
        | Q(estimated_money_saved__isnull=False)
        | Q(estimated_hours_saved__isnull=False)
    )
    rows = (
        ImprovementInitiative.objects.filter(given, participant__cohort__in=cohort_ids)
        .values("participant__cohort_id")
        .annotate(
            cost=Sum("estimated_cost", default=Decimal(0)),
            money=Sum("estimated_money_saved", default=Decimal(0)),
            hours=Sum("estimated_hours_saved", default=Decimal(0)),
            n=Count("pk"),
        )
        .order_by()
        .values_list("participant__cohort_id", "cost", "money", "hours", "n")
    )
    return {cohort_id: Estimates(*figures) for cohort_id, *figures in rows}


class InitiativeFigures(NamedTuple):
    cohort_id: int
    kind: str
    status: str
    i2i_ideas: str
    any_signal: bool  # a signal on one of its run charts
    improving: bool  # a signal of improvement
    # Its measures' Making Data Count readings at their latest points (codes from
    # `improvements.spc`): the variation of each measure with limits, the assurance of each
    # with a target.
    variations: frozenset[str] = frozenset()
    assurances: frozenset[str] = frozenset()


@dataclass(frozen=True)
class MakingDataCount:
    """A cohort's initiatives as their Making Data Count charts read at the latest point."""

    improvement: int = 0
    concern: int = 0
    common_cause_only: int = 0
    passing_target: int = 0
    failing_target: int = 0

    @classmethod
    def of(cls, initiatives: list[InitiativeFigures]) -> MakingDataCount:
        return cls(
            improvement=sum(1 for i in initiatives if spc.IMPROVEMENT in i.variations),
            concern=sum(1 for i in initiatives if spc.CONCERN in i.variations),
            common_cause_only=sum(1 for i in initiatives if i.variations == {spc.COMMON_CAUSE}),
            passing_target=sum(1 for i in initiatives if spc.PASSING in i.assurances),
            failing_target=sum(1 for i in initiatives if spc.FAILING in i.assurances),
        )


def _initiatives(cohort_ids: list[int]) -> list[InitiativeFigures]:
    """Every initiative with its run charts' signals, in three queries of plain tuples (a
    region has thousands of initiatives and tens of thousands of data points)."""
    rows = ImprovementInitiative.objects.filter(participant__cohort__in=cohort_ids).values_list(
        "pk", "participant__cohort_id", "kind", "status", "i2i_ideas"
    )
    measures = Measure.objects.filter(initiative__participant__cohort__in=cohort_ids)
    points = defaultdict(list)
    for measure_id, date, value, starts_phase in (
        DataPoint.objects.filter(measure__in=measures.values("pk"))
        .order_by("date")
        .values_list("measure_id", "date", "value", "starts_phase")
    ):
        points[measure_id].append(
            spc.Point(date=date, value=float(value), starts_phase=starts_phase)
        )
    signals = defaultdict(lambda: (False, False))
    variations, assurances = defaultdict(set), defaultdict(set)
    for measure_id, initiative_id, direction, target in measures.values_list(
        "pk", "initiative_id", "direction", "target"
    ):
        higher = direction == Measure.Direction.HIGHER
        run_points = [
            runcharts.Point(date=p.date, value=p.value, starts_phase=p.starts_phase)
            for p in points[measure_id]
        ]
        analysis = runcharts.analyse_run_chart(run_points, higher)
        any_signal, improving = signals[initiative_id]
        signals[initiative_id] = (
            any_signal or bool(analysis.signals),
            improving or any(s.improvement for s in analysis.signals),
        )
        reading = spc.analyse(points[measure_id], higher, target)
        if reading.variation is not None:
            variations[initiative_id].add(reading.variation.code)
        if reading.assurance is not None:
            assurances[initiative_id].add(reading.assurance.code)
    return [
        InitiativeFigures(
            cohort_id,
            kind,
            status,
            ideas,
            *signals[pk],
            frozenset(variations[pk]),
            frozenset(assurances[pk]),
        )
        for pk, cohort_id, kind, status, ideas in rows
    ]


@dataclass
class PrincipleTags:
    accounts: int = 0  # reflective accounts counted: those shared with the line manager
    on_accounts: Counter = field(default_factory=Counter)
    on_initiatives: Counter = field(default_factory=Counter)


def _principles(cohort_ids: list[int]) -> dict[int, PrincipleTags]:
    """The principles tagged on each cohort's reflective accounts and initiatives: one query
    of short tuples for each, whatever the number of cohorts or participants. An account
    counts with the principles it was last shared with (`shared_version`): its draft is the
    participant's own until they share it, and the line manager reads the shared copy."""
    found: dict[int, PrincipleTags] = defaultdict(PrincipleTags)
    accounts = (
        ReflectiveAccount.objects.filter(participant__cohort__in=cohort_ids)
        .filter(Q(status__in=SHARED_STATUSES) | Q(shared_version__isnull=False))
        .values_list("participant__cohort_id", "status", "principles", "shared_version__principles")
    )
    for cohort_id, status, live, shared in accounts:
        chosen = shared if shared is not None else (live if status in SHARED_STATUSES else [])
        found[cohort_id].accounts += 1
        found[cohort_id].on_accounts.update(set(chosen or ()))
    initiatives = ImprovementInitiative.objects.filter(
        participant__cohort__in=cohort_ids
    ).values_list("participant__cohort_id", "principles")
    for cohort_id, chosen in initiatives:
        found[cohort_id].on_initiatives.update(set(chosen or ()))
    return found


def _labelled(counts: Counter, choices) -> list[tuple[str, int]]:
    return [(label, counts[value]) for value, label in choices.choices if counts[value]]


def evaluate_cohorts(
    cohorts: list[Cohort], today: dt.date, progress=None, reports=None
) -> dict[int, CohortEvaluation]:
    """`progress` and `reports`, if given, are the cohorts' participants as
    `read_participants_progress` and `progress_reports` made them (the workshop pack has
    them), to save reading and judging a whole cohort twice."""
    cohort_ids = [c.pk for c in cohorts]
    if progress is None:
        progress = read_participants_progress(Participant.objects.filter(cohort__in=cohort_ids))
    if reports is None:
        reports = progress_reports({c.pk: c for c in cohorts}, progress, today)
    items = services.items_for_cohorts(cohorts)
    answers = _answers(cohort_ids)
    follow_ups = _follow_ups(cohort_ids)
    answered = defaultdict(set)  # (participant id, moment)
    for by_moment in answers.values():
        for moment, values in by_moment.items():
            answered[moment].update(values)
    networks = network_reads.cohort_networks(cohorts)
    initiatives = defaultdict(list)
    for initiative in _initiatives(cohort_ids):
        initiatives[initiative.cohort_id].append(initiative)
    principles = _principles(cohort_ids)
    estimates = _estimates(cohort_ids)
    host_feedback = host_feedback_figures(cohort_ids)
    improvements = improvement_records(progress)

    people = defaultdict(list)
    for pk, full_name, email, *_, cohort_id in progress.participants:
        people[cohort_id].append(Person(pk, full_name or email))
    result = {}
    for cohort in cohorts:
        mine = people[cohort.pk]
        own_reports = [reports[p.pk] for p in mine]
        result[cohort.pk] = CohortEvaluation(
            cohort=cohort,
            participants=len(mine),
            completion=[
                (title, sum(1 for r in own_reports if r.get(code).status == rules.Status.MET))
                for code, title in TITLES.items()
            ],
            items=[
                ItemResult(
                    item,
                    item_change(
                        answers[item.pk][Moment.BEFORE], answers[item.pk][Moment.AFTER], item.kind
                    ),
                )
                for item in items[cohort.pk]
            ],
            start_closes=services.cohort_before_closes(cohort),
            end_opens=services.cohort_after_opens(cohort),
            start_open=services.cohort_moment_open(cohort, Moment.BEFORE, today),
            end_open=services.cohort_moment_open(cohort, Moment.AFTER, today),
            not_answered={
                moment: [p for p in mine if p.pk not in answered[moment]]
                for moment in (Moment.BEFORE, Moment.AFTER)
            },
            answered_both=sum(
                1
                for p in mine
                if p.pk in answered[Moment.BEFORE] and p.pk in answered[Moment.AFTER]
            ),
            network=networks[cohort.pk],
            initiatives=len(initiatives[cohort.pk]),
            by_kind=_labelled(Counter(i.kind for i in initiatives[cohort.pk]), ChangeKind),
            by_status=_labelled(
                Counter(i.status for i in initiatives[cohort.pk]), InitiativeStatus
            ),
            with_signal=sum(1 for i in initiatives[cohort.pk] if i.any_signal),
            with_improvement=sum(1 for i in initiatives[cohort.pk] if i.improving),
            mdc=MakingDataCount.of(initiatives[cohort.pk]),
            ideas=[i.i2i_ideas.strip() for i in initiatives[cohort.pk] if i.i2i_ideas.strip()],
            follow_up=follow_up_change(
                follow_ups[cohort.pk][FollowUpMoment.SIX_MONTHS],
                follow_ups[cohort.pk][FollowUpMoment.TWELVE_MONTHS],
            ),
            principles=[
                PrincipleCount(
                    label,
                    principles[cohort.pk].on_accounts[code],
                    principles[cohort.pk].on_initiatives[code],
                )
                for code, label in PRINCIPLES
            ],
            accounts_shared=principles[cohort.pk].accounts,
            stages=_stages(
                len(initiatives[cohort.pk]),
                [(p.pk, improvements[p.pk]) for p in mine],
                reports,
                today,
            ),
            estimates=estimates.get(cohort.pk),
            host_feedback=host_feedback[cohort.pk],
        )
    return result


def cohort_evaluation(cohort: Cohort, today: dt.date) -> CohortEvaluation:
    return evaluate_cohorts([cohort], today)[cohort.pk]


@dataclass
class AcrossCohorts:
    """Every cohort side by side, oldest first, and the network all of them made."""

    evaluations: list[CohortEvaluation]
    item_labels: list[tuple[str, str]]  # (key, short label) of every question, in order
    network: network_reads.Network
    # Equality monitoring, applied → selected → completed (`participants.equality`).
    equality: list = field(default_factory=list)

    @property
    def min_paired(self) -> int:
        return MIN_PAIRED

    @property
    def network_chart(self) -> str:
        return self.network.svg(chart_id="network-all", title="The network all cohorts made")


def across_cohorts(cohorts: list[Cohort], today: dt.date) -> AcrossCohorts:
    ordered = sorted(cohorts, key=lambda c: (c.programme_start, c.pk))
    # Read and judged once: the evaluations and equality monitoring's "completed" both use it.
    progress = read_participants_progress(Participant.objects.filter(cohort__in=ordered))
    reports = progress_reports({c.pk: c for c in ordered}, progress, today)
    evaluations = evaluate_cohorts(ordered, today, progress, reports)
    labels: dict[str, str] = {}
    for cohort in ordered:
        for r in evaluations[cohort.pk].items:
            labels.setdefault(r.item.key, r.item.short_label)
    for evaluation in evaluations.values():
        by_key = {r.item.key: r.change for r in evaluation.items if r.shown}
        evaluation.scale_changes = [by_key.get(key) for key in labels]
    return AcrossCohorts(
        evaluations=[evaluations[c.pk] for c in ordered],
        item_labels=list(labels.items()),
        network=network_reads.all_cohorts_network(),
        equality=equality.equality_report(
            [c.pk for c in ordered],
            [pk for pk, r in reports.items() if r.met_count == len(r.commitments)],
        ),
    )
