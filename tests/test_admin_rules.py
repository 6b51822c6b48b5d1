"""The admin cannot get round the rules (issue 14, item 4), tried as the programme manager
through the admin's own pages.

Each of the issue's edits used to save without complaint; each programme record with a
service is now read in the admin, never added, changed or deleted there. What the programme
manager does need the admin for (attendance, cohort dates, places, organisation details)
goes through the same services as the product's pages, with their refusals and an audit
event."""

import datetime as dt

import pytest
from django.urls import reverse

from i2i.models import AuditEvent
from improvements.models import AgreementDecision
from participants.models import (
    Cohort,
    CohortPlaces,
    EOIEvent,
    ExpressionOfInterest,
    Participant,
    WorkshopConsent,
)
from placements.models import HalfDay, LearningOutcome, OutcomesDecision
from reflections.models import ReflectiveAccount
from tests.admin_forms import changed, form_data
from tests.factories import (
    ApprovedPlacementFactory,
    CohortFactory,
    HalfDayFactory,
    ImprovementInitiativeFactory,
    OrganisationFactory,
    ParticipantFactory,
    PlacementFactory,
    ReflectiveAccountFactory,
)


def _change(client, model, obj, **changes):
    """Open the record's change page as the programme manager and save it with `changes`."""
    url = reverse(f"admin:{model}_change", args=[obj.pk])
    return client.post(url, changed(client.get(url), **changes))


@pytest.fixture
def manager(client, world):
    client.force_login(world.programme_manager)
    return client


# The edits, each refused ----------------------------------------------------------


def test_a_half_day_is_not_moved_outside_the_window(manager, world):
    half_day = HalfDayFactory(placement__participant=world.participant)
    outside = world.participant.cohort.programme_end + dt.timedelta(days=1)
    response = _change(manager, "placements_halfday", half_day, date=outside.isoformat())
    assert response.status_code == 403
    half_day.refresh_from_db()
    assert half_day.date != outside


def test_a_completed_half_day_is_not_added_before_the_outcomes_are_approved(manager, world):
    placement = PlacementFactory(participant=world.participant, outcomes_status="draft")
    start = world.participant.cohort.programme_start
    response = manager.post(
        reverse("admin:placements_halfday_add"),
        {
            "placement": placement.pk,
            "participant": world.participant.pk,
            "date": (start + dt.timedelta(days=3)).isoformat(),
            "session": "am",
            "person_met": "Ward sister",
            "level": "team_leader",
            "status": "completed",
        },
    )
    assert response.status_code == 403
    assert not HalfDay.objects.filter(placement=placement).exists()


def test_outcomes_are_not_approved_without_the_line_manager(manager, world):
    participant = ParticipantFactory(cohort=world.participant.cohort, line_manager=None)
    placement = PlacementFactory(participant=participant, outcomes_status="submitted")
    response = _change(manager, "placements_placement", placement, outcomes_status="approved")
    assert response.status_code == 403
    placement.refresh_from_db()
    assert placement.outcomes_status == "submitted"
    assert placement.outcomes_first_approved_at is None
    assert not OutcomesDecision.objects.filter(placement=placement).exists()


def test_approved_outcomes_are_not_rewritten_without_approval_again(manager, world):
    placement = ApprovedPlacementFactory(participant=world.participant)
    outcome = placement.outcomes.get()
    response = _change(manager, "placements_learningoutcome", outcome, text="Something else")
    assert response.status_code == 403
    assert LearningOutcome.objects.get(pk=outcome.pk).text == outcome.text


def test_an_initiative_is_not_agreed_without_a_decision(manager, world):
    initiative = ImprovementInitiativeFactory(participant=world.participant)
    response = _change(
        manager, "improvements_improvementinitiative", initiative, agreement="agreed"
    )
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.agreement != "agreed"
    assert not AgreementDecision.objects.exists()


def test_an_expression_of_interest_is_not_selected_without_its_participant(manager, world):
    eoi = ExpressionOfInterest.objects.create(
        cohort=world.participant.cohort,
        applicant=world.outsider,
        organisation=world.participant.organisation,
        status="submitted",
    )
    response = _change(manager, "participants_expressionofinterest", eoi, decision="selected")
    assert response.status_code == 403
    eoi.refresh_from_db()
    assert (eoi.decision, eoi.participant) == ("", None)
    assert not EOIEvent.objects.exists()
    assert not Participant.objects.filter(user=world.outsider).exists()


def test_nobody_consents_to_the_workshop_pack_for_a_participant(manager, world):
    response = manager.post(
        reverse("admin:participants_workshopconsent_add"),
        {
            "participant": world.participant.pk,
            "include": "on",
            "include_learning": "on",
            "include_initiative": "on",
            "include_ideas": "on",
        },
    )
    assert response.status_code == 403
    assert not WorkshopConsent.objects.exists()


def test_a_reflective_account_is_not_deleted(manager, world):
    account = ReflectiveAccountFactory(placement__participant=world.participant)
    delete = reverse("admin:reflections_reflectiveaccount_delete", args=[account.pk])
    assert manager.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:reflections_reflectiveaccount_changelist")
    page = manager.get(changelist)
    assert "delete_selected" not in page.content.decode()
    manager.post(
        changelist, {"action": "delete_selected", "_selected_action": [account.pk], "post": "yes"}
    )
    assert ReflectiveAccount.objects.filter(pk=account.pk).exists()


def test_a_programme_record_can_still_be_read(manager, world):
    """Read-only, not hidden: the programme manager sees what the product shows them."""
    half_day = HalfDayFactory(placement__participant=world.participant, person_met="Ward sister")
    page = manager.get(reverse("admin:placements_placement_change", args=[half_day.placement.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ward sister" in html
    assert 'name="outcomes_status"' not in html
    assert "_save" not in html


# What the programme manager does here, through the services -----------------------------


def test_attendance_from_the_register_list_is_recorded_and_audited(manager, world):
    """The list of a cohort's participants is its register: two rows ticked, one save."""
    changelist = reverse("admin:participants_participant_changelist")
    cohort = {"cohort__id__exact": world.participant.cohort.pk}
    page = manager.get(changelist, cohort)
    rows = {f.instance: i for i, f in enumerate(page.context["cl"].formset.forms)}
    data = changed(
        page,
        **{
            f"form-{rows[world.participant]}-briefing_attended": "true",
            f"form-{rows[world.other_participant]}-workshop_attended": "false",
        },
    )
    data["_save"] = ["Save"]
    response = manager.post(f"{changelist}?cohort__id__exact={cohort['cohort__id__exact']}", data)
    assert response.status_code == 302
    world.participant.refresh_from_db()
    world.other_participant.refresh_from_db()
    assert world.participant.briefing_attended is True
    assert world.other_participant.workshop_attended is False
    events = AuditEvent.objects.filter(action="attendance_recorded")
    assert {e.actor_id for e in events} == {world.programme_manager.pk}
    assert sorted(e.detail["attendance"].popitem() for e in events) == sorted(
        [
            (str(world.participant.pk), [True, None]),
            (str(world.other_participant.pk), [None, False]),
        ]
    )


def test_a_participants_job_title_is_corrected_and_audited(manager, world):
    participant = world.participant
    response = _change(
        manager,
        "participants_participant",
        participant,
        job_title="Ward manager",
        workshop_attended="false",
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.job_title, participant.workshop_attended) == ("Ward manager", False)
    assert AuditEvent.objects.get(action="participant_details_changed").detail == {
        "fields": ["job_title"]
    }
    assert AuditEvent.objects.filter(action="attendance_recorded").count() == 1


def test_a_participant_is_not_added_moved_or_deleted_here(manager, world):
    participant = world.participant
    assert manager.get(reverse("admin:participants_participant_add")).status_code == 403
    other_cohort = CohortFactory()
    _change(manager, "participants_participant", participant, cohort=other_cohort.pk)
    participant.refresh_from_db()
    assert participant.cohort != other_cohort
    delete = reverse("admin:participants_participant_delete", args=[participant.pk])
    assert manager.post(delete, {"post": "yes"}).status_code == 403


def test_cohort_dates_are_checked_and_audited(manager, world):
    cohort = world.participant.cohort
    too_early = cohort.programme_start + dt.timedelta(days=7)
    response = _change(manager, "participants_cohort", cohort, workshop_date=too_early)
    assert response.status_code == 200
    assert "at least eight weeks after the programme starts" in response.content.decode()
    assert Cohort.objects.get(pk=cohort.pk).workshop_date != too_early
    assert not AuditEvent.objects.filter(action="cohort_changed").exists()

    workshop = cohort.programme_start + dt.timedelta(weeks=20)
    response = _change(manager, "participants_cohort", cohort, workshop_date=workshop)
    assert response.status_code == 302
    assert Cohort.objects.get(pk=cohort.pk).workshop_date == workshop
    event = AuditEvent.objects.get(action="cohort_changed")
    assert event.actor == world.programme_manager
    assert event.detail["changes"] == {
        "workshop_date": [
            cohort.workshop_date.isoformat() if cohort.workshop_date else None,
            workshop.isoformat(),
        ]
    }


def test_a_cohort_nobody_joined_is_deleted_with_its_places_and_audited(manager, world):
    cohort = CohortFactory(name="Set up by mistake")
    CohortPlaces.objects.create(cohort=cohort, organisation=world.participant.organisation)
    delete = reverse("admin:participants_cohort_delete", args=[cohort.pk])
    response = manager.post(delete, {"post": "yes"})
    assert response.status_code == 302
    assert not Cohort.objects.filter(pk=cohort.pk).exists()
    event = AuditEvent.objects.get(action="cohort_deleted")
    assert (event.target, event.detail) == ("Set up by mistake", {"cohort_id": cohort.pk})


def test_places_are_set_through_the_service_and_audited(manager, world):
    cohort = world.participant.cohort
    places = CohortPlaces.objects.create(
        cohort=cohort, organisation=world.participant.organisation, places=2
    )
    response = _change(manager, "participants_cohortplaces", places, places=5)
    assert response.status_code == 302
    places.refresh_from_db()
    assert places.places == 5
    other = OrganisationFactory(name="Wherry Trust")
    response = manager.post(
        reverse("admin:participants_cohortplaces_add"),
        {"cohort": cohort.pk, "organisation": other.pk, "places": 3},
    )
    assert response.status_code == 302
    assert CohortPlaces.objects.get(cohort=cohort, organisation=other).places == 3
    events = AuditEvent.objects.filter(action="places_set").order_by("pk")
    assert [e.detail["places"] for e in events] == [
        {str(places.organisation_id): 5},
        {str(other.pk): 3},
    ]
    delete = reverse("admin:participants_cohortplaces_delete", args=[places.pk])
    assert manager.post(delete, {"post": "yes"}).status_code == 403


def test_organisation_details_are_saved_through_the_service_and_audited(manager, world):
    organisation = world.participant.organisation
    response = _change(manager, "participants_organisation", organisation, town="Wherrytown")
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.town == "Wherrytown"
    event = AuditEvent.objects.get(action="organisation_changed")
    assert event.detail == {"organisation_id": organisation.pk, "fields": ["town"]}
    delete = reverse("admin:participants_organisation_delete", args=[organisation.pk])
    assert manager.post(delete, {"post": "yes"}).status_code == 403


def test_an_organisation_name_clash_is_refused_next_to_the_name(manager, world):
    organisation = OrganisationFactory(name="Wherry Trust")
    response = _change(
        manager, "participants_organisation", organisation, name="EASTMERE  hospitals"
    )
    assert response.status_code == 200
    assert "already in the directory" in response.content.decode()
    assert form_data(response)["name"] == ["EASTMERE  hospitals"]
    organisation.refresh_from_db()
    assert organisation.name == "Wherry Trust"
