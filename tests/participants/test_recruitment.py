"""Recruitment: Expressions of Interest, support, selection within places, onboarding."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from i2i.rules import add_months
from participants import eligibility, recruitment
from participants.models import ExpressionOfInterest, Participant
from programme.progress import commitment_report, with_progress
from tests.factories import EducationLeadFactory, OrganisationFactory, UserFactory
from tests.participants.conftest import COMPLETE as COMPLETE_ANSWERS
from tests.participants.conftest import TODAY, _submitted

LONDON = ZoneInfo("Europe/London")


def test_submitting_asks_the_line_manager(setup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        eoi = _submitted(setup)
    assert (eoi.status, eoi.support) == ("submitted", "pending")
    (message,) = mail.outbox
    assert message.to == ["lm@larkhaven.example"]
    assert f"/expressions-of-interest/{eoi.pk}/support/" in message.body


def test_a_draft_keeps_whatever_was_typed(setup):
    cohort, employer, _, _, applicant, _ = setup
    eoi = recruitment.eoi_start(cohort=cohort, organisation=employer, by=applicant)
    recruitment.eoi_save(eoi=eoi, by=applicant, job_title="Staff nurse")
    with pytest.raises(ValidationError) as error:
        recruitment.eoi_submit(eoi=eoi, by=applicant)
    assert error.value.message_dict["why"] == ["Say why you want to take part"]
    eoi.refresh_from_db()
    assert (eoi.status, eoi.job_title) == ("draft", "Staff nurse")


def test_outside_the_window_nothing_new_is_submitted(setup):
    cohort = setup[0]
    eoi = recruitment.eoi_start(cohort=cohort, organisation=setup[1], by=setup[4])
    recruitment.eoi_save(
        eoi=eoi,
        by=setup[4],
        **COMPLETE_ANSWERS,
        qualified_on=add_months(TODAY, -24),
        last_appraisal_on=add_months(TODAY, -4),
    )
    cohort.eoi_closes = TODAY - dt.timedelta(days=1)
    cohort.save()
    with pytest.raises(ValidationError) as error:
        recruitment.eoi_submit(eoi=eoi, by=setup[4])
    assert "closed on" in error.value.messages[0]
    assert "no new ones can be submitted" in error.value.messages[0]
    with pytest.raises(ValidationError):
        recruitment.eoi_start(cohort=cohort, organisation=setup[1], by=UserFactory())


def test_a_second_eoi_for_the_same_cohort_is_refused(setup):
    _submitted(setup)
    with pytest.raises(ValidationError) as error:
        recruitment.eoi_start(cohort=setup[0], organisation=setup[1], by=setup[4])
    assert "already have an Expression of Interest" in error.value.messages[0]


@pytest.mark.parametrize(
    ("qualified_months_ago", "status"),
    [(24, "met"), (12, "met"), (11, "not_met"), (1, "not_met")],
)
def test_a_year_in_role_is_computed_from_the_date(setup, qualified_months_ago, status):
    eoi = _submitted(setup, qualified_on=add_months(TODAY, -qualified_months_ago))
    criterion = next(c for c in eligibility.judge(eoi, TODAY) if c.code == "year_in_role")
    assert criterion.status == status
    if status == "not_met":
        assert "less than a year ago" in criterion.reason


def test_the_summary_flags_doubts_with_reasons(setup):
    eoi = _submitted(setup, last_appraisal_on=add_months(TODAY, -20), why="To learn more.")
    summary = {c.code: c for c in eligibility.judge(eoi, TODAY)}
    assert summary["performing"].status == "doubtful"
    assert "more than 15 months ago" in summary["performing"].reason
    assert summary["enthusiasm"].status == "doubtful"
    assert summary["support"].reason == "Waiting for the line manager to confirm support."


def test_support_confirmed_then_selection_onboards_the_participant(
    setup, django_capture_on_commit_callbacks
):
    cohort, employer, lead, manager, applicant, sponsor = setup
    eoi = _submitted(setup)
    recruitment.eoi_support(eoi=eoi, by=manager, supported=True)
    with django_capture_on_commit_callbacks(execute=True):
        eoi = recruitment.eoi_decide(eoi=eoi, by=lead, decision="selected", reason="Strong fit.")
    participant = Participant.objects.get(user=applicant, cohort=cohort)
    assert (participant.line_manager, participant.sponsor) == (manager, sponsor)
    assert participant.organisation == employer
    assert eoi.participant == participant
    assert mail.outbox[-1].to == [applicant.email]
    assert "you have been selected" in mail.outbox[-1].body


def test_selecting_beyond_the_places_is_refused(setup):
    cohort, employer, lead, manager, applicant, _ = setup
    first = _submitted(setup)
    recruitment.eoi_support(eoi=first, by=manager, supported=True)
    recruitment.eoi_decide(eoi=first, by=lead, decision="selected", reason="Yes")
    second = _submitted(setup, applicant=UserFactory())
    recruitment.eoi_support(eoi=second, by=manager, supported=True)
    with pytest.raises(ValidationError) as error:
        recruitment.eoi_decide(eoi=second, by=lead, decision="selected", reason="Also good")
    assert (
        "has 1 place on Cohort 5 and 1 is already selected"
        in (error.value.message_dict["decision"][0])
    )


def test_selection_needs_the_line_managers_support(setup):
    eoi = _submitted(setup)
    with pytest.raises(ValidationError) as error:
        recruitment.eoi_decide(eoi=eoi, by=setup[2], decision="selected", reason="Yes")
    assert "not confirmed support" in error.value.message_dict["decision"][0]


def test_a_changed_decision_keeps_its_history(setup):
    _, _, lead, manager, applicant, _ = setup
    eoi = _submitted(setup)
    recruitment.eoi_support(eoi=eoi, by=manager, supported=True)
    recruitment.eoi_decide(eoi=eoi, by=lead, decision="selected", reason="Yes")
    eoi = recruitment.eoi_decide(eoi=eoi, by=lead, decision="not_selected", reason="Withdrew")
    assert eoi.participant is None
    assert not Participant.objects.filter(user=applicant).exists()
    assert list(eoi.events.values_list("action", "comment")) == [
        ("submitted", ""),
        ("support_confirmed", ""),
        ("selected", "Yes"),
        ("not_selected", "Withdrew"),
    ]


def test_a_decision_needs_a_reason(setup):
    eoi = _submitted(setup)
    with pytest.raises(ValidationError) as error:
        recruitment.eoi_decide(eoi=eoi, by=setup[2], decision="not_selected", reason=" ")
    assert "Give the reason" in error.value.message_dict["reason"][0]


def test_an_education_lead_of_another_organisation_cannot_decide(setup):
    eoi = _submitted(setup)
    other_lead = EducationLeadFactory().user
    with pytest.raises(PermissionDenied):
        recruitment.eoi_decide(eoi=eoi, by=other_lead, decision="not_selected", reason="No")


def test_declining_support_needs_a_comment(setup):
    eoi = _submitted(setup)
    with pytest.raises(ValidationError):
        recruitment.eoi_support(eoi=eoi, by=setup[3], supported=False)
    eoi = recruitment.eoi_support(eoi=eoi, by=setup[3], supported=False, comment="Short-staffed")
    criterion = next(c for c in eligibility.judge(eoi, TODAY) if c.code == "support")
    assert (criterion.status, criterion.reason) == (
        "not_met",
        "The line manager declined: “Short-staffed”",
    )


def test_only_the_named_line_manager_confirms_support(setup):
    eoi = _submitted(setup)
    with pytest.raises(PermissionDenied):
        recruitment.eoi_support(eoi=eoi, by=UserFactory(), supported=True)


def test_a_nominee_completes_the_same_form(setup, django_capture_on_commit_callbacks):
    cohort, employer, lead, _, _, _ = setup
    with django_capture_on_commit_callbacks(execute=True):
        eoi = recruitment.eoi_nominate(
            cohort=cohort, organisation=employer, by=lead, email="New.Person@Larkhaven.example"
        )
    assert (eoi.applicant, eoi.nominee_email) == (None, "new.person@larkhaven.example")
    assert mail.outbox[0].to == ["new.person@larkhaven.example"]
    nominee = UserFactory(email="new.person@larkhaven.example")
    eoi = recruitment.eoi_save(eoi=eoi, by=nominee, job_title="Occupational therapist")
    assert eoi.applicant == nominee


def test_the_sponsor_records_the_meeting_and_shares_a_contact(world):
    participant = world.participant
    # A week into the world's programme, whatever day the suite runs on: the meeting must
    # fall in the programme's years and not after today.
    met_on = participant.cohort.programme_start
    week_in = dt.datetime.combine(met_on + dt.timedelta(days=7), dt.time(10), tzinfo=LONDON)
    with time_machine.travel(week_in, tick=False):
        meeting = recruitment.sponsor_meeting_record(
            participant=participant, by=world.sponsor, met_on=met_on, notes="Talked about hosts."
        )
        assert meeting.recorded_by == world.sponsor
        contact = recruitment.contact_share(
            participant=participant,
            by=world.sponsor,
            organisation=OrganisationFactory(name="Oakfield Hospice"),
            name="Dee Host",
        )
        assert contact.participant == participant
        with pytest.raises(PermissionDenied):
            recruitment.sponsor_meeting_record(
                participant=participant, by=world.line_manager, met_on=met_on
            )


def test_the_register_feeds_the_briefing_commitment(world):
    from participants.models import Participant as P

    cohort = world.participant.cohort
    recruitment.attendance_record(
        cohort=cohort, by=world.programme_manager, register={world.participant.pk: (True, None)}
    )
    participant = with_progress(P.objects.filter(pk=world.participant.pk)).get()
    assert commitment_report(participant).get("briefing").status == "met"
    with pytest.raises(PermissionDenied):
        recruitment.attendance_record(cohort=cohort, by=world.line_manager, register={})


def test_places_are_set_by_the_programme_manager(setup, world):
    cohort, employer = setup[0], setup[1]
    recruitment.places_set(cohort=cohort, by=world.programme_manager, places={employer.pk: 4})
    assert recruitment.places_left(cohort, employer) == (4, 0)
    with pytest.raises(PermissionDenied):
        recruitment.places_set(cohort=cohort, by=setup[2], places={employer.pk: 9})


def test_the_database_refuses_an_eoi_with_nobody_to_complete_it(setup):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpressionOfInterest.objects.create(cohort=setup[0], organisation=setup[1])
