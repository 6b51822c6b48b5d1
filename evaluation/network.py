"""The professional network the programme made: for each placement, a link from the
participant's employer to the host organisation.

A link counts once per organisation pair and cohort, however many participants made it,
and only once a half-day with the host was completed (a planned placement is not yet a
link). Placements with the participant's own employer, or withdrawn, are not links: the
rules do not count them either. A link is *new* in a cohort when no cohort that started
earlier made the same pair (two cohorts starting on the same day both count it as new).
Links are directed, employer → host: staff of B visiting A is a different link from staff
of A visiting B.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Min, Q, Value, When
from django.db.models.functions import Cast, Concat, Trim

from evaluation import network_svg
from i2i.names import ERASED_PERSON_PREFIX, person_met_key
from improvements.models import TeamMember
from participants.models import Cohort, Organisation, Sector
from placements.models import HalfDay, HalfDayStatus, PlacementStatus


@dataclass(frozen=True)
class NetworkLink:
    employer: Organisation
    host: Organisation
    half_days: int
    people_met: int
    participants: int
    new: bool = False

    @property
    def cross_sector(self) -> bool:
        return self.employer.sector != self.host.sector


@dataclass(frozen=True)
class SectorCount:
    """Links and their half-days: one cell of a `SectorMatrix`, or a total."""

    links: int = 0
    half_days: int = 0


@dataclass(frozen=True)
class SectorRow:
    sector: str  # the employers' sector, as labelled
    cells: list[SectorCount]  # one for each of the matrix's columns
    total: SectorCount  # to hosts of every sector


@dataclass(frozen=True)
class SectorMatrix:
    """Links by the employer's sector (rows) and the host's sector (columns): only sectors
    with a link appear, in the order of `Sector`."""

    columns: list[str]  # the hosts' sectors, as labelled
    rows: list[SectorRow]
    totals: list[SectorCount]  # each column's, from employers of every sector
    total: SectorCount


def _sector_label(sector: str) -> str:
    """A sector's label ("Social Care"); a value `Sector` does not list, as it is."""
    return Sector(sector).label if sector in Sector.values else str(sector)


def _in_sector_order(sectors: set[str]) -> list[str]:
    order = list(Sector.values)
    return sorted(
        sectors, key=lambda s: (order.index(s), "") if s in order else (len(order), str(s))
    )


@dataclass(frozen=True)
class TeamLink:
    """An improvement initiative's team member from another organisation: a link from the
    participant's employer to the member's organisation (issue #21), made by working on a
    change together rather than by a half-day."""

    employer: Organisation
    member_organisation: Organisation
    members: int
    initiatives: int


@dataclass
class Network:
    links: list[NetworkLink] = field(default_factory=list)
    # The links the initiatives' teams made, beside the placements' (`team_links`).
    team_links: list[TeamLink] = field(default_factory=list)

    @property
    def organisations(self) -> list[Organisation]:
        seen = {}
        for link in self.links:
            seen[link.employer.pk] = link.employer
            seen[link.host.pk] = link.host
        return sorted(seen.values(), key=lambda o: (o.name.casefold(), o.pk))

    @property
    def half_days(self) -> int:
        return sum(link.half_days for link in self.links)

    @property
    def people_met(self) -> int:
        return sum(link.people_met for link in self.links)

    @property
    def new_links(self) -> int:
        return sum(1 for link in self.links if link.new)

    @property
    def cross_sector_links(self) -> int:
        return sum(1 for link in self.links if link.cross_sector)

    @property
    def by_host_sector(self) -> list[tuple[str, int, int]]:
        """(sector, links, half-days) for the hosts' sectors, most half-days first."""
        links, half_days = Counter(), Counter()
        for link in self.links:
            label = Sector(link.host.sector).label
            links[label] += 1
            half_days[label] += link.half_days
        return sorted(
            ((label, links[label], half_days[label]) for label in links),
            key=lambda row: (-row[2], row[0]),
        )

    def sector_matrix(self) -> SectorMatrix:
        """Links and half-days from employers in each sector (rows) to hosts in each sector
        (columns), in the order of `Sector`: the network at a glance where a picture of
        every link would be a tangle, as in print."""
        cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for link in self.links:
            cell = cells[link.employer.sector, link.host.sector]
            cell[0] += 1
            cell[1] += link.half_days
        employers = _in_sector_order({employer for employer, _ in cells})
        hosts = _in_sector_order({host for _, host in cells})

        def count(pairs) -> SectorCount:
            found = [cells[pair] for pair in pairs if pair in cells]
            return SectorCount(sum(c[0] for c in found), sum(c[1] for c in found))

        return SectorMatrix(
            columns=[_sector_label(host) for host in hosts],
            rows=[
                SectorRow(
                    sector=_sector_label(employer),
                    cells=[count([(employer, host)]) for host in hosts],
                    total=count([(employer, host) for host in hosts]),
                )
                for employer in employers
            ],
            totals=[count([(employer, host) for employer in employers]) for host in hosts],
            total=SectorCount(len(self.links), self.half_days),
        )

    def busiest_pairs(self, limit: int = 10) -> list[NetworkLink]:
        """The `limit` links with the most half-days (then the most participants, then by
        name): the pairs of organisations the cohort worked with most."""
        return sorted(
            self.links,
            key=lambda link: (
                -link.half_days,
                -link.participants,
                link.employer.name.casefold(),
                link.host.name.casefold(),
                link.employer.pk,
                link.host.pk,
            ),
        )[: max(0, limit)]

    def svg(self, *, chart_id: str, title: str) -> str:
        nodes = [
            network_svg.Node(
                key=o.pk, name=o.name, sector=o.sector, sector_label=Sector(o.sector).label
            )
            for o in self.organisations
        ]
        links = [
            network_svg.Link(
                source=link.employer.pk,
                target=link.host.pk,
                half_days=link.half_days,
                people_met=link.people_met,
                participants=link.participants,
            )
            for link in self.links
        ]
        return network_svg.draw_network(nodes, links, chart_id=chart_id, title=title)


def _counted_half_days(cohorts: Iterable[Cohort] | None = None):
    """Completed half-days that make a link: not withdrawn, not with the own employer."""
    half_days = HalfDay.objects.filter(status=HalfDayStatus.COMPLETED).exclude(
        placement__status=PlacementStatus.WITHDRAWN
    )
    half_days = half_days.exclude(placement__organisation=F("participant__organisation"))
    if cohorts is not None:
        half_days = half_days.filter(participant__cohort__in=[c.pk for c in cohorts])
    return half_days


# People are recorded by name: every spelling of one name (case, spaces) is one person, and
# a half-day with no name is no one. Names are compared through
# `i2i.names.person_met_key`, the key erasure writes in place of a name, so one
# person met by two participants counts once whether either was erased or not. Erasures
# from before that key numbered each participant's people ("(erased person 2)"); those are
# told apart by participant.
PERSON = Case(
    When(
        Q(person_met__startswith="(erased person ")
        & ~Q(person_met__startswith=ERASED_PERSON_PREFIX),
        then=Concat(Cast("participant_id", CharField()), Value(" "), "person_met"),
    ),
    default=Trim("person_met"),
    output_field=CharField(),
)
PAIR = {
    "employer_id": F("participant__organisation_id"),
    "host_id": F("placement__organisation_id"),
}


def _figures(rows, by_cohort: bool) -> list[dict]:
    """Each link's half-days, distinct people met and participants, from rows of (pair,
    cohort, participant, person) with their half-days: people are keyed in Python
    (`person_met_key` is an HMAC the database cannot compute)."""
    keys: dict[str, str | None] = {}
    links: dict[tuple, dict] = {}
    for employer_id, host_id, cohort_id, participant_id, person, count in rows:
        group = (employer_id, host_id, cohort_id) if by_cohort else (employer_id, host_id)
        link = links.setdefault(
            group,
            {
                "employer_id": employer_id,
                "host_id": host_id,
                "cohort_id": cohort_id,
                "half_day_count": 0,
                "participants": set(),
                "people_keys": set(),
            },
        )
        link["half_day_count"] += count
        link["participants"].add(participant_id)
        if person not in keys:
            keys[person] = person_met_key(person)
        if keys[person] is not None:
            link["people_keys"].add(keys[person])
    for link in links.values():
        link["participant_count"] = len(link.pop("participants"))
        link["people"] = len(link.pop("people_keys"))
    return list(links.values())


def _rows(half_days):
    return (
        half_days.order_by()
        .values_list(
            "participant__organisation_id",
            "placement__organisation_id",
            "participant__cohort_id",
            "participant_id",
            PERSON,
        )
        .annotate(count=Count("pk"))
    )


def _first_starts() -> dict[tuple[int, int], object]:
    """For every pair ever linked, the programme start of the first cohort that made it."""
    rows = (
        _counted_half_days()
        .order_by()  # HalfDay's default ordering would otherwise join the GROUP BY
        .values(**PAIR)
        .annotate(first=Min("participant__cohort__programme_start"))
    )
    return {(row["employer_id"], row["host_id"]): row["first"] for row in rows}


def _links(rows, organisations, first=None, start=None) -> list[NetworkLink]:
    return [
        NetworkLink(
            employer=organisations[row["employer_id"]],
            host=organisations[row["host_id"]],
            half_days=row["half_day_count"],
            people_met=row["people"],
            participants=row["participant_count"],
            # New unless an earlier cohort made it; two cohorts starting together both count it.
            new=bool(first) and first[(row["employer_id"], row["host_id"])] >= start,
        )
        for row in sorted(
            rows, key=lambda r: (-r["half_day_count"], r["employer_id"], r["host_id"])
        )
    ]


def _organisations(rows) -> dict[int, Organisation]:
    return Organisation.objects.in_bulk(
        {row["employer_id"] for row in rows} | {row["host_id"] for row in rows}
    )


def cohort_networks(cohorts: list[Cohort]) -> dict[int, Network]:
    """Each cohort's network, in five queries however many cohorts or half-days."""
    rows = _figures(_rows(_counted_half_days(cohorts)), by_cohort=True)
    first = _first_starts()
    organisations = _organisations(rows)
    by_cohort = defaultdict(list)
    for row in rows:
        by_cohort[row["cohort_id"]].append(row)
    teams = team_links(cohorts)
    return {
        cohort.pk: Network(
            _links(by_cohort[cohort.pk], organisations, first, cohort.programme_start),
            teams.get(cohort.pk, []),
        )
        for cohort in cohorts
    }


def team_links(cohorts: list[Cohort]) -> dict[int, list[TeamLink]]:
    """Each cohort's links from participants' employers to their initiative team members'
    organisations (not their own), most members first: two queries."""
    rows = (
        TeamMember.objects.filter(
            initiative__participant__cohort__in=[c.pk for c in cohorts],
            organisation__isnull=False,
        )
        .exclude(organisation=F("initiative__participant__organisation"))
        .order_by()
        .values(
            "initiative__participant__cohort_id",
            "initiative__participant__organisation_id",
            "organisation_id",
        )
        .annotate(members=Count("pk"), initiatives=Count("initiative_id", distinct=True))
        .values_list(
            "initiative__participant__cohort_id",
            "initiative__participant__organisation_id",
            "organisation_id",
            "members",
            "initiatives",
        )
    )
    rows = list(rows)
    organisations = Organisation.objects.in_bulk(
        {row[1] for row in rows} | {row[2] for row in rows}
    )
    found: dict[int, list[TeamLink]] = defaultdict(list)
    for cohort_id, employer_id, member_id, members, initiatives in rows:
        found[cohort_id].append(
            TeamLink(organisations[employer_id], organisations[member_id], members, initiatives)
        )
    for links in found.values():
        links.sort(key=lambda t: (-t.members, t.employer.name, t.member_organisation.name))
    return found


def all_cohorts_network() -> Network:
    """Every pair any cohort linked, counted once, with its figures across all cohorts."""
    rows = _figures(_rows(_counted_half_days()), by_cohort=False)
    return Network(_links(rows, _organisations(rows)))
