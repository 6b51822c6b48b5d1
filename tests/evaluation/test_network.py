"""The network: a link once per organisation pair and cohort, from completed half-days."""

import datetime as dt
import itertools

import pytest

from evaluation.network import Network, NetworkLink, all_cohorts_network, cohort_networks
from participants.models import Organisation, Sector
from placements.models import HalfDay
from programme.personal_data import person_erase
from tests.factories import (
    ApprovedPlacementFactory,
    CohortFactory,
    HalfDayFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
DAYS = itertools.count(1)  # a different day for every half-day, so none share a slot


def half_days(participant, host, people=("Duty manager",), status="completed", **placement):
    placement = ApprovedPlacementFactory(participant=participant, organisation=host, **placement)
    start = participant.cohort.programme_start
    for person in people:
        HalfDayFactory(
            placement=placement,
            date=start + dt.timedelta(days=next(DAYS)),
            person_met=person,
            status=status,
        )
    return placement


@pytest.fixture
def region():
    hospital = OrganisationFactory(name="Eastmere Hospitals", sector=Sector.ACUTE)
    council = OrganisationFactory(name="Fenbridge Council", sector=Sector.SOCIAL_CARE)
    practice = OrganisationFactory(name="Marsh Lane Practice", sector=Sector.GP_PRACTICE)
    first = CohortFactory(name="Cohort 1", programme_start=dt.date(2026, 3, 1))
    second = CohortFactory(name="Cohort 2", programme_start=dt.date(2026, 9, 1))
    return hospital, council, practice, first, second


def test_a_link_counts_once_per_organisation_pair_and_cohort(region):
    hospital, council, practice, first, _ = region
    ann = ParticipantFactory(cohort=first, organisation=hospital)
    bob = ParticipantFactory(cohort=first, organisation=hospital)
    half_days(ann, council, people=("Duty social worker", "Team leader"))
    half_days(bob, council, people=("duty social worker", "Director", "Director"))
    half_days(ann, practice)

    network = cohort_networks([first])[first.pk]
    assert len(network.links) == 2
    [to_council] = [link for link in network.links if link.host == council]
    assert to_council.employer == hospital
    assert to_council.participants == 2
    assert to_council.half_days == 5
    # The same name in another case is one person: duty social worker, team leader, director.
    assert to_council.people_met == 3
    assert network.half_days == 6
    assert {o.name for o in network.organisations} == {
        "Eastmere Hospitals",
        "Fenbridge Council",
        "Marsh Lane Practice",
    }
    assert network.cross_sector_links == 2
    assert network.by_host_sector == [("Social Care", 1, 5), ("GP Practice", 1, 1)]


def test_own_employer_withdrawn_and_only_planned_placements_are_not_links(region):
    hospital, council, practice, first, _ = region
    ann = ParticipantFactory(cohort=first, organisation=hospital)
    half_days(ann, hospital)  # own employer
    half_days(ann, council, status="planned")
    withdrawn = half_days(ann, practice)
    withdrawn.status = "withdrawn"
    withdrawn.save()
    assert cohort_networks([first])[first.pk].links == []


def test_a_link_is_new_only_in_the_first_cohort_that_made_it(region):
    hospital, council, practice, first, second = region
    half_days(ParticipantFactory(cohort=first, organisation=hospital), council)
    later = ParticipantFactory(cohort=second, organisation=hospital)
    half_days(later, council)
    half_days(later, practice)

    networks = cohort_networks([first, second])
    assert networks[first.pk].new_links == 1
    assert networks[second.pk].new_links == 1  # the practice; the council link was made before
    assert {link.host.name: link.new for link in networks[second.pk].links} == {
        "Fenbridge Council": False,
        "Marsh Lane Practice": True,
    }
    # Asked about the second cohort alone, the first cohort still counts as earlier.
    assert cohort_networks([second])[second.pk].new_links == 1


def test_across_cohorts_a_pair_is_one_link_with_everyones_half_days(region):
    hospital, council, _, first, second = region
    half_days(ParticipantFactory(cohort=first, organisation=hospital), council, people=("A",))
    half_days(ParticipantFactory(cohort=second, organisation=hospital), council, people=("B", "C"))
    network = all_cohorts_network()
    [link] = network.links
    assert (link.half_days, link.people_met, link.participants) == (3, 3, 2)


def test_erasing_participants_keeps_the_number_of_people_they_met(region):
    hospital, council, _, first, _ = region
    ann = ParticipantFactory(cohort=first, organisation=hospital)
    bob = ParticipantFactory(cohort=first, organisation=hospital)
    half_days(ann, council, people=("Duty lead", "Team leader", "duty lead ", "", "  "))
    half_days(bob, council, people=("Duty lead", "Director"))

    def people_met():
        [link] = cohort_networks([first])[first.pk].links
        return link.people_met

    def across_cohorts():
        [link] = all_cohorts_network().links
        return link.people_met

    # Both met the duty lead; a half-day with no name is no one.
    assert (people_met(), across_cohorts()) == (3, 3)
    manager = UserFactory(is_programme_manager=True)
    person_erase(user=ann.user, by=manager)
    # One erased, one not: the duty lead both met still counts once.
    assert (people_met(), across_cohorts()) == (3, 3)
    person_erase(user=bob.user, by=manager)
    assert not HalfDay.objects.filter(person_met__icontains="duty lead").exists()
    names = sorted(HalfDay.objects.filter(participant=ann).values_list("person_met", flat=True))
    assert names[:2] == ["", ""]
    assert all(name.startswith("(erased person #") for name in names[2:])
    assert names[2] == names[3] != names[4]  # "Duty lead" twice, "Team leader" once
    bobs = set(HalfDay.objects.filter(participant=bob).values_list("person_met", flat=True))
    assert names[2] in bobs  # the same key for the same person, whoever met them
    assert (people_met(), across_cohorts()) == (3, 3)
    person_erase(user=ann.user, by=manager)  # again: nothing changes
    assert (people_met(), across_cohorts()) == (3, 3)


def test_people_erased_before_were_numbered_per_participant_and_still_count(region):
    """Erasures made before the shared key numbered each participant's people; two
    participants' "(erased person 1)" are two people."""
    hospital, council, _, first, _ = region
    ann = ParticipantFactory(cohort=first, organisation=hospital)
    bob = ParticipantFactory(cohort=first, organisation=hospital)
    half_days(ann, council, people=("(erased person 1)", "(erased person 1)"))
    half_days(bob, council, people=("(erased person 1)", "Director"))
    [link] = cohort_networks([first])[first.pk].links
    assert link.people_met == 3


def test_the_picture_draws_every_organisation_and_the_table_alternative_is_complete(region):
    hospital, council, practice, first, _ = region
    ann = ParticipantFactory(cohort=first, organisation=hospital)
    half_days(ann, council)
    half_days(ann, practice)
    svg = cohort_networks([first])[first.pk].svg(chart_id="n", title="The network")
    for name in ("Eastmere Hospitals", "Fenbridge Council", "Marsh Lane Practice"):
        assert name in svg
    assert 'role="img"' in svg


def test_the_networks_are_read_in_a_fixed_number_of_queries(region, django_assert_num_queries):
    hospital, council, practice, first, second = region
    for cohort in (first, second):
        for _ in range(3):
            participant = ParticipantFactory(cohort=cohort, organisation=hospital)
            half_days(participant, council)
            half_days(participant, practice)
    # The half-days' links, the first cohort of each pair, the organisations, and the
    # initiatives' team links (their organisations too, when there are any).
    with django_assert_num_queries(4):
        networks = cohort_networks([first, second])
    assert sum(len(n.links) for n in networks.values()) == 4


def test_two_cohorts_starting_together_both_make_the_link_new(region):
    hospital, council, _, first, _ = region
    twin = CohortFactory(name="Cohort 1b", programme_start=first.programme_start)
    half_days(ParticipantFactory(cohort=first, organisation=hospital), council)
    half_days(ParticipantFactory(cohort=twin, organisation=hospital), council)
    networks = cohort_networks([first, twin])
    assert networks[first.pk].new_links == networks[twin.pk].new_links == 1


def test_the_sector_matrix_counts_links_and_half_days_by_both_sectors(region):
    """In print the network is summed up by sector: rows the employers' sectors, columns
    the hosts', only sectors with a link, in the order of `Sector`."""
    hospital, council, practice, first, _ = region
    ann = ParticipantFactory(cohort=first, organisation=hospital)
    bob = ParticipantFactory(cohort=first, organisation=hospital)
    cat = ParticipantFactory(cohort=first, organisation=council)
    half_days(ann, council, people=("A", "B"))
    half_days(bob, council, people=("C", "D", "E"))  # the same link: hospital to council
    half_days(ann, practice, people=("F",))
    half_days(cat, hospital, people=("G", "H"))

    matrix = cohort_networks([first])[first.pk].sector_matrix()
    assert matrix.columns == ["Acute", "Social Care", "GP Practice"]
    assert [row.sector for row in matrix.rows] == ["Acute", "Social Care"]
    cells = [[(c.links, c.half_days) for c in row.cells] for row in matrix.rows]
    assert cells == [[(0, 0), (1, 5), (1, 1)], [(1, 2), (0, 0), (0, 0)]]
    assert [(row.total.links, row.total.half_days) for row in matrix.rows] == [(2, 6), (1, 2)]
    assert [(c.links, c.half_days) for c in matrix.totals] == [(1, 2), (1, 5), (1, 1)]
    assert (matrix.total.links, matrix.total.half_days) == (3, 8)


def test_with_no_links_the_sector_matrix_is_empty():
    matrix = Network().sector_matrix()
    assert (matrix.columns, matrix.rows, matrix.totals) == ([], [], [])
    assert (matrix.total.links, matrix.total.half_days) == (0, 0)


def test_the_busiest_pairs_are_those_with_the_most_half_days():
    def organisation(pk, name):
        return Organisation(pk=pk, name=name, sector=Sector.ACUTE)

    a, b, c, d = (organisation(i, name) for i, name in enumerate("DCBA", start=1))
    links = [
        NetworkLink(a, b, half_days=4, people_met=1, participants=1),
        NetworkLink(a, c, half_days=9, people_met=1, participants=1),
        NetworkLink(b, c, half_days=4, people_met=1, participants=2),  # more participants
        NetworkLink(d, a, half_days=4, people_met=1, participants=1),  # "A" before "D"
        NetworkLink(c, d, half_days=1, people_met=1, participants=1),
    ]
    network = Network(links)
    assert network.busiest_pairs(limit=4) == [links[1], links[2], links[3], links[0]]
    assert network.busiest_pairs() == network.busiest_pairs(limit=len(links))
    assert len(network.busiest_pairs()) == 5  # ten at most: all five here
    assert network.busiest_pairs(limit=0) == []


def test_the_print_template_sums_up_the_network_in_two_accessible_tables(region):
    from django.template.loader import render_to_string

    hospital, council, practice, first, _ = region
    ann = ParticipantFactory(cohort=first, organisation=hospital)
    half_days(ann, council, people=("A", "B"))
    half_days(ann, practice)
    html = render_to_string(
        "evaluation/_network_print.html", {"network": cohort_networks([first])[first.pk]}
    )
    assert '<th scope="row">Acute</th>' in html
    assert '<th scope="col" class="turned"><span>GP Practice</span></th>' in html
    assert "Every link, busiest first" in html  # two links: fewer than the ten busiest
    assert html.index("Fenbridge Council") < html.index("Marsh Lane Practice")  # 2 before 1
    empty = render_to_string("evaluation/_network_print.html", {"network": Network()})
    assert "No half-days completed with other organisations yet." in empty
    assert "<table" not in empty
