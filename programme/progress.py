"""Reads shared by the placement pages, and the adapter from the database to `i2i.rules`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.utils import timezone

from i2i import rules
from improvements.models import ImprovementInitiative
from participants.models import Participant
from placements.models import HalfDay, Placement
from reflections.models import ReflectiveAccount


def _placement_record(placement: Placement) -> rules.PlacementRecord:
    approved = placement.outcomes_first_approved_at
    status = getattr(placement, "reflection_status", None)
    return rules.PlacementRecord(
        id=placement.pk,
        organisation_id=placement.organisation_id,
        organisation_name=placement.organisation.name,
        status=placement.status,
        outcomes_approved_on=timezone.localdate(approved) if approved else None,
        outcomes_status=placement.outcomes_status,
        half_days=tuple(
            rules.HalfDayRecord(
                date=h.date, status=h.status, person_met=h.person_met, level=h.level
            )
            for h in placement.half_days.all()
        ),
        reflection_shared=status in {"shared", "discussed"},
    )


def participant_record(participant: Participant) -> rules.ParticipantRecord:
    """Build the rules' record; expects placements (with organisation and half-days) prefetched
    by `with_progress`, so that a page of participants costs the same few queries."""
    cohort = participant.cohort
    return rules.ParticipantRecord(
        programme_start=cohort.programme_start,
        employer_id=participant.organisation_id,
        placements=tuple(_placement_record(p) for p in participant.placements.all()),
        briefing_date=cohort.briefing_date,
        briefing_attended=participant.briefing_attended,
        workshop_date=cohort.workshop_date,
        workshop_attended=participant.workshop_attended,
        # Annotated by `with_progress`.
        improvement_agreed=participant.improvement_agreed,
    )


def with_progress(participants):
    """Prefetch what the rules need: two queries however many participants and placements.
    Each placement carries its reflective account's status (never its text)."""

    account = ReflectiveAccount.objects.filter(placement=OuterRef("pk"))
    placements = (
        Placement.objects.select_related("organisation")
        .annotate(
            reflection_status=Subquery(account.values("status")[:1]),
            reflection_id=Subquery(account.values("pk")[:1]),
        )
        .prefetch_related(
            Prefetch("half_days", queryset=HalfDay.objects.order_by("date", "session"))
        )
    )

    agreed = ImprovementInitiative.objects.filter(
        participant=OuterRef("pk"), agreed_first_at__isnull=False
    )
    return (
        participants.select_related("cohort")
        .annotate(improvement_agreed=Exists(agreed))
        .prefetch_related(Prefetch("placements", queryset=placements))
    )


def commitment_report(participant: Participant, on: dt.date | None = None) -> rules.Report:
    return rules.evaluate(participant_record(participant), on or timezone.localdate())


def commitment_reports(
    participants: Iterable[Participant], on: dt.date | None = None
) -> dict[int, rules.Report]:
    on = on or timezone.localdate()
    return {p.pk: rules.evaluate(participant_record(p), on) for p in participants}
