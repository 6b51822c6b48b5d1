import pytest
from django.urls import reverse

from participants.models import Organisation
from tests.factories import OrganisationFactory


def test_it_lists_organisations_for_any_signed_in_user(client, world):
    OrganisationFactory(name="Willowbank Nursing Home", sector="care_sector")
    client.force_login(world.participant.user)
    response = client.get(reverse("organisation_list"), {"q": "willow"})
    assert response.status_code == 200
    assert b"Willowbank Nursing Home" in response.content
    assert b"Eastmere Hospitals" not in response.content
    assert b"Add an organisation" not in response.content


def test_it_filters_by_sector(client, world):
    OrganisationFactory(name="Saltmarsh Housing", sector="housing")
    client.force_login(world.participant.user)
    response = client.get(reverse("organisation_list"), {"sector": "housing"})
    assert [o.name for o in response.context["organisations"]] == ["Saltmarsh Housing"]


def test_the_programme_manager_adds_an_organisation(client, world):
    client.force_login(world.programme_manager)
    response = client.post(
        reverse("organisation_create"),
        {"name": "Riverside Lane Medical Practice", "sector": "gp_practice", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Riverside Lane Medical Practice").exists()
    from i2i.models import AuditEvent

    assert AuditEvent.objects.filter(
        action="organisation_added", actor=world.programme_manager
    ).exists()


def test_it_refuses_a_duplicate_name_next_to_the_field_and_keeps_the_input(client, world):
    client.force_login(world.programme_manager)
    response = client.post(
        reverse("organisation_create"),
        {"name": "  EASTMERE   hospitals ", "sector": "acute", "town": "Eastmere"},
    )
    assert response.status_code == 200
    assert "already in the directory" in response.context["form"].errors["name"][0]
    html = response.content.decode()
    assert "There is a problem" in html  # the error summary
    assert 'href="#id_name"' in html
    assert 'value="Eastmere"' in html  # the town typed is kept
    assert Organisation.objects.filter(name__iexact="eastmere hospitals").count() == 1


def test_it_asks_for_a_sector_in_plain_english(client, world):
    client.force_login(world.programme_manager)
    response = client.post(reverse("organisation_create"), {"name": "Oakfield Hospice"})
    assert response.status_code == 200
    assert response.context["form"].errors["sector"] == ["Select the sector"]
    assert 'value="Oakfield Hospice"' in response.content.decode()


@pytest.mark.parametrize("who", ["line_manager", "sponsor", "education_lead", "outsider"])
def test_other_roles_may_not_change_the_directory(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("organisation_create")).status_code == 403
    org = world.participant.organisation
    response = client.post(
        reverse("organisation_edit", args=[org.pk]), {"name": "Renamed", "sector": "acute"}
    )
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.name == "Eastmere Hospitals"


def test_an_unknown_organisation_is_not_found(client, world):
    client.force_login(world.programme_manager)
    assert client.get(reverse("organisation_edit", args=[99999])).status_code == 404


def test_the_list_runs_in_constant_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.participant.user)
    OrganisationFactory.create_batch(30)
    # session, user, roles, organisations
    with django_assert_max_num_queries(4):
        client.get(reverse("organisation_list"))
