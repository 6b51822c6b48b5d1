"""Checks before the first visit (issue #20): the host's required clearances.

A placement needs every check its host organisation asks of all visitors
(`Organisation.required_clearances`) and every check its offer adds (`PlacementOffer.clearances`).
Each is recorded once per placement: who confirmed it (a name, and the signed-in person who
recorded it), on which day, with a short note. The first half-day waits until all are recorded;
who may record one is `access.can_record_clearance`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, QuerySet
from django.utils import timezone

from i2i import access, audit
from placements.models import (
    ClearanceKind,
    ClearanceRecord,
    HalfDay,
    HalfDayStatus,
    Placement,
    PlacementStatus,
)

# Reminders go when the first planned half-day is this close and checks are missing.
REMINDER_DAYS = 14


def required_kinds(placement: Placement) -> list[str]:
    """The host's checks and the offer's, once each, in the list's order (no query when the
    placement was read with its organisation and offer)."""
    codes = set(placement.organisation.required_clearances or [])
    if placement.offer_id:
        codes |= set(placement.offer.clearances or [])
    return in_order(codes)


def in_order(codes) -> list[str]:
    """The checks among `codes` in the list's order, once each; a code the product does not
    know (stored before the admin checked them) is left out."""
    codes = set(codes or [])
    return [code for code in ClearanceKind.values if code in codes]


def label(code: str) -> str:
    return ClearanceKind(code).label


def labels(codes) -> list[str]:
    return [label(code) for code in in_order(codes)]


@dataclass(frozen=True)
class Check:
    kind: str
    label: str
    record: ClearanceRecord | None


def checks(placement: Placement) -> list[Check]:
    """Each required check, with its record or None (one query)."""
    records = {r.kind: r for r in placement.clearances.all()}
    return [Check(kind, label(kind), records.get(kind)) for kind in required_kinds(placement)]


def missing_kinds(placement: Placement) -> list[str]:
    required = required_kinds(placement)
    if not required:
        return []
    recorded = set(
        ClearanceRecord.objects.filter(placement=placement, kind__in=required).values_list(
            "kind", flat=True
        )
    )
    return [kind for kind in required if kind not in recorded]


def _names(kinds: list[str]) -> str:
    return ", ".join(label(k) for k in kinds)


def check_first_half_day(half_day: HalfDay) -> None:
    """Refuse the first half-day of a placement until the host's checks are recorded,
    naming the host and the missing checks. Later half-days are not held back: the checks
    were done before the first. Called by `placements.services` when a half-day is booked."""
    if half_day.status == HalfDayStatus.CANCELLED:
        return
    placement = half_day.placement
    others = HalfDay.objects.filter(placement=placement).exclude(status=HalfDayStatus.CANCELLED)
    if half_day.pk is not None:
        others = others.exclude(pk=half_day.pk)
    if others.exists():
        return
    missing = missing_kinds(placement)
    if missing:
        raise ValidationError(
            {
                "date": "The host's checks come before the first visit. Before the first "
                f"half-day with {placement.organisation}, record these checks the host needs: "
                f"{_names(missing)}."
            }
        )


@transaction.atomic
def clearance_record(
    *,
    placement: Placement,
    by,
    kind: str,
    confirmed_by_name: str,
    confirmed_on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> ClearanceRecord:
    """Record that one of the host's checks was done (or correct the record of it)."""
    if not access.can_record_clearance(by, placement):
        raise PermissionDenied(
            "The participant, their line manager, the host person or the programme manager "
            "records a placement's checks."
        )
    if kind not in required_kinds(placement):
        raise ValidationError({"kind": "Choose one of the checks this host needs."})
    today = today or timezone.localdate()
    if confirmed_on and confirmed_on > today:
        raise ValidationError(
            {
                "confirmed_on": f"Enter the day the check was confirmed: today "
                f"({today.day} {today:%B %Y}) or earlier."
            }
        )
    record = ClearanceRecord.objects.filter(placement=placement, kind=kind).first()
    record = record or ClearanceRecord(placement=placement, kind=kind)
    record.confirmed_by = by
    record.confirmed_by_name = (confirmed_by_name or "").strip()
    record.confirmed_on = confirmed_on
    record.note = (note or "").strip()
    record.full_clean()
    record.save()
    audit.record(
        "clearance_recorded",
        actor=by,
        target=placement,
        placement=placement.pk,
        participant=placement.participant_id,
        kind=kind,
        confirmed_on=confirmed_on.isoformat(),
    )
    return record


@transaction.atomic
def host_checks_save(*, organisation, by, clearances: list[str]):
    """The checks a host needs of every visitor, whatever the offer: set by its host person
    or the programme manager. Placements already started are not held back (only the first
    half-day waits)."""
    if not access.can_publish_offers_for(by, organisation):
        raise PermissionDenied("The host person or the programme manager sets the host's checks.")
    known = set(ClearanceKind.values)
    if any(code not in known for code in clearances):
        raise ValidationError({"clearances": "Choose checks from the list."})
    organisation.required_clearances = in_order(clearances)
    organisation.save(update_fields=["required_clearances"])
    audit.record(
        "host_checks_changed",
        actor=by,
        target=organisation,
        organisation=organisation.pk,
        clearances=organisation.required_clearances,
    )
    return organisation


# Reminders -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecksDue:
    placement: Placement
    first_day: dt.date
    missing: list[str]

    @property
    def missing_labels(self) -> str:
        return _names(self.missing)


def checks_due(today: dt.date) -> list[ChecksDue]:
    """Placements whose first planned half-day is within 14 days (and none has happened)
    with checks still missing: three queries, whatever the number."""
    soon = today + dt.timedelta(days=REMINDER_DAYS)
    started = HalfDay.objects.filter(placement=OuterRef("pk"), status=HalfDayStatus.COMPLETED)
    placements = list(
        Placement.objects.with_related()
        .select_related("offer")
        .exclude(status=PlacementStatus.WITHDRAWN)
        .filter(
            participant__cohort__status="running",
            participant__user__is_active=True,
            half_days__status=HalfDayStatus.PLANNED,
            half_days__date__range=(today, soon),
        )
        .filter(~Exists(started))
        .prefetch_related("clearances")
        .distinct()
        .order_by("pk")
    )
    # The first visit still to come: a planned half-day already past (never marked as
    # completed) is not what the checks are for.
    firsts = dict(
        _first_planned(
            HalfDay.objects.filter(placement__in=[p.pk for p in placements], date__gte=today)
        )
    )
    due = []
    for placement in placements:
        required = required_kinds(placement)
        if not required:
            continue
        recorded = {r.kind for r in placement.clearances.all()}
        missing = [k for k in required if k not in recorded]
        if missing and placement.pk in firsts:
            due.append(ChecksDue(placement, firsts[placement.pk], missing))
    return due


def _first_planned(half_days: QuerySet[HalfDay]):
    return (
        half_days.filter(status=HalfDayStatus.PLANNED)
        .values("placement_id")
        .annotate(first=Min("date"))
        .values_list("placement_id", "first")
        .order_by()
    )
