"""Placement offers (issue #20): hosts publish them, participants choose one when they plan a
placement (or still name their own host), and the programme manager sees how placements
spread across hosts and sectors."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from i2i.models import AuditEvent
from participants.models import HostPerson
from placements import offers
from placements.models import Placement, PlacementOffer
from tests.admin_forms import changed
from tests.factories import (
    ApprovedPlacementFactory,
    HalfDayFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)


@pytest.fixture
def host(db):
    return OrganisationFactory(name="Riverside Ward", sector="acute", town="Eastmere")


@pytest.fixture
def host_person(host):
    user = UserFactory(full_name="Hana Host")
    HostPerson.objects.create(user=user, organisation=host)
    return user


def _offer(organisation, **fields):
    values = {
        "title": "A morning on the ward",
        "description": "Board round, then discharge planning with the team.",
        "location": "Ward 7",
        "who_you_meet": "Ward manager, discharge coordinator",
        "visitors_per_month": 2,
    }
    return PlacementOffer.objects.create(organisation=organisation, **{**values, **fields})


OFFER_POST = {
    "title": "A day with the custody nurse",
    "description": "Healthcare in police custody.",
    "location": "Eastmere custody suite",
    "who_you_meet": "Custody nurse, sergeant",
    "clearances": ["dbs", "id_badge"],
    "visitors_per_month": "3",
    "is_published": "on",
}


# Publishing -------------------------------------------------------------------------------------


def test_a_host_person_publishes_an_offer_for_their_organisation(client, host, host_person):
    client.force_login(host_person)
    response = client.post(reverse("offer_create"), {**OFFER_POST, "organisation": host.pk})
    assert response.status_code == 302
    offer = PlacementOffer.objects.get()
    assert (offer.organisation, offer.clearances, offer.visitors_per_month) == (
        host,
        ["dbs", "id_badge"],
        3,
    )
    assert offer.created_by == host_person
    assert AuditEvent.objects.filter(action="offer_created", actor=host_person).exists()


def test_a_host_person_cannot_publish_for_another_organisation(client, host_person, db):
    other = OrganisationFactory()
    client.force_login(host_person)
    response = client.post(reverse("offer_create"), {**OFFER_POST, "organisation": other.pk})
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not PlacementOffer.objects.exists()
    with pytest.raises(PermissionDenied):
        offers.offer_save(organisation=other, by=host_person, title="x", description="y")


def test_the_programme_manager_publishes_for_any_host(client, host, world):
    client.force_login(world.programme_manager)
    page = client.get(reverse("offer_create") + f"?organisation={host.pk}")
    assert page.context["form"]["organisation"].value() == str(host.pk)
    response = client.post(reverse("offer_create"), {**OFFER_POST, "organisation": host.pk})
    assert response.status_code == 302
    assert PlacementOffer.objects.get().organisation == host


def test_a_host_person_changes_their_offer_and_not_anothers(client, host, host_person):
    own, other = _offer(host), _offer(OrganisationFactory())
    client.force_login(host_person)
    response = client.post(
        reverse("offer_edit", args=[own.pk]), {**OFFER_POST, "visitors_per_month": "1"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.visitors_per_month == 1
    assert client.get(reverse("offer_edit", args=[other.pk])).status_code == 404


def test_an_offer_takes_at_least_one_visitor_a_month(client, host, host_person):
    client.force_login(host_person)
    response = client.post(
        reverse("offer_create"), {**OFFER_POST, "organisation": host.pk, "visitors_per_month": "0"}
    )
    assert response.status_code == 200
    assert "visitors_per_month" in response.context["form"].errors
    assert "Healthcare in police custody." in response.content.decode()


@pytest.mark.parametrize("typed", ["0", "101", "2.5", "two", "", "99999999999999999999"])
def test_visitors_a_month_out_of_range_is_worded_plainly(client, host, host_person, typed):
    """Not Django's "Ensure this value is less than or equal to 100.": the field's name and
    the numbers it takes, next to the field, with what was typed kept."""
    client.force_login(host_person)
    post = {**OFFER_POST, "organisation": host.pk, "visitors_per_month": typed}
    response = client.post(reverse("offer_create"), post)
    assert response.status_code == 200
    assert response.context["form"].errors["visitors_per_month"] == [
        "Enter a number of visitors a month from 1 to 100"
    ]
    page = response.content.decode()
    assert "Ensure this value" not in page and "Enter a whole number." not in page
    if typed:
        assert f'value="{typed}"' in page


def test_the_offers_page_lists_the_hosts_offers_and_checks(client, host, host_person):
    _offer(host)
    _offer(OrganisationFactory(), title="Someone else's")
    client.force_login(host_person)
    page = client.get(reverse("offer_list")).content.decode()
    assert "A morning on the ward" in page
    assert "Someone else" not in page
    assert "Checks every visitor to Riverside Ward needs" in page


def test_checks_typed_in_the_admin_are_codes_the_product_knows(client, host, host_person, world):
    """The admin edits a host's checks as JSON: "DBS" (not "dbs") is refused there with the
    codes to choose from; a value already stored some other way is left off the pages."""
    from django.core.exceptions import ValidationError as Invalid

    host.required_clearances = ["DBS"]
    with pytest.raises(Invalid) as refused:
        host.full_clean()
    assert refused.value.message_dict["required_clearances"] == [
        "Enter a list of checks from: dbs, honorary_contract, information_governance, "
        'id_badge, local_induction, other (for example ["dbs"]).'
    ]
    offer = _offer(host)
    offer.clearances = "dbs"
    with pytest.raises(Invalid):
        offer.full_clean()
    type(host).objects.filter(pk=host.pk).update(required_clearances=["DBS", "id_badge"])
    client.force_login(host_person)
    response = client.get(reverse("offer_list"))
    assert response.status_code == 200
    assert "ID badge" in response.content.decode()
    client.force_login(world.programme_manager)
    admin_page = reverse("admin:participants_organisation_change", args=[host.pk])
    response = client.post(
        admin_page, changed(client.get(admin_page), required_clearances='["DBS"]')
    )
    assert response.status_code == 200
    assert "Enter a list of checks from" in response.content.decode()


@pytest.mark.parametrize(
    "who", ["participant", "line_manager", "sponsor", "education_lead", "outsider"]
)
def test_people_without_a_host_organisation_cannot_open_the_offers_pages(client, world, who):
    user = getattr(world, who)
    client.force_login(getattr(user, "user", user))
    assert client.get(reverse("offer_list")).status_code == 403
    assert client.get(reverse("offer_create")).status_code == 403


# Choosing an offer --------------------------------------------------------------------------------


def test_the_plan_page_lists_published_offers_with_their_next_month_with_room(client, world, host):
    _offer(host, clearances=["dbs"])
    _offer(host, title="Closed offer", is_published=False)
    _offer(world.participant.organisation, title="At my own employer")
    client.force_login(world.participant.user)
    page = client.get(reverse("placement_create", args=[world.participant.pk])).content.decode()
    assert "Choose an offer" in page
    assert "A morning on the ward" in page
    assert "Closed offer" not in page
    assert "At my own employer" not in page
    assert "DBS check" in page
    start = max(timezone.localdate(), world.participant.cohort.programme_start)
    if start <= world.participant.cohort.programme_end:
        assert f"{start:%B %Y}" in page


def test_offers_are_filtered_by_sector(client, world, host):
    _offer(host)
    _offer(OrganisationFactory(sector="police"), title="Custody suite")
    client.force_login(world.participant.user)
    url = reverse("placement_create", args=[world.participant.pk])
    page = client.get(url, {"sector": "police"}).content.decode()
    assert "Custody suite" in page and "A morning on the ward" not in page


def test_choosing_an_offer_fills_in_the_host_and_takes_up_the_offer(client, world, host):
    offer = _offer(host)
    client.force_login(world.participant.user)
    url = reverse("placement_create", args=[world.participant.pk])
    page = client.get(url, {"offer": offer.pk})
    form = page.context["form"]
    assert form["organisation"].value() == host.pk
    assert form["offer"].value() == offer.pk
    assert "You chose" in page.content.decode()
    # The form posts to the page without the "#host-heading" the offer's link jumped to, so
    # the page after saving does not inherit it (a redirect keeps the request's fragment).
    assert f'<form method="post" action="{url}?offer={offer.pk}" novalidate>' in (
        page.content.decode()
    )
    response = client.post(
        url,
        {
            "organisation": host.pk,
            "offer": offer.pk,
            "contact_name": "Ward manager",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    assert Placement.objects.get(participant=world.participant).offer == offer


def test_offers_from_a_host_the_participant_already_has_are_marked(client, world, host):
    """Before saving, not after: a second placement with a host does not count towards the
    three different organisations (issue #20's review)."""
    offer = _offer(host)
    _offer(OrganisationFactory(name="Fenbridge Care Home"), title="A day at the care home")
    ApprovedPlacementFactory(participant=world.participant, organisation=host)
    warning = (
        "You already have a placement with Riverside Ward: a second does not count towards "
        "the three different organisations."
    )
    client.force_login(world.participant.user)
    url = reverse("placement_create", args=[world.participant.pk])
    response = client.get(url)
    marked = {room.offer.title: room.already_placed for room in response.context["offer_rooms"]}
    assert marked == {"A morning on the ward": True, "A day at the care home": False}
    assert response.content.decode().count(warning) == 1
    # On the form, once chosen, and again if the form comes back with an error.
    assert warning in client.get(url, {"offer": offer.pk}).content.decode()
    response = client.post(
        f"{url}?offer={offer.pk}", {"organisation": host.pk, "offer": offer.pk, "status": "planned"}
    )
    assert response.status_code == 200 and warning in response.content.decode()


def test_a_withdrawn_placement_does_not_mark_the_offer(client, world, host):
    _offer(host)
    ApprovedPlacementFactory(participant=world.participant, organisation=host, status="withdrawn")
    client.force_login(world.participant.user)
    response = client.get(reverse("placement_create", args=[world.participant.pk]))
    assert [room.already_placed for room in response.context["offer_rooms"]] == [False]


def test_choosing_an_offer_fills_in_the_hosts_named_person(client, world, host, host_person):
    offer = _offer(host)
    client.force_login(world.participant.user)
    url = reverse("placement_create", args=[world.participant.pk])
    form = client.get(url, {"offer": offer.pk}).context["form"]
    assert (form["contact_name"].value(), form["contact_email"].value()) == (
        "Hana Host",
        host_person.email,
    )
    # A host without a host person leaves the contact for the participant to fill in.
    other = _offer(OrganisationFactory(name="Fenbridge Care Home"))
    form = client.get(url, {"offer": other.pk}).context["form"]
    assert (form["contact_name"].value(), form["contact_email"].value()) == (None, None)


def test_choosing_another_host_leaves_the_offer(client, world, host):
    offer = _offer(host)
    elsewhere = OrganisationFactory(name="Fenbridge Care Home", sector="care_sector")
    client.force_login(world.participant.user)
    url = reverse("placement_create", args=[world.participant.pk])
    response = client.post(
        url,
        {
            "organisation": elsewhere.pk,
            "offer": offer.pk,
            "contact_name": "Manager",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get(participant=world.participant)
    assert (placement.organisation, placement.offer) == (elsewhere, None)


def test_an_unpublished_offer_cannot_be_taken_up(client, world, host):
    offer = _offer(host, is_published=False)
    client.force_login(world.participant.user)
    response = client.post(
        reverse("placement_create", args=[world.participant.pk]),
        {
            "organisation": host.pk,
            "offer": offer.pk,
            "contact_name": "Ward manager",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "no longer open" in str(response.context["form"].errors["organisation"])


def test_the_plan_page_reads_the_same_number_of_queries_for_more_offers(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.participant.user)
    url = reverse("placement_create", args=[world.participant.pk])

    def add(n):
        for _ in range(n):
            organisation = OrganisationFactory(required_clearances=["dbs"])
            offer = _offer(organisation)
            placement = ApprovedPlacementFactory(organisation=organisation, offer=offer)
            HalfDayFactory(placement=placement, date=timezone.localdate())

    add(2)
    client.get(url)  # warm the caches (roles, sessions)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    add(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


# Placements by host ---------------------------------------------------------------------------


def _spread_world(world, n):
    """`n` hosts with an offer of two visitors a month, each with one visitor this month."""
    today = timezone.localdate()
    for i in range(n):
        organisation = OrganisationFactory(sector="police" if i % 2 else "acute")
        offer = _offer(organisation)
        for _ in range(2 if i == 0 else 1):
            placement = ApprovedPlacementFactory(
                participant=ParticipantFactory(cohort=world.participant.cohort),
                organisation=organisation,
                offer=offer,
            )
            HalfDayFactory(placement=placement, date=today)


def test_the_programme_manager_sees_placements_by_host_and_sector(client, world):
    _spread_world(world, 3)
    client.force_login(world.programme_manager)
    response = client.get(reverse("placements_by_host"), {"cohort": world.participant.cohort_id})
    spread = response.context["spread"]
    assert spread.total == 4
    assert dict(spread.sectors) == {"Acute": 3, "Police": 1}
    crowded = response.context["crowded"]
    assert [(row.this_month, row.capacity, row.state) for row in crowded] == [(2, 2, "Full")]


def test_a_host_at_its_limit_reads_full_as_participants_are_told(client, world):
    """1 of 1 this month: participants are told the month is full, and so is the programme
    manager (issue #20's review: it read "Near capacity")."""
    organisation = OrganisationFactory(name="Harbour Custody Suite")
    offer = _offer(organisation, visitors_per_month=1)
    placement = ApprovedPlacementFactory(
        participant=ParticipantFactory(cohort=world.participant.cohort),
        organisation=organisation,
        offer=offer,
    )
    HalfDayFactory(placement=placement, date=timezone.localdate())
    client.force_login(world.programme_manager)
    response = client.get(reverse("placements_by_host"), {"cohort": world.participant.cohort_id})
    [row] = response.context["crowded"]
    assert (row.this_month, row.capacity, row.state) == (1, 1, "Full")
    page = response.content.decode()
    assert "Near capacity" not in page
    assert ">Full</span> Harbour Custody Suite: 1 of 1 in" in page
    csv_rows = list(
        csv.reader(io.StringIO(client.get(reverse("placements_by_host_csv")).content.decode()))
    )
    assert [csv_rows[1][0], csv_rows[1][-1]] == ["Harbour Custody Suite", "Full"]


def test_a_host_over_its_limit_shows_as_over_capacity(db):
    row = offers.HostRow(
        organisation=OrganisationFactory(), placements=3, capacity=2, this_month=1, next_month=3
    )
    assert row.state == "Over capacity"
    assert offers.HostRow(OrganisationFactory(), 1, 5, 3, 0).state == ""
    assert offers.HostRow(OrganisationFactory(), 1, 5, 4, 0).state == "Near capacity"
    assert offers.HostRow(OrganisationFactory(), 1, 5, 0, 4).state == "Near capacity"
    assert offers.HostRow(OrganisationFactory(), 1, 5, 5, 0).state == "Full"
    assert offers.HostRow(OrganisationFactory(), 1, 1, 0, 1).state == "Full"
    assert offers.HostRow(OrganisationFactory(), 1, 5, 4, 5).state == "Full"
    assert offers.HostRow(OrganisationFactory(), 1, 2, 2, 3).state == "Over capacity"


def test_the_csv_holds_the_same_table(client, world):
    _spread_world(world, 2)
    client.force_login(world.programme_manager)
    response = client.get(reverse("placements_by_host_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Host organisation", "Sector", "Placements", "Visitors a month"]
    assert sorted(r[2] for r in rows[1:]) == ["1", "2"]


def test_placements_by_host_reads_the_same_number_of_queries_at_two_sizes(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.programme_manager)
    url = reverse("placements_by_host")
    _spread_world(world, 2)
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    _spread_world(world, 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


@pytest.mark.parametrize("who", ["participant", "line_manager", "sponsor", "education_lead"])
def test_only_the_programme_manager_sees_placements_by_host(client, world, who):
    user = getattr(world, who)
    client.force_login(getattr(user, "user", user))
    assert client.get(reverse("placements_by_host")).status_code == 403
    assert client.get(reverse("placements_by_host_csv")).status_code == 403


def test_months_are_named_as_people_write_them():
    assert offers.month_label(dt.date(2027, 1, 1)) == "January 2027"
