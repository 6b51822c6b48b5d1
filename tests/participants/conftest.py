"""Fixtures for recruitment tests."""

import datetime as dt

import pytest
from django.utils import timezone

from i2i.rules import add_months
from participants import recruitment
from participants.models import CohortPlaces
from tests.factories import CohortFactory, EducationLeadFactory, OrganisationFactory, UserFactory


def __getattr__(name: str):
    """`TODAY` is read when a test module imports it, after the run's clock has moved: a
    constant here would be read earlier, on the real date, when pytest is given a test file
    in this folder (it loads this conftest before the clock is set)."""
    if name == "TODAY":
        return timezone.localdate()
    raise AttributeError(name)


@pytest.fixture
def setup(db):
    """A recruiting cohort, a partner employer with one place, its lead, sponsor, an
    applicant and their line manager."""
    today = timezone.localdate()
    cohort = CohortFactory(
        name="Cohort 5",
        status="recruiting",
        programme_start=add_months(today, 3),
        eoi_opens=today - dt.timedelta(days=5),
        eoi_closes=today + dt.timedelta(days=20),
    )
    sponsor = UserFactory(full_name="Sasha Sponsor")
    employer = OrganisationFactory(name="Larkhaven Trust", is_partner=True, sponsor=sponsor)
    CohortPlaces.objects.create(cohort=cohort, organisation=employer, places=1)
    lead = EducationLeadFactory(organisation=employer).user
    manager = UserFactory(email="lm@larkhaven.example")
    applicant = UserFactory(full_name="Ari Applicant")
    return cohort, employer, lead, manager, applicant, sponsor


COMPLETE = {
    "profession": "Nursing",
    "registration_body": "NMC",
    "registration_number": "12A3456E",
    "job_title": "Staff nurse",
    "band": "Band 5",
    "performing_well": True,
    "aiming_senior": True,
    "senior_role": "Ward sister",
    "why": "I want to understand where my patients go after discharge and what slows them down "
    "on the way home.",
    "discussed_with_line_manager": True,
    "line_manager_email": "lm@larkhaven.example",
}


def _submitted(setup, applicant=None, **overrides):
    cohort, employer, _, _, default_applicant, _ = setup
    applicant = applicant or default_applicant
    eoi = recruitment.eoi_start(cohort=cohort, organisation=employer, by=applicant)
    fields = {
        **COMPLETE,
        "qualified_on": add_months(timezone.localdate(), -24),
        "last_appraisal_on": add_months(timezone.localdate(), -4),
        **overrides,
    }
    eoi = recruitment.eoi_save(eoi=eoi, by=applicant, **fields)
    return recruitment.eoi_submit(eoi=eoi, by=applicant)
