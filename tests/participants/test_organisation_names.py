"""Organisation names compare the same way on SQLite and PostgreSQL: Unicode case-folding
and collapsed spaces, so a duplicate never counts as a second organisation towards the three
placements (issue #13)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from participants.models import Organisation
from placements import services as placement_services
from placements.models import Placement
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

# (in the directory, typed again) pairs that are one organisation.
SAME = [
    ("Ysbyty Môn Care", "  YSBYTY MÔN CARE "),
    ("Ysbyty Môn Care", "ysbyty\u00a0môn   care"),  # a no-break space, as pasted from Word
    ("Ysbyty Môn Care", "Ysbyty Mo\u0302n Care"),  # ô typed as o + combining circumflex
    ("Straße Care Home", "STRASSE CARE HOME"),  # ß folds to ss
    ("Οδυσσέας Φροντίδα", "ΟΔΥΣΣΈΑΣ ΦΡΟΝΤΊΔΑ"),  # final sigma folds like any sigma
    ("Ærø Omsorg", "ÆRØ OMSORG"),
]


@pytest.mark.parametrize(("existing", "typed"), SAME)
def test_it_finds_an_organisation_by_any_spelling_of_its_name(existing, typed):
    organisation = OrganisationFactory(name=existing)
    assert list(Organisation.objects.named(typed)) == [organisation]


@pytest.mark.parametrize(("existing", "typed"), SAME)
def test_it_refuses_a_name_that_differs_only_by_case_or_spaces(existing, typed):
    OrganisationFactory(name=existing)
    duplicate = Organisation(name=typed, sector="acute")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.message_dict["name"] == [
        f"“{existing}” is already in the directory. "
        "Names that differ only by capital letters or spaces are the same organisation."
    ]


@pytest.mark.parametrize(("existing", "typed"), SAME)
def test_the_database_refuses_a_duplicate_saved_directly(existing, typed):
    OrganisationFactory(name=existing)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name=typed, sector="acute")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.bulk_create([Organisation(name=typed, sector="acute")])
    assert Organisation.objects.count() == 1


def test_names_that_differ_by_an_accent_are_different_organisations():
    """Case-folding keeps accents, as PostgreSQL's lower() does: Môn and Mon are two places."""
    OrganisationFactory(name="Ysbyty Môn Care")
    other = Organisation(name="Ysbyty Mon Care", sector="acute")
    other.full_clean()
    other.save()
    assert Organisation.objects.count() == 2


def test_an_organisation_may_change_the_case_of_its_own_name():
    organisation = OrganisationFactory(name="Ysbyty Môn Care")
    organisation.name = "YSBYTY MÔN CARE"
    organisation.full_clean()
    organisation.save()
    assert list(Organisation.objects.named("ysbyty môn care")) == [organisation]


def test_renaming_through_an_update_keeps_the_name_findable():
    organisation = OrganisationFactory(name="Ysbyty Môn Care")
    Organisation.objects.filter(pk=organisation.pk).update(name="  Straße   Care Home ")
    organisation.refresh_from_db()
    assert organisation.name == "Straße Care Home"
    assert list(Organisation.objects.named("STRASSE CARE HOME")) == [organisation]
    assert not Organisation.objects.named("Ysbyty Môn Care").exists()


def test_a_proposal_in_capitals_reuses_the_directory_entry(world):
    existing = OrganisationFactory(name="Ysbyty Môn Care", sector="care_sector")
    found = placement_services.organisation_propose(
        name="  YSBYTY MÔN CARE ", sector="care_sector", town="", by=world.participant.user
    )
    assert found == existing
    assert Organisation.objects.filter(sector="care_sector").count() == 1


def test_the_placement_form_reuses_the_directory_entry_for_a_proposal_in_capitals(client, world):
    existing = OrganisationFactory(name="Ysbyty Môn Care", sector="care_sector")
    client.force_login(world.participant.user)
    response = client.post(
        reverse("placement_create", args=[world.participant.pk]),
        {
            "proposed_name": "  YSBYTY MÔN CARE ",
            "proposed_sector": "care_sector",
            "contact_name": "Sam Carer",
            "status": "planned",
        },
    )
    placement = Placement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes_edit", args=[placement.pk])
    assert placement.organisation == existing
    assert Organisation.objects.filter(sector="care_sector").count() == 1


def test_the_directory_form_refuses_an_accented_duplicate_next_to_the_field(client, world):
    OrganisationFactory(name="Ysbyty Môn Care")
    client.force_login(world.programme_manager)
    response = client.post(
        reverse("organisation_create"), {"name": "YSBYTY MÔN CARE", "sector": "care_sector"}
    )
    assert response.status_code == 200
    assert "already in the directory" in response.context["form"].errors["name"][0]
    assert Organisation.objects.named("ysbyty môn care").count() == 1
