"""Checks before the first visit (issue #20): the host's and the offer's checks are recorded
on the placement, and its first half-day waits for them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from i2i.models import AuditEvent, Notification
from participants.models import HostPerson
from placements import clearances, services
from placements.models import ClearanceRecord, HalfDay, PlacementOffer
from programme import reminders
from tests.factories import ApprovedPlacementFactory, OrganisationFactory, UserFactory

TODAY = dt.date(2027, 3, 20)
MISSING = (
    "The host's checks come before the first visit. Before the first half-day with Riverside "
    "Ward, record these checks the host needs: DBS check, Local induction."
)


@pytest.fixture
def host(db):
    return OrganisationFactory(
        name="Riverside Ward", sector="acute", required_clearances=["local_induction"]
    )


@pytest.fixture
def placement(world, host):
    offer = PlacementOffer.objects.create(
        organisation=host, title="Ward round", description="-", clearances=["dbs"]
    )
    return ApprovedPlacementFactory(participant=world.participant, organisation=host, offer=offer)


@pytest.fixture
def host_person(host):
    user = UserFactory(full_name="Hana Host")
    HostPerson.objects.create(user=user, organisation=host)
    return user


def _log(placement, day=dt.date(2027, 3, 15), session="am"):
    return services.half_day_log(
        placement=placement,
        by=placement.participant.user,
        today=TODAY,
        date=day,
        session=session,
        person_met="Ward manager",
        level="team_leader",
        status="completed",
    )


def _record(placement, kind, by):
    return clearances.clearance_record(
        placement=placement,
        by=by,
        kind=kind,
        confirmed_by_name="Hana Host",
        confirmed_on=dt.date(2027, 3, 1),
        today=TODAY,
    )


def test_the_first_half_day_is_refused_naming_the_host_and_the_missing_checks(placement):
    with pytest.raises(ValidationError) as refused:
        _log(placement)
    assert refused.value.message_dict == {"date": [MISSING]}
    assert not HalfDay.objects.filter(placement=placement).exists()


def test_only_the_checks_still_missing_are_named(placement, world):
    _record(placement, "dbs", world.line_manager)
    with pytest.raises(ValidationError) as refused:
        _log(placement)
    assert refused.value.messages[0].endswith("the host needs: Local induction.")


def test_the_first_half_day_is_logged_once_every_check_is_recorded(placement, world, host_person):
    _record(placement, "dbs", world.line_manager)
    _record(placement, "local_induction", host_person)
    assert _log(placement).pk


def test_later_half_days_are_not_held_back_by_a_check_added_afterwards(placement, world):
    _record(placement, "dbs", world.participant.user)
    _record(placement, "local_induction", world.participant.user)
    _log(placement)
    placement.organisation.required_clearances = ["local_induction", "id_badge"]
    placement.organisation.save()
    assert _log(placement, session="pm").pk


def test_a_host_with_no_checks_holds_nothing_back(world):
    assert _log(ApprovedPlacementFactory(participant=world.participant)).pk


@pytest.mark.parametrize("who", ["participant", "line_manager", "programme_manager", "host"])
def test_the_participant_line_manager_host_person_and_programme_manager_record_checks(
    placement, world, host_person, who
):
    by = host_person if who == "host" else getattr(world, who)
    if who == "participant":
        by = world.participant.user
    record = _record(placement, "dbs", by)
    assert record.confirmed_by == by
    assert AuditEvent.objects.filter(action="clearance_recorded", actor=by).exists()


@pytest.mark.parametrize("who", ["sponsor", "education_lead", "other_education_lead", "outsider"])
def test_nobody_else_records_checks(placement, world, who):
    with pytest.raises(PermissionDenied):
        _record(placement, "dbs", getattr(world, who))


def test_a_check_the_host_does_not_need_is_refused(placement, world):
    with pytest.raises(ValidationError, match="Choose one of the checks this host needs"):
        _record(placement, "honorary_contract", world.participant.user)


def test_recording_a_check_again_corrects_it(placement, world):
    _record(placement, "dbs", world.participant.user)
    _record(placement, "dbs", world.line_manager)
    assert ClearanceRecord.objects.get(placement=placement).confirmed_by == world.line_manager


# The pages ------------------------------------------------------------------------------------


def test_the_placement_page_lists_each_check_recorded_or_missing(client, placement, world):
    _record(placement, "dbs", world.line_manager)
    client.force_login(world.participant.user)
    page = client.get(reverse("placement_detail", args=[placement.pk])).content.decode()
    assert "Checks before the first visit" in page
    assert "DBS check</strong>: confirmed by Hana Host on 1 March 2027" in page
    assert "Missing</span>" in page and "Local induction" in page


def test_a_host_person_records_a_check_from_its_page(client, placement, host_person):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    client.force_login(host_person)
    url = reverse("clearance_record", args=[placement.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "local_induction",
            "confirmed_by_name": "Hana Host",
            "confirmed_on-day": str(yesterday.day),
            "confirmed_on-month": str(yesterday.month),
            "confirmed_on-year": str(yesterday.year),
            "note": "Fire exits shown",
        },
    )
    assert response.status_code == 302
    record = ClearanceRecord.objects.get(placement=placement)
    assert (record.kind, record.note, record.confirmed_by) == (
        "local_induction",
        "Fire exits shown",
        host_person,
    )


def test_a_check_without_a_name_is_refused_next_to_the_field_with_the_input_kept(
    client, placement, world
):
    client.force_login(world.line_manager)
    response = client.post(
        reverse("clearance_record", args=[placement.pk]),
        {"kind": "dbs", "confirmed_by_name": "", "note": "Seen certificate 1234"},
    )
    assert response.status_code == 200
    assert "confirmed_by_name" in response.context["form"].errors
    assert "Seen certificate 1234" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("sponsor", 403),
        ("education_lead", 403),
        ("other_participant", 404),
        ("other_education_lead", 404),
        ("outsider", 404),
    ],
)
def test_others_get_403_or_404(client, placement, world, who, status):
    user = getattr(world, who)
    client.force_login(getattr(user, "user", user))
    assert client.get(reverse("clearance_record", args=[placement.pk])).status_code == status


def test_a_host_person_of_another_organisation_gets_404(client, placement):
    other = UserFactory()
    HostPerson.objects.create(user=other, organisation=OrganisationFactory())
    client.force_login(other)
    assert client.get(reverse("clearance_record", args=[placement.pk])).status_code == 404


def test_the_host_sets_the_checks_every_visitor_needs(client, host, host_person):
    client.force_login(host_person)
    url = reverse("host_checks_edit", args=[host.pk])
    response = client.post(url, {"clearances": ["dbs", "id_badge"]})
    assert response.status_code == 302
    host.refresh_from_db()
    assert host.required_clearances == ["dbs", "id_badge"]


def test_only_its_host_person_or_the_programme_manager_sets_a_hosts_checks(client, host, world):
    client.force_login(world.participant.user)
    assert client.get(reverse("host_checks_edit", args=[host.pk])).status_code == 403


# Reminders ------------------------------------------------------------------------------------


def test_checks_missing_two_weeks_before_the_first_half_day_are_found(placement, world):
    HalfDay.objects.create(
        placement=placement,
        participant=placement.participant,
        date=TODAY + dt.timedelta(days=10),
        session="am",
        person_met="Ward manager",
        level="team_leader",
        status="planned",
    )
    due = clearances.checks_due(TODAY)
    assert [(d.placement, d.missing_labels) for d in due] == [
        (placement, "DBS check, Local induction")
    ]
    assert clearances.checks_due(TODAY - dt.timedelta(days=10)) == []


def test_the_reminder_names_the_first_visit_still_to_come(placement):
    """A half-day planned for last week and never marked as completed is not the first
    visit the checks are for: the one in ten days is."""
    for day, session in ((TODAY - dt.timedelta(days=7), "am"), (TODAY + dt.timedelta(10), "pm")):
        HalfDay.objects.create(
            placement=placement,
            participant=placement.participant,
            date=day,
            session=session,
            person_met="Ward manager",
            level="team_leader",
            status="planned",
        )
    (due,) = clearances.checks_due(TODAY)
    assert due.first_day == TODAY + dt.timedelta(days=10)


def test_the_participant_is_reminded_once(placement, world):
    HalfDay.objects.create(
        placement=placement,
        participant=placement.participant,
        date=TODAY + dt.timedelta(days=10),
        session="am",
        person_met="Ward manager",
        level="team_leader",
        status="planned",
    )
    reminders.send_due_reminders(today=TODAY)
    sent = Notification.objects.filter(kind="clearances_due")
    assert [n.recipient for n in sent] == [world.participant.user]
    assert "DBS check, Local induction" in sent[0].body
    assert sent[0].subject.endswith("Checks before your first half-day with Riverside Ward")
    reminders.send_due_reminders(today=TODAY)
    assert Notification.objects.filter(kind="clearances_due").count() == 1
