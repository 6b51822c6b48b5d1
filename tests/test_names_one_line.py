"""A name is one line of text: sign-up and every box people type a name in refuse control
characters (a line break, a tab, an escape) next to the field, keeping what was typed; and an
email whose subject names someone is sent on one line, even for a name stored before."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from participants import recruitment, services
from participants.models import Organisation, User
from placements.models import Placement
from tests.factories import OrganisationFactory, UserFactory
from tests.participants.conftest import COMPLETE, TODAY
from tests.participants.conftest import setup as setup  # noqa: F401 -- the fixture

CONTROLS = ["Ari\nApplicant", "Ari\r\nApplicant", "Ari\tApplicant", "Ari\x1bApplicant"]
ONE_LINE = "without tabs, line breaks or hidden characters"


@pytest.mark.parametrize("name", CONTROLS, ids=repr)
def test_sign_up_refuses_a_name_with_a_control_character_next_to_the_field(client, db, name):
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": name,
            "email": "ari@larkhaven.example",
            "password1": "a long harbour lantern",
            "password2": "a long harbour lantern",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["full_name"] == [f"Enter your full name {ONE_LINE}"]
    assert 'value="ari@larkhaven.example"' in response.content.decode()
    assert not User.objects.filter(email="ari@larkhaven.example").exists()


def test_sign_up_still_takes_a_name_with_accents_hyphens_and_apostrophes(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Siân O'Neill-Ndlovu",
            "email": "sian@larkhaven.example",
            "password1": "a long harbour lantern",
            "password2": "a long harbour lantern",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="sian@larkhaven.example").full_name == "Siân O'Neill-Ndlovu"


@pytest.mark.parametrize("name", CONTROLS, ids=repr)
def test_the_organisation_directory_refuses_such_a_name(client, world, name):
    client.force_login(world.programme_manager)
    response = client.post(
        reverse("organisation_create"), {"name": name + " Trust", "sector": "acute"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [f"Enter the name {ONE_LINE}"]
    assert not Organisation.objects.filter(name__startswith="Ari").exists()


@pytest.fixture
def running(world):
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=4)
    cohort.save()
    return world


def test_a_placement_refuses_such_a_name_for_the_person_to_meet(client, running):
    host = OrganisationFactory(name="Willowbank Nursing Home", sector="care_sector")
    client.force_login(running.participant.user)
    response = client.post(
        reverse("placement_create", args=[running.participant.pk]),
        {"organisation": host.pk, "contact_name": "Bea\nNorthcott", "status": "agreed"},
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["contact_name"]
    assert message.endswith(ONE_LINE)
    assert not Placement.objects.exists()


def test_the_admin_cannot_save_such_a_name_either(world):
    person = world.outsider
    person.full_name = "Nobody\nInparticular"
    with pytest.raises(ValidationError) as refused:
        services.person_save(person=person, by=world.programme_manager)
    assert refused.value.message_dict == {"full_name": [f"Enter the full name {ONE_LINE}"]}


def test_an_email_naming_someone_with_a_line_break_is_sent_on_one_line(
    setup,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """A name stored before names were checked: the line manager is still asked."""
    cohort, employer, _, manager, _, _ = setup
    applicant = UserFactory(full_name="Ari\nApplicant")
    eoi = recruitment.eoi_start(cohort=cohort, organisation=employer, by=applicant)
    eoi = recruitment.eoi_save(
        eoi=eoi,
        by=applicant,
        qualified_on=TODAY.replace(year=TODAY.year - 3, day=1),
        last_appraisal_on=TODAY.replace(day=1),
        **{**COMPLETE, "line_manager_email": manager.email},
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        recruitment.eoi_submit(eoi=eoi, by=applicant)
    [message] = mail.outbox
    assert message.to == [manager.email]
    assert message.subject == (
        "[I2I Cohorts] Please confirm your support: Ari Applicant's I2I Expression of Interest"
    )
    message.message()  # Django builds the headers again, and accepts them
