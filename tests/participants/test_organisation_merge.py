"""Merging a duplicate organisation into the directory's entry loses nothing: every row that
pointed at the duplicate points at the kept organisation afterwards (issue #13)."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from i2i.models import AuditEvent
from improvements.models import ImprovementInitiative
from participants.models import (
    CohortPlaces,
    EducationLead,
    ExpressionOfInterest,
    Organisation,
    Participant,
    SharedContact,
)
from placements.models import Placement
from programme import merge
from tests.factories import (
    CohortFactory,
    EducationLeadFactory,
    ImprovementInitiativeFactory,
    OrganisationFactory,
    ParticipantFactory,
    PlacementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
# The table of the organisations each improvement initiative names.
NAMED = ImprovementInitiative.organisations.through


def _relations() -> dict[str, object]:
    """Every relation to Organisation, named "app.Model.field" after the foreign key that holds
    it. Hidden ones count: a foreign key with related_name="+" (the cohort places, the shared
    contacts, a many-to-many table) is in get_fields(include_hidden=True) only."""
    relations = {}
    for field in Organisation._meta.get_fields(include_hidden=True):
        if not field.is_relation or (field.many_to_many and field.auto_created):
            continue  # a reverse many-to-many: its table's foreign key is listed on its own
        if field.auto_created:
            relations[f"{field.field.model._meta.label}.{field.field.name}"] = field
        else:
            relations[f"{Organisation._meta.label}.{field.name}"] = field
    return relations


def _rows(field, organisation):
    """The rows of a reverse relation that point at the organisation (by id, so that it works
    after the organisation is deleted)."""
    fk = field.field
    return fk.model._base_manager.filter(**{fk.attname: organisation.pk})


@pytest.fixture
def pair(world):
    """A directory entry and the duplicate a participant proposed, each with its own rows,
    and between them a row in every relation an organisation has."""
    into = OrganisationFactory(
        name="Saltmarsh Housing Association", sector="housing", is_partner=False
    )
    duplicate = OrganisationFactory(
        name="Saltmarsh Housing Assoc",
        sector="housing",
        is_partner=True,
        is_confirmed=False,
        proposed_by=world.participant.user,
        sponsor=UserFactory(full_name="Dana Duplicate-Sponsor"),
        town="Saltmarsh",
        website="https://saltmarsh.example",
    )
    cohort, other_cohort = world.participant.cohort, CohortFactory(name="Cohort B")
    # Places: on one cohort both have places (they add up); on the other only the duplicate.
    CohortPlaces.objects.create(cohort=cohort, organisation=into, places=2)
    CohortPlaces.objects.create(cohort=cohort, organisation=duplicate, places=1)
    CohortPlaces.objects.create(cohort=other_cohort, organisation=duplicate, places=3)
    # Education leads: one leads both (stays one row), one leads only the duplicate.
    both = EducationLeadFactory(organisation=into).user
    EducationLead.objects.create(user=both, organisation=duplicate)
    only_duplicate = EducationLeadFactory(organisation=duplicate).user
    employee = ParticipantFactory(cohort=cohort, organisation=duplicate)
    placement = PlacementFactory(participant=world.participant, organisation=duplicate)
    eoi = ExpressionOfInterest.objects.create(
        cohort=other_cohort, applicant=UserFactory(), organisation=duplicate
    )
    contact = SharedContact.objects.create(
        participant=world.participant,
        organisation=duplicate,
        name="Jo Housing-Officer",
        shared_by=world.sponsor,
    )
    # Initiatives: one names only the duplicate, one names both.
    only = ImprovementInitiativeFactory(participant=world.participant)
    only.organisations.set([duplicate])
    both_named = ImprovementInitiativeFactory(participant=world.other_participant)
    both_named.organisations.set([duplicate, into])
    # Issue #20's host person and offer, and #21's team member, at the duplicate.
    from improvements.models import TeamMember
    from participants.models import HostPerson
    from placements.models import PlacementOffer

    HostPerson.objects.create(user=UserFactory(full_name="Hal Host"), organisation=duplicate)
    PlacementOffer.objects.create(organisation=duplicate, title="Tenancy visits", description="-")
    TeamMember.objects.create(initiative=only, name="Tia Team", organisation=duplicate)
    return {
        "into": into,
        "duplicate": duplicate,
        "cohort": cohort,
        "other_cohort": other_cohort,
        "lead_of_both": both,
        "lead_of_duplicate": only_duplicate,
        "employee": employee,
        "placement": placement,
        "eoi": eoi,
        "contact": contact,
        "initiative": only,
        "initiative_naming_both": both_named,
    }


def test_the_merge_declares_what_it_does_with_every_relation():
    handled = set(merge.MERGE_RELATIONS) | set(merge.MERGE_KEEPS)
    missing = sorted(set(_relations()) - handled)
    assert not missing, f"organisation_merge does not say what it does with {missing}"
    assert not handled - set(_relations()), "organisation_merge names a relation that is gone"


def test_the_fixture_has_a_row_in_every_relation(pair):
    """Guard for the test below: a relation added later needs a row here too."""
    duplicate = pair["duplicate"]
    for label, field in _relations().items():
        if field.auto_created:
            assert _rows(field, duplicate).exists(), f"build a row of {label} for the duplicate"
        else:
            assert getattr(duplicate, field.attname) is not None, f"set {label} on the duplicate"


def test_it_moves_every_row_to_the_kept_organisation(pair, world):
    duplicate, into = pair["duplicate"], pair["into"]
    merge.organisation_merge(duplicate=duplicate, into=into, by=world.programme_manager)

    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    for label, field in _relations().items():
        if field.auto_created:
            assert not _rows(field, duplicate).exists(), f"{label} still points at the duplicate"
            assert _rows(field, into).exists(), f"{label} lost its rows"


def test_it_keeps_each_row_and_its_data(pair, world):
    into = merge.organisation_merge(
        duplicate=pair["duplicate"], into=pair["into"], by=world.programme_manager
    )

    assert Placement.objects.get(pk=pair["placement"].pk).organisation == into
    assert Participant.objects.get(pk=pair["employee"].pk).organisation == into
    assert ExpressionOfInterest.objects.get(pk=pair["eoi"].pk).organisation == into
    contact = SharedContact.objects.get(pk=pair["contact"].pk)
    assert (contact.organisation, contact.name) == (into, "Jo Housing-Officer")
    assert list(pair["initiative"].organisations.all()) == [into]
    assert list(pair["initiative_naming_both"].organisations.all()) == [into]
    leads = EducationLead.objects.filter(organisation=into)
    assert sorted(lead.user_id for lead in leads) == sorted(
        [pair["lead_of_both"].pk, pair["lead_of_duplicate"].pk]
    )
    places = {p.cohort_id: p.places for p in CohortPlaces.objects.filter(organisation=into)}
    assert places == {pair["cohort"].pk: 3, pair["other_cohort"].pk: 3}


def test_the_kept_organisation_takes_what_it_lacked_and_keeps_what_it_had(pair, world):
    duplicate_sponsor = pair["duplicate"].sponsor
    into = merge.organisation_merge(
        duplicate=pair["duplicate"], into=pair["into"], by=world.programme_manager
    )
    into.refresh_from_db()
    assert into.name == "Saltmarsh Housing Association"
    assert (into.sponsor, into.town, into.website) == (
        duplicate_sponsor,
        "Eastmere",  # the factory's town: the directory entry's own is kept
        "https://saltmarsh.example",
    )
    assert into.is_partner and into.is_confirmed and into.proposed_by is None


def test_the_kept_organisations_sponsor_stays(pair, world):
    pair["into"].sponsor = world.sponsor
    pair["into"].save()
    into = merge.organisation_merge(
        duplicate=pair["duplicate"], into=pair["into"], by=world.programme_manager
    )
    into.refresh_from_db()
    assert into.sponsor == world.sponsor


def test_the_merge_is_audited_with_what_moved(pair, world):
    merge.organisation_merge(
        duplicate=pair["duplicate"], into=pair["into"], by=world.programme_manager
    )
    event = AuditEvent.objects.get(action="organisation_merged")
    assert event.actor == world.programme_manager
    assert event.target == "“Saltmarsh Housing Assoc” into Saltmarsh Housing Association"
    assert event.detail["duplicate_id"] == pair["duplicate"].pk
    assert event.detail["into_id"] == pair["into"].pk
    assert event.detail["moved"] == {
        "cohort places": 2,
        "education leads": 2,
        "Expressions of Interest": 1,
        "improvement initiatives": 2,
        "participants": 1,
        "placements": 1,
        "shared contacts": 1,
        "host people": 1,
        "placement offers": 1,
        "improvement team members": 1,
    }


def test_it_refuses_to_merge_an_organisation_into_itself(world):
    organisation = world.participant.organisation
    with pytest.raises(ValidationError) as error:
        merge.organisation_merge(
            duplicate=organisation, into=organisation, by=world.programme_manager
        )
    assert error.value.message_dict["into"] == ["Choose a different organisation to merge into."]
    assert Participant.objects.filter(organisation=organisation).count() == 1


def test_it_refuses_a_duplicate_that_was_merged_already(pair, world):
    duplicate, into = pair["duplicate"], pair["into"]
    merge.organisation_merge(duplicate=duplicate, into=into, by=world.programme_manager)
    with pytest.raises(ValidationError) as error:
        merge.organisation_merge(duplicate=duplicate, into=into, by=world.programme_manager)
    assert error.value.messages == [
        "“Saltmarsh Housing Assoc” is no longer in the directory: it may have been merged already."
    ]
    assert AuditEvent.objects.filter(action="organisation_merged").count() == 1


# The page the programme manager uses ---------------------------------------------------


def _post(client, **data):
    return client.post(reverse("organisations_proposed"), data)


def test_the_programme_manager_merges_a_duplicate_with_an_expression_of_interest(
    client, pair, world
):
    client.force_login(world.programme_manager)
    response = _post(
        client, organisation=pair["duplicate"].pk, into=pair["into"].pk, action="merge"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations_proposed")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Merged “Saltmarsh Housing Assoc” into Saltmarsh Housing Association."
    ]
    assert ExpressionOfInterest.objects.get(pk=pair["eoi"].pk).organisation == pair["into"]
    assert SharedContact.objects.get(pk=pair["contact"].pk).organisation == pair["into"]
    assert list(pair["initiative"].organisations.all()) == [pair["into"]]
    assert not Organisation.objects.filter(pk=pair["duplicate"].pk).exists()


def test_merging_without_choosing_the_entry_says_what_to_do(client, pair, world):
    client.force_login(world.programme_manager)
    response = _post(client, organisation=pair["duplicate"].pk, into="", action="merge")
    assert response.status_code == 200
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Choose the directory entry this organisation duplicates."
    ]
    assert Organisation.objects.filter(pk=pair["duplicate"].pk).exists()


def test_merging_a_duplicate_a_second_time_is_explained_not_an_error(client, pair, world):
    client.force_login(world.programme_manager)
    data = {"organisation": pair["duplicate"].pk, "into": pair["into"].pk, "action": "merge"}
    first = _post(client, **data)
    assert first.status_code == 302
    client.get(first["Location"])  # shows (and so uses up) the success message
    response = _post(client, **data)  # the same form, sent again from another tab
    assert response.status_code == 200
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    assert Organisation.objects.filter(pk=pair["into"].pk).exists()
    assert AuditEvent.objects.filter(action="organisation_merged").count() == 1


@pytest.mark.parametrize("who", ["line_manager", "sponsor", "education_lead", "outsider"])
def test_only_the_programme_manager_merges(client, pair, world, who):
    client.force_login(getattr(world, who))
    response = _post(
        client, organisation=pair["duplicate"].pk, into=pair["into"].pk, action="merge"
    )
    assert response.status_code == 403
    assert Organisation.objects.filter(pk=pair["duplicate"].pk).exists()


def test_a_participant_may_not_merge(client, pair, world):
    client.force_login(world.participant.user)
    response = _post(
        client, organisation=pair["duplicate"].pk, into=pair["into"].pk, action="merge"
    )
    assert response.status_code == 403
    assert Placement.objects.get(pk=pair["placement"].pk).organisation == pair["duplicate"]


def test_initiatives_are_unaffected_elsewhere(pair, world):
    """Initiatives that name neither organisation keep their own list."""
    elsewhere = ImprovementInitiativeFactory(participant=ParticipantFactory())
    elsewhere.organisations.set([world.participant.organisation])
    merge.organisation_merge(
        duplicate=pair["duplicate"], into=pair["into"], by=world.programme_manager
    )
    assert list(ImprovementInitiative.objects.get(pk=elsewhere.pk).organisations.all()) == [
        world.participant.organisation
    ]


def test_leads_and_initiatives_of_both_stay_one_each(world):
    into = OrganisationFactory(name="Larkhaven Trust")
    duplicate = OrganisationFactory(name="Larkhaven NHS Trust", is_confirmed=False)
    leads = [EducationLeadFactory(organisation=into).user for _ in range(3)]
    EducationLead.objects.bulk_create(
        [EducationLead(user=lead, organisation=duplicate) for lead in leads]
    )
    initiatives = [
        ImprovementInitiativeFactory(participant=p)
        for p in (world.participant, world.other_participant)
    ]
    NAMED.objects.bulk_create(
        NAMED(improvementinitiative=i, organisation=o)
        for i in initiatives
        for o in (into, duplicate)
    )

    merge.organisation_merge(duplicate=duplicate, into=into, by=world.programme_manager)

    kept = EducationLead.objects.filter(organisation=into)
    assert sorted(kept.values_list("user_id", flat=True)) == sorted(lead.pk for lead in leads)
    assert not EducationLead.objects.filter(organisation_id=duplicate.pk).exists()
    assert sorted(NAMED.objects.values_list("improvementinitiative_id", "organisation_id")) == [
        (initiative.pk, into.pk) for initiative in initiatives
    ]


def _duplicate_with(world, n):
    """A proposed duplicate with n rows of each kind that moves without clashing."""
    into = OrganisationFactory()
    duplicate = OrganisationFactory(is_confirmed=False)
    for _ in range(n):
        cohort = CohortFactory()
        CohortPlaces.objects.create(cohort=cohort, organisation=into, places=1)
        CohortPlaces.objects.create(cohort=cohort, organisation=duplicate, places=1)
        employee = ParticipantFactory(cohort=cohort, organisation=duplicate)
        EducationLeadFactory(organisation=duplicate)
        PlacementFactory(participant=world.participant, organisation=duplicate)
        ExpressionOfInterest.objects.create(
            cohort=cohort, applicant=UserFactory(), organisation=duplicate
        )
        SharedContact.objects.create(
            participant=employee, organisation=duplicate, name="Jo", shared_by=world.sponsor
        )
        initiative = ImprovementInitiativeFactory(participant=employee)
        NAMED.objects.create(improvementinitiative=initiative, organisation=duplicate)
    return duplicate, into


def test_the_merge_runs_in_constant_queries(world):
    counts = []
    for n in (1, 4):
        duplicate, into = _duplicate_with(world, n)
        with CaptureQueriesContext(connection) as queries:
            merge.organisation_merge(duplicate=duplicate, into=into, by=world.programme_manager)
        assert not Organisation.objects.filter(pk=duplicate.pk).exists()
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_relation_the_merge_does_not_know_stops_it_and_nothing_changes(pair, world, monkeypatch):
    """Were a relation added to the models but not to MERGE_RELATIONS, deleting the
    duplicate would take its rows with it: the merge refuses and undoes itself instead."""
    monkeypatch.delitem(merge.MERGE_RELATIONS, "participants.SharedContact.organisation")
    with pytest.raises(ValidationError) as error:
        merge.organisation_merge(
            duplicate=pair["duplicate"], into=pair["into"], by=world.programme_manager
        )
    assert "still has records the merge cannot move" in error.value.messages[0]
    assert SharedContact.objects.get(pk=pair["contact"].pk).organisation == pair["duplicate"]
    assert Placement.objects.get(pk=pair["placement"].pk).organisation == pair["duplicate"]
    assert not AuditEvent.objects.filter(action="organisation_merged").exists()
