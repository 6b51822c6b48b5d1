"""Placement offers and the host's capacity (issue #20).

A host organisation (its host person, or the programme manager on its behalf) publishes
offers: what a visitor can see and do, and how many visitors a month it can take. A
participant counts as one visitor of a host in each calendar month in which they have a
half-day there that is not cancelled; a second half-day the same month takes no more room.

Which limit applies to a placement:
- the placement's offer, when the participant chose one: its `visitors_per_month`, counting
  the visitors of the placements that took up that offer;
- otherwise the host's published offers together (the sum of their `visitors_per_month`),
  counting every visitor of the host: the host said how many it can take in all;
- no limit when the host has published no offer (it never said).

The check locks the offer's (or the organisation's) row first, so two half-days booked at
the same moment are counted one after the other.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth

from i2i import access, audit, rules
from participants.models import HostPerson, Organisation, User
from placements.models import ClearanceKind, HalfDay, HalfDayStatus, Placement, PlacementOffer

# A host is "near capacity" from this share of its visitors a month.
NEAR_CAPACITY = 0.8
# How far ahead the next month with room is looked for, when no window bounds it.
MONTHS_AHEAD = 12

OFFER_FIELDS = (
    "title",
    "description",
    "location",
    "who_you_meet",
    "clearances",
    "visitors_per_month",
    "is_published",
)


# Months ---------------------------------------------------------------------------------


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from `first`'s to `last`'s, both included."""
    months, month = [], month_of(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def month_label(month: dt.date) -> str:
    return f"{month:%B %Y}"


# Offers ---------------------------------------------------------------------------------


def _check_clearances(codes: Iterable[str]) -> list[str]:
    known = set(ClearanceKind.values)
    codes = list(dict.fromkeys(codes or []))
    if any(code not in known for code in codes):
        raise ValidationError({"clearances": "Choose checks from the list."})
    return [code for code in ClearanceKind.values if code in codes]


@transaction.atomic
def offer_save(
    *, organisation: Organisation, by: User, offer: PlacementOffer | None = None, **fields
) -> PlacementOffer:
    """Publish or change a host's offer: the host person does it for their organisation, the
    programme manager for any."""
    if not access.can_publish_offers_for(by, organisation):
        raise PermissionDenied("The host person or the programme manager publishes offers.")
    if offer is None:
        offer = PlacementOffer(organisation=organisation, created_by=by)
    elif offer.organisation_id != organisation.pk:
        raise PermissionDenied("An offer stays with its host organisation.")
    unknown = set(fields) - set(OFFER_FIELDS)
    if unknown:
        raise TypeError(f"Not an offer field: {', '.join(sorted(unknown))}")
    if "clearances" in fields:
        fields["clearances"] = _check_clearances(fields["clearances"])
    for name, value in fields.items():
        setattr(offer, name, value)
    created = offer.pk is None
    offer.full_clean()
    offer.save()
    audit.record(
        "offer_created" if created else "offer_changed",
        actor=by,
        target=offer,
        offer=offer.pk,
        organisation=organisation.pk,
        visitors_per_month=offer.visitors_per_month,
        published=offer.is_published,
    )
    return offer


def check_offer(placement: Placement) -> None:
    """A placement takes up an offer of its own host only; the offer must be published when
    it is first chosen (one already taken up stays, even if the host withdraws it later)."""
    if not placement.offer_id:
        return
    offer = placement.offer
    if offer.organisation_id != placement.organisation_id:
        raise ValidationError(
            {
                "organisation": f"The offer you chose is with {offer.organisation}: choose that "
                "organisation, or choose no offer and propose your own host."
            }
        )
    if not offer.is_published:
        stored = Placement.objects.filter(pk=placement.pk).values_list("offer_id", flat=True)
        if placement.pk is None or stored.first() != offer.pk:
            raise ValidationError(
                {"organisation": "This offer is no longer open: choose another offer or host."}
            )


def published_offers() -> QuerySet[PlacementOffer]:
    """What participants may choose: published offers of active, confirmed hosts."""
    return PlacementOffer.objects.select_related("organisation").filter(
        is_published=True, organisation__is_active=True, organisation__is_confirmed=True
    )


def offers_to_choose(
    *, sector: str = "", organisation_id: int | None = None, exclude_organisation_id=None
) -> QuerySet[PlacementOffer]:
    offers = published_offers()
    if sector:
        offers = offers.filter(organisation__sector=sector)
    if organisation_id:
        offers = offers.filter(organisation_id=organisation_id)
    if exclude_organisation_id:
        offers = offers.exclude(organisation_id=exclude_organisation_id)
    return offers


# Counting visitors ------------------------------------------------------------------------


def _counted(half_days: QuerySet[HalfDay]) -> QuerySet[HalfDay]:
    return half_days.exclude(status=HalfDayStatus.CANCELLED)


def visitors_by_offer(offer_ids: Iterable[int], months: list[dt.date]) -> dict:
    """{(offer id, month): visitors}, in one query."""
    if not months:
        return {}
    rows = (
        _counted(HalfDay.objects.filter(placement__offer_id__in=list(offer_ids)))
        .filter(date__gte=months[0], date__lt=add_months(months[-1], 1))
        .annotate(month=TruncMonth("date"))
        .values("placement__offer_id", "month")
        .annotate(n=Count("participant_id", distinct=True))
        .order_by()
    )
    return {(r["placement__offer_id"], _as_date(r["month"])): r["n"] for r in rows}


def visitors_by_organisation(organisation_ids: Iterable[int] | None, months: list[dt.date]):
    """{(organisation id, month): visitors}, in one query (every host when ids is None)."""
    if not months:
        return {}
    half_days = HalfDay.objects.all()
    if organisation_ids is not None:
        half_days = half_days.filter(placement__organisation_id__in=list(organisation_ids))
    rows = (
        _counted(half_days)
        .filter(date__gte=months[0], date__lt=add_months(months[-1], 1))
        .annotate(month=TruncMonth("date"))
        .values("placement__organisation_id", "month")
        .annotate(n=Count("participant_id", distinct=True))
        .order_by()
    )
    return {(r["placement__organisation_id"], _as_date(r["month"])): r["n"] for r in rows}


def capacity_by_organisation(organisation_ids: Iterable[int] | None = None) -> dict[int, int]:
    """{organisation id: visitors a month, all its published offers together}, one query."""
    offers = PlacementOffer.objects.filter(is_published=True)
    if organisation_ids is not None:
        offers = offers.filter(organisation_id__in=list(organisation_ids))
    rows = offers.values("organisation_id").annotate(n=Sum("visitors_per_month")).order_by()
    return {r["organisation_id"]: r["n"] for r in rows}


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@dataclass
class OfferRoom:
    offer: PlacementOffer
    next_month: dt.date | None  # the first month from the start with room, if any
    checks: list[str] = field(default_factory=list)  # labels, filled in by the page
    already_placed: bool = False  # the participant has a placement with its host already

    @property
    def next_month_label(self) -> str:
        return month_label(self.next_month) if self.next_month else ""


def with_next_month(offers: list[PlacementOffer], first: dt.date, last: dt.date):
    """Each offer with its next month with room between `first` and `last` (two queries
    however many offers: the offers, and the visitors by offer and month)."""
    months = months_between(first, last)
    counts = visitors_by_offer([o.pk for o in offers], months)
    return [
        OfferRoom(
            offer=o,
            next_month=next(
                (m for m in months if counts.get((o.pk, m), 0) < o.visitors_per_month), None
            ),
        )
        for o in offers
    ]


def hosts_already_placed(participant) -> set[int]:
    """The organisations the participant already has a placement with (not withdrawn): a
    second placement there does not count towards the three different organisations, so the
    offers page says so before they choose (one query)."""
    return set(
        Placement.objects.filter(participant=participant)
        .exclude(status=rules.PlacementStatus.WITHDRAWN)
        .values_list("organisation_id", flat=True)
    )


def already_placed_message(organisation: Organisation) -> str:
    return (
        f"You already have a placement with {organisation.name}: a second does not count "
        "towards the three different organisations."
    )


def host_contact(organisation: Organisation, *, participant) -> dict[str, str]:
    """The named person to meet, filled in when a participant chooses the host's offer: the
    host's host person (the first named, if several; never the participant themselves), or
    nothing when the host has none (one query)."""
    host = (
        HostPerson.objects.filter(organisation=organisation, user__is_active=True)
        .exclude(user_id=participant.user_id)
        .select_related("user")
        .order_by("added_at", "pk")
        .first()
    )
    if host is None:
        return {}
    return {"contact_name": host.user.full_name, "contact_email": host.user.email}


# The capacity rule --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Limit:
    host: str
    per_month: int
    half_days: QuerySet[HalfDay]  # the half-days that count towards it


def _limit(placement: Placement, *, lock: bool) -> _Limit | None:
    """The limit that applies to a placement (the module's docstring says which); locks the
    offer's or the organisation's row when asked, so that concurrent bookings queue."""
    organisation = placement.organisation
    if placement.offer_id:
        offers = PlacementOffer.objects.filter(pk=placement.offer_id)
        offer = (offers.select_for_update() if lock else offers).first()
        if offer is None:
            return None
        return _Limit(
            host=organisation.name,
            per_month=offer.visitors_per_month,
            half_days=HalfDay.objects.filter(placement__offer_id=offer.pk),
        )
    if lock:
        list(Organisation.objects.select_for_update().filter(pk=organisation.pk).values("pk"))
    total = capacity_by_organisation([organisation.pk]).get(organisation.pk)
    if not total:
        return None
    return _Limit(
        host=organisation.name,
        per_month=total,
        half_days=HalfDay.objects.filter(placement__organisation_id=organisation.pk),
    )


def _visitors(limit: _Limit, months: list[dt.date], *, but=None) -> dict[dt.date, set[int]]:
    """The participants counted in each month (the half-day `but` left out)."""
    half_days = _counted(limit.half_days).filter(
        date__gte=months[0], date__lt=add_months(months[-1], 1)
    )
    if but is not None:
        half_days = half_days.exclude(pk=but)
    seen: dict[dt.date, set[int]] = defaultdict(set)
    for day, participant_id in half_days.values_list("date", "participant_id").distinct():
        seen[month_of(day)].add(participant_id)
    return seen


def check_capacity(
    half_day: HalfDay, *, last_day: dt.date | None = None, today: dt.date | None = None
) -> None:
    """Refuse a half-day in a month the host has no room for, naming the host, its limit and
    the next month with room (from this month, `today`'s, up to `last_day`, the end of the
    participant's window). Capacity governs booking: a half-day that took place is recorded
    whatever the month held. Called by `placements.services` inside the booking's
    transaction."""
    if half_day.status in {HalfDayStatus.CANCELLED, HalfDayStatus.COMPLETED}:
        return
    if not half_day.date:
        return
    month = month_of(half_day.date)
    if half_day.pk is not None:
        stored = HalfDay.objects.filter(pk=half_day.pk).values_list("date", "status").first()
        if stored and stored[1] != HalfDayStatus.CANCELLED and month_of(stored[0]) == month:
            return  # already counted this month
    limit = _limit(half_day.placement, lock=True)
    if limit is None:
        return
    last = month_of(last_day) if last_day and last_day >= month else add_months(month, MONTHS_AHEAD)
    months = months_between(month, last)
    seen = _visitors(limit, months, but=half_day.pk)
    participant_id = half_day.placement.participant_id
    if participant_id in seen[month] or len(seen[month]) < limit.per_month:
        return
    this_month = month_of(today) if today else month
    following = next(
        (
            m
            for m in months[1:]
            if m >= this_month and len(seen[m] - {participant_id}) < limit.per_month
        ),
        None,
    )
    visitors = "visitor" if limit.per_month == 1 else "visitors"
    message = (
        f"{limit.host} takes {limit.per_month} {visitors} a month and {month_label(month)} is "
        "full. "
    )
    if following:
        message += f"The next month with room is {month_label(following)}."
    else:
        message += "No later month in your window has room: choose another host."
    raise ValidationError({"date": message})


# The programme manager's view of spread ---------------------------------------------------------


@dataclass
class HostRow:
    organisation: Organisation
    placements: int
    capacity: int | None  # visitors a month, all published offers together
    this_month: int
    next_month: int

    def _share(self, n: int) -> float | None:
        return n / self.capacity if self.capacity else None

    @property
    def state(self) -> str:
        """The worse of this month and next: "Over capacity" (more visitors than its limit),
        "Full" (at its limit: participants are told the month is full), "Near capacity" (80%
        or more, below the limit) or ""."""
        shares = [s for s in (self._share(self.this_month), self._share(self.next_month)) if s]
        if any(s > 1 for s in shares):
            return "Over capacity"
        if any(s == 1 for s in shares):
            return "Full"
        if any(s >= NEAR_CAPACITY for s in shares):
            return "Near capacity"
        return ""


@dataclass
class Spread:
    hosts: list[HostRow]
    sectors: list[tuple[str, int]]  # (sector label, placements)
    this_month: dt.date
    next_month: dt.date
    total: int


def placement_spread(*, cohort_ids: Iterable[int], today: dt.date) -> Spread:
    """Placements (not withdrawn) per host and per sector for the cohorts, with each host's
    visitors this month and next against its capacity: four queries whatever the size."""
    cohort_ids = list(cohort_ids)
    placements = (
        Placement.objects.filter(participant__cohort_id__in=cohort_ids)
        .exclude(status=rules.PlacementStatus.WITHDRAWN)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_host = {r["organisation_id"]: r["n"] for r in placements}
    this_month = month_of(today)
    months = [this_month, add_months(this_month, 1)]
    visitors = visitors_by_organisation(None, months)
    capacity = capacity_by_organisation()
    shown = set(per_host) | {org for org, _ in visitors} | set(capacity)
    organisations = Organisation.objects.filter(pk__in=shown).order_by("name")
    hosts = [
        HostRow(
            organisation=o,
            placements=per_host.get(o.pk, 0),
            capacity=capacity.get(o.pk),
            this_month=visitors.get((o.pk, months[0]), 0),
            next_month=visitors.get((o.pk, months[1]), 0),
        )
        for o in organisations
    ]
    sectors: dict[str, int] = defaultdict(int)
    for row in hosts:
        if row.placements:
            sectors[row.organisation.get_sector_display()] += row.placements
    return Spread(
        hosts=hosts,
        sectors=sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0])),
        this_month=months[0],
        next_month=months[1],
        total=sum(per_host.values()),
    )
