"""The one adapter from the database to `i2i.rules`: every page, export, reminder and report
that shows a participant's progress gets its `rules.Report` here.

Two readers, one record:

- `read_participants_progress` reads a whole cohort (or several) as tuples of the columns
  the rules need, in three queries, for the dashboard, its CSV, the evaluation report and
  the workshop pack; `progress_reports` judges them all.
- `with_progress` prefetches the same facts onto model instances, for the pages that also
  show the placements themselves (the participant's page, home, reminders);
  `commitment_report(s)` judges them.

Both build the rules' records with `_placement_record` and `_participant_record`, so what
counts (a shared reflective account, the day outcomes were approved) is said once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import CharField, Exists, F, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce, NullIf, TruncDate
from django.utils import timezone

from evaluation.models import Moment, SelfAssessment
from i2i import rules
from improvements.models import AgreementDecision, DataPoint, ImprovementInitiative, PDSACycle
from participants.models import Cohort, Participant
from placements.models import HalfDay, Placement
from reflections.models import SHARED_STATUSES, AccountStatus, ReflectiveAccount

# The records ---------------------------------------------------------------------------------


def _placement_record(
    pk: int,
    organisation_id: int,
    organisation_name: str,
    status: str,
    outcomes_approved_on: dt.date | None,
    reflection_status: str | None,
    outcomes_status: str,
    half_days: tuple[rules.HalfDayRecord, ...],
    reflection_shared_on: dt.date | None = None,
) -> rules.PlacementRecord:
    return rules.PlacementRecord(
        id=pk,
        organisation_id=organisation_id,
        organisation_name=organisation_name,
        status=status,
        outcomes_approved_on=outcomes_approved_on,
        outcomes_status=outcomes_status,
        half_days=half_days,
        reflection_shared=reflection_status in SHARED_STATUSES,
        # The leaflet's "shared and discussed": the commitment counts the discussion.
        reflection_discussed=reflection_status == AccountStatus.DISCUSSED,
        reflection_shared_on=reflection_shared_on,
    )


def _participant_record(
    cohort: Cohort,
    employer_id: int,
    briefing_attended: bool | None,
    workshop_attended: bool | None,
    improvement: rules.ImprovementRecord,
    placements: tuple[rules.PlacementRecord, ...],
    line_manager_name: str = "",
) -> rules.ParticipantRecord:
    return rules.ParticipantRecord(
        programme_start=cohort.programme_start,
        employer_id=employer_id,
        placements=placements,
        briefing_date=cohort.briefing_date,
        briefing_attended=briefing_attended,
        workshop_date=cohort.workshop_date,
        workshop_attended=workshop_attended,
        improvement=improvement,
        milestones=cohort.milestones,
        line_manager_name=line_manager_name,
    )


def _reflective_account():
    return ReflectiveAccount.objects.filter(placement=OuterRef("pk"))


def _line_manager_name():
    """The line manager as the reflections commitment names them: their name, or their email
    address if they have none (as `User.__str__`)."""
    return Coalesce(
        NullIf("line_manager__full_name", Value("")),
        "line_manager__email",
        output_field=CharField(),
    )


def _improvement_columns() -> dict:
    """What the `improvement` commitment reads (`rules.ImprovementRecord`), as annotations on
    participants, in its fields' order: one join and five subqueries in the one query,
    however many participants. An initiative counts once agreed, even if it is being
    changed since."""
    mine = {"initiative__participant": OuterRef("pk")}
    cycles = PDSACycle.objects.filter(**mine)
    points = DataPoint.objects.filter(measure__initiative__participant=OuterRef("pk"))
    completed = cycles.filter(ends_on__isnull=False).exclude(act="")
    review = AgreementDecision.objects.filter(**mine, action__in=REVIEW_ACTIONS)
    return {
        "improvement_agreed": Exists(
            ImprovementInitiative.objects.filter(
                participant=OuterRef("pk"), agreed_first_at__isnull=False
            )
        ),
        "improvement_first_cycle": Subquery(cycles.order_by("starts_on").values("starts_on")[:1]),
        "improvement_cycle_completed": Subquery(
            completed.order_by("ends_on").values("ends_on")[:1]
        ),
        "improvement_phase_started": Subquery(
            points.filter(starts_phase=True).order_by("date").values("date")[:1]
        ),
        "improvement_last_data": Subquery(points.order_by("-date").values("date")[:1]),
        "improvement_review": Subquery(review.order_by("-at", "-pk").values("action")[:1]),
        "improvement_reviewed_on": TruncDate(
            "improvement__reviewed_at", tzinfo=timezone.get_current_timezone()
        ),
    }


# The columns `_improvement_columns` adds, in `Progress.participants` too.
IMPROVEMENT_NAMES = (
    "improvement_agreed",
    "improvement_first_cycle",
    "improvement_cycle_completed",
    "improvement_phase_started",
    "improvement_last_data",
    "improvement_review",
    "improvement_reviewed_on",
)
IMPROVEMENT_COLUMNS = len(IMPROVEMENT_NAMES)
REVIEW_ACTIONS = (
    AgreementDecision.Action.REVIEW_ASKED,
    AgreementDecision.Action.REVIEWED,
    AgreementDecision.Action.REVIEW_RETURNED,
)


def _improvement_record(
    agreed, first_cycle, cycle_completed, phase_started, last_data, review, reviewed_on
) -> rules.ImprovementRecord:
    if not agreed:
        return rules.NO_INITIATIVE  # one shared record: most of a cohort, early on
    return rules.ImprovementRecord(
        agreed=True,
        first_cycle_started_on=first_cycle,
        cycle_completed_on=cycle_completed,
        phase_started_on=phase_started,
        last_data_on=last_data,
        review_asked=review == AgreementDecision.Action.REVIEW_ASKED,
        reviewed_on=reviewed_on,
    )


# Model instances: the pages that show the placements too ---------------------------------------


def participant_record(participant: Participant) -> rules.ParticipantRecord:
    """Build the rules' record; expects placements (with organisation and half-days) prefetched
    by `with_progress`, so that a page of participants costs the same few queries."""
    placements = []
    for p in participant.placements.all():
        approved = p.outcomes_first_approved_at
        placements.append(
            _placement_record(
                p.pk,
                p.organisation_id,
                p.organisation.name,
                p.status,
                timezone.localdate(approved) if approved else None,
                getattr(p, "reflection_status", None),
                p.outcomes_status,
                tuple(
                    rules.HalfDayRecord(h.date, h.status, h.person_met, h.level)
                    for h in p.half_days.all()
                ),
                _local_day(getattr(p, "reflection_shared_at", None)),
            )
        )
    return _participant_record(
        participant.cohort,
        participant.organisation_id,
        participant.briefing_attended,
        participant.workshop_attended,
        _improvement_record(  # annotated by `with_progress`
            *(getattr(participant, name) for name in IMPROVEMENT_NAMES)
        ),
        tuple(placements),
        getattr(participant, "line_manager_name", None) or "",  # annotated too
    )


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def with_progress(participants):
    """Prefetch what the rules need: two queries however many participants and placements.
    Each placement carries its reflective account's status (never its text)."""
    account = _reflective_account()
    placements = (
        Placement.objects.select_related("organisation")
        .annotate(
            reflection_status=Subquery(account.values("status")[:1]),
            reflection_id=Subquery(account.values("pk")[:1]),
            # When it was last shared: the discussion is due ten working days later, and a
            # draft that was shared before came back with "Ask for more".
            reflection_shared_at=Subquery(account.values("shared_at")[:1]),
        )
        .prefetch_related(
            Prefetch("half_days", queryset=HalfDay.objects.order_by("date", "session"))
        )
    )
    return (
        participants.select_related("cohort")
        .annotate(**_improvement_columns(), line_manager_name=_line_manager_name())
        .prefetch_related(Prefetch("placements", queryset=placements))
    )


def commitment_report(participant: Participant, on: dt.date | None = None) -> rules.Report:
    return rules.evaluate(participant_record(participant), on or timezone.localdate())


def commitment_reports(
    participants: Iterable[Participant], on: dt.date | None = None
) -> dict[int, rules.Report]:
    on = on or timezone.localdate()
    return {p.pk: rules.evaluate(participant_record(p), on) for p in participants}


# Tuples: a whole cohort, or a region's ------------------------------------------------------


@dataclass
class Progress:
    """What `read_participants_progress` read: plain tuples, in the order the rules and the
    charts want."""

    # (pk, full_name, email, organisation_id, organisation_name, briefing_attended,
    #  workshop_attended, [the improvement's IMPROVEMENT_COLUMNS], line_manager_name, [extra...],
    #  answered_before, answered_after, cohort_id), by name
    participants: list[tuple]
    # (pk, participant_id, organisation_id, organisation_name, sector, status,
    #  outcomes_approved_on, reflection_status, outcomes_status, reflection_shared_on), in the
    #  placements' own order
    placements: list[tuple]
    # (placement_id, date, status, person_met, level), in no particular order
    half_days: list[tuple]


def read_participants_progress(scoped, extra: dict | None = None) -> Progress:
    """Three queries, however many participants: the participants, their placements and
    their half-days, as tuples of the columns needed. `extra` names annotations a page shows
    beside the report (the dashboard's sponsor meeting and mid-programme review), read in the
    participants' query and placed after `line_manager_name`."""
    extra = extra or {}
    answered = {
        f"answered_{moment}": Exists(
            SelfAssessment.objects.filter(participant=OuterRef("pk"), moment=moment)
        )
        for moment in Moment.values
    }
    improvement = _improvement_columns()
    participants = list(
        scoped.annotate(
            **improvement,
            line_manager_name=_line_manager_name(),
            **extra,
            **answered,
        )
        .order_by("user__full_name", "user__email", "pk")
        .values_list(
            "pk",
            "user__full_name",
            "user__email",
            "organisation_id",
            "organisation__name",
            "briefing_attended",
            "workshop_attended",
            *improvement,
            "line_manager_name",
            *extra,
            *answered,
            "cohort_id",
        )
    )
    ids = scoped.order_by().values("pk")
    placements = list(
        Placement.objects.filter(participant__in=ids)
        .annotate(
            # One reflective account per placement: a join, not a subquery per row.
            reflection_status=F("reflective_account__status"),
            # The day in local time, as `timezone.localdate` would give it.
            outcomes_approved_on=TruncDate(
                "outcomes_first_approved_at", tzinfo=timezone.get_current_timezone()
            ),
            reflection_shared_on=TruncDate(
                "reflective_account__shared_at", tzinfo=timezone.get_current_timezone()
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
            "reflection_shared_on",
        )
    )
    half_days = list(
        # In no particular order: nothing read from them depends on it, and sorting a
        # region's half-days costs more than reading them.
        HalfDay.objects.filter(placement__participant__in=ids)
        .order_by()
        .values_list("placement_id", "date", "status", "person_met", "level")
    )
    return Progress(participants, placements, half_days)


def improvement_records(progress: Progress) -> dict[int, rules.ImprovementRecord]:
    """Each participant's initiative as the rules read it, from the columns already read
    (the evaluation report counts initiatives by the stage they reached)."""
    after = 7 + IMPROVEMENT_COLUMNS
    return {row[0]: _improvement_record(*row[7:after]) for row in progress.participants}


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Judging a cohort makes hundreds of thousands of small objects that refer to no cycle
    (records, facts, reports), and CPython's cycle collector would walk the growing heap
    again and again meanwhile with nothing to free: half the time of a 5,000-participant
    dashboard (docs/benchmarks.md). Reference counting still frees everything as usual.
    Used as a decorator, on the functions that judge a whole cohort or region."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@cycle_collector_paused()
def progress_reports(
    cohorts: Cohort | dict[int, Cohort], progress: Progress, today: dt.date
) -> dict[int, rules.Report]:
    """The rules' report for every participant read. `cohorts` is the participants' cohort,
    or their cohorts by id."""
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
    for (
        pk,
        participant_id,
        org_id,
        org_name,
        _,
        status,
        approved,
        reflection,
        outcomes,
        shared_on,
    ) in progress.placements:
        placements[participant_id].append(
            _placement_record(
                pk,
                org_id,
                org_name,
                status,
                approved,
                reflection,
                outcomes,
                tuple(half_days.get(pk, ())),
                shared_on,
            )
        )
    evaluate = rules.evaluate
    reports = {}
    after = 7 + IMPROVEMENT_COLUMNS  # where `line_manager_name` is
    for row in progress.participants:
        pk, _, _, org_id, _, briefing, workshop = row[:7]
        record = _participant_record(
            cohorts[row[-1]],
            org_id,
            briefing,
            workshop,
            _improvement_record(*row[7:after]),
            tuple(placements.get(pk, ())),
            row[after] or "",
        )
        reports[pk] = evaluate(record, today)
    return reports
