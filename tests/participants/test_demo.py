"""`python manage.py demo`: a believable, fictional partnership, safe to run twice."""

from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from zeal import zeal_ignore

from participants.demo import load_demo
from participants.models import Cohort, EducationLead, Organisation, Participant, User

LEAFLET = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_982900396ad7c0ed.txt"


@contextmanager
def _seeding():
    """The demo is seed code for a fixed, fictional data set: it upserts its rows one by one
    and runs the real services once per demo person, on purpose (it needs them to behave as
    in use). zeal reports those repeats; they are not a page's N+1, so they are let through
    here, around the loading only."""
    with zeal_ignore():
        yield


def _counts():
    return [m.objects.count() for m in (Organisation, Cohort, Participant, User, EducationLead)]


@pytest.mark.django_db
def test_it_builds_a_partnership_with_every_role():
    with _seeding():
        logins = load_demo()
    assert Organisation.objects.count() >= 8
    assert Organisation.objects.values("sector").distinct().count() >= 8
    assert Cohort.objects.filter(status="running").count() == 1
    assert Cohort.objects.filter(status="recruiting").count() == 1
    assert Cohort.objects.filter(status="closed").count() == 1
    assert 10 <= Participant.objects.filter(cohort__status="running").count() <= 14
    assert Participant.objects.filter(cohort__status="closed").count() == 5
    assert {login.role for login in logins} == {
        "Programme manager",
        "Participant",
        "Education lead",
        "Sponsor",
        "Line manager",
    }
    assert User.objects.filter(is_programme_manager=True).exists()


@pytest.mark.django_db
def test_the_finished_cohort_reads_like_one():
    from evaluation.models import SelfAssessment
    from improvements.models import ImprovementInitiative

    with _seeding():
        load_demo()
    closed = Cohort.objects.get(status="closed")
    answers = SelfAssessment.objects.filter(participant__cohort=closed)
    assert answers.filter(moment="after").count() == 5
    # Answered when the programme did, not when the demo was loaded.
    for assessment in answers:
        day = timezone.localtime(assessment.submitted_at).date()
        assert closed.programme_start <= day <= closed.programme_end, assessment.moment
    ideas = ImprovementInitiative.objects.filter(participant__cohort=closed).exclude(i2i_ideas="")
    assert ideas.count() >= 3
    assert ideas.values("i2i_ideas").distinct().count() >= 3


@pytest.mark.django_db
def test_it_is_idempotent(capsys):
    with _seeding():
        call_command("demo")
    before = _counts()
    with _seeding():
        call_command("demo")
    assert _counts() == before
    assert "Password for every demo login" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_uses_no_real_person_or_contact_from_the_leaflet():
    with _seeding():
        load_demo()
    emails = " ".join(User.objects.values_list("email", flat=True))
    names = " ".join(User.objects.values_list("full_name", flat=True))
    assert all(email.endswith(".example") for email in emails.split())
    assert "nhs.net" not in emails
    assert "Hill" not in names.split()
    if LEAFLET.exists():
        leaflet = LEAFLET.read_text()
        for name in User.objects.values_list("full_name", flat=True):
            assert name not in leaflet
