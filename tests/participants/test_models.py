import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from participants.models import Organisation, User
from tests.factories import CohortFactory, OrganisationFactory, ParticipantFactory, UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "variant", ["eastmere hospitals", "  Eastmere   Hospitals ", "EASTMERE HOSPITALS"]
)
def test_it_refuses_an_organisation_name_that_differs_only_by_case_or_spaces(variant):
    OrganisationFactory(name="Eastmere Hospitals")
    duplicate = Organisation(name=variant, sector="acute")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "already in the directory" in error.value.message_dict["name"][0]


@pytest.mark.django_db
def test_the_database_refuses_a_case_variant_organisation_too():
    OrganisationFactory(name="Eastmere Hospitals")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name=" eastmere hospitals ", sector="acute")


@pytest.mark.django_db
def test_it_tidies_spaces_in_organisation_names():
    org = OrganisationFactory(name="  Fenbridge    District Council ")
    assert org.name == "Fenbridge District Council"


@pytest.mark.django_db
def test_it_keeps_email_addresses_unique_regardless_of_case():
    UserFactory(email="lee@trust.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="LEE@trust.example")


@pytest.mark.django_db
def test_create_user_lower_cases_the_email():
    user = User.objects.create_user("Riley.Example@Trust.Example", "pw")
    assert user.email == "riley.example@trust.example"
    assert User.objects.get_by_natural_key("RILEY.example@trust.example") == user


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2027, 3, 1), dt.date(2027, 9, 1)),
        (dt.date(2026, 8, 31), dt.date(2027, 2, 28)),
        (dt.date(2027, 8, 31), dt.date(2028, 2, 29)),  # leap year
        (dt.date(2027, 9, 15), dt.date(2028, 3, 15)),
    ],
)
def test_a_cohort_shows_the_end_of_its_six_month_window(start, end):
    assert CohortFactory.build(programme_start=start).programme_end == end


@pytest.mark.django_db
def test_a_cohort_refuses_expressions_of_interest_closing_before_they_open():
    cohort = CohortFactory.build(eoi_opens=dt.date(2027, 1, 10), eoi_closes=dt.date(2027, 1, 5))
    with pytest.raises(ValidationError) as error:
        cohort.full_clean()
    assert "eoi_closes" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        cohort.save()


@pytest.mark.django_db
def test_a_participant_cannot_line_manage_themselves():
    participant = ParticipantFactory()
    participant.line_manager = participant.user
    with pytest.raises(ValidationError) as error:
        participant.full_clean()
    assert "line_manager" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        participant.save()


@pytest.mark.django_db
def test_a_person_joins_a_cohort_once():
    participant = ParticipantFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(user=participant.user, cohort=participant.cohort)
