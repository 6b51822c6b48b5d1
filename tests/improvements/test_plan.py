"""The initiative's people and implementation plan (improvements/plan.py, plan_views.py):
service users' feedback, the team (links in the network), milestones, estimates, the kind of
each measure and co-production."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation.network import cohort_networks
from improvements.models import ImplementationMilestone, ServiceUserFeedback, TeamMember
from programme.evaluation_report import cohort_evaluation
from tests.factories import ImprovementInitiativeFactory, MeasureFactory, OrganisationFactory


@pytest.fixture
def initiative(world):
    return ImprovementInitiativeFactory(participant=world.participant)


def url(name, world, *args):
    return reverse(name, args=[world.participant.pk, *args])


def test_feedback_from_service_users_is_listed_on_the_page(client, world, initiative):
    client.force_login(world.participant.user)
    response = client.post(
        url("feedback_create", world),
        {
            "question": "Did you know who would visit you after you went home?",
            "how_many": "12",
            "summary": "Ten of twelve knew; two were not told.",
            "collected_on": "10/05/2027",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Feedback saved." in html
    assert "12 answered, 10 May 2027" in html
    assert "Ten of twelve knew; two were not told." in html


def test_feedback_on_an_implausible_day_is_explained_and_kept(client, world, initiative):
    client.force_login(world.participant.user)
    response = client.post(
        url("feedback_create", world),
        {"question": "Asked", "how_many": "3", "summary": "Said", "collected_on": "10/05/2037"},
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["collected_on"]
    assert message.startswith("Enter the day it was collected between")
    assert "Said" in response.content.decode()
    assert not ServiceUserFeedback.objects.exists()


def test_a_team_member_links_their_organisation_in_the_network(client, world, initiative):
    council = OrganisationFactory(name="Fenbridge Housing")
    client.force_login(world.participant.user)
    response = client.post(
        url("team_member_create", world),
        {"name": "Robin Ward", "role": "Housing officer", "organisation": council.pk},
        follow=True,
    )
    assert "Robin Ward, Housing officer (Fenbridge Housing)" in response.content.decode()
    # Someone from the participant's own organisation is no link.
    TeamMember.objects.create(
        initiative=initiative, name="Ali Own", organisation=world.participant.organisation
    )

    cohort = world.participant.cohort
    [link] = cohort_networks([cohort])[cohort.pk].team_links
    assert (link.employer, link.member_organisation, link.members, link.initiatives) == (
        world.participant.organisation,
        council,
        1,
        1,
    )


def test_removing_asks_first_on_its_own_page(client, world, initiative):
    member = TeamMember.objects.create(initiative=initiative, name="Robin Ward")
    client.force_login(world.participant.user)
    page = client.get(url("team_member_remove", world, member.pk)).content.decode()
    assert "Remove “Robin Ward”?" in page
    assert TeamMember.objects.exists()
    client.post(url("team_member_remove", world, member.pk))
    assert not TeamMember.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"title": "Train night staff", "due_on": "03/05/2027", "status": "done"},
            "done_on",
            "Enter the day it was done.",
        ),
        (
            {"title": "", "due_on": "03/05/2027", "status": "planned"},
            "title",
            "Enter the step",
        ),
    ],
)
def test_a_milestone_needs_what_it_says(client, world, initiative, data, field, message):
    client.force_login(world.participant.user)
    response = client.post(url("milestone_create", world), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not ImplementationMilestone.objects.exists()


def test_a_day_done_marks_the_step_done_and_the_page_shows_it(client, world, initiative):
    client.force_login(world.participant.user)
    client.post(
        url("milestone_create", world),
        {
            "title": "Train night staff",
            "due_on": "03/05/2027",
            "status": "in_progress",
            "done_on": "30/04/2027",
        },
    )
    milestone = ImplementationMilestone.objects.get()
    assert milestone.status == "done"
    html = client.get(url("initiative_detail", world)).content.decode()
    assert "Train night staff" in html
    assert "30 April 2027" in html


def test_estimates_are_shown_and_summed_in_the_report(client, world, initiative):
    other = ImprovementInitiativeFactory(
        participant=world.other_participant,
        estimated_cost=Decimal("150"),
        estimated_hours_saved=Decimal("2.5"),
    )
    client.force_login(world.participant.user)
    client.post(
        url("initiative_estimates", world),
        {
            "estimated_cost": "250.00",
            "estimated_money_saved": "1200",
            "estimated_hours_saved": "6",
            "estimate_notes": "8 calls a week fewer, 15 minutes each",
        },
    )
    html = client.get(url("initiative_detail", world)).content.decode()
    assert "£250.00" in html
    assert "8 calls a week fewer" in html

    estimates = cohort_evaluation(world.participant.cohort, dt.date(2027, 6, 1)).estimates
    assert estimates == (Decimal("400"), Decimal("1200"), Decimal("8.5"), 2)
    assert other.pk


def test_a_negative_estimate_is_explained(client, world, initiative):
    client.force_login(world.participant.user)
    response = client.post(url("initiative_estimates", world), {"estimated_cost": "-5"})
    assert response.status_code == 200
    assert response.context["form"].errors["estimated_cost"] == ["Enter an estimate of 0 or more"]


def test_the_page_asks_for_an_outcome_measure_of_experience(client, world, initiative):
    prompt = "Add at least one outcome measure of what service users or patients experience"
    MeasureFactory(initiative=initiative, kind="process")
    client.force_login(world.participant.user)
    assert prompt in client.get(url("initiative_detail", world)).content.decode()

    measure = MeasureFactory(initiative=initiative)
    response = client.post(
        url("measure_edit", world, measure.pk),
        {
            "name": "Knew who would visit",
            "kind": "outcome",
            "about_experience": "on",
            "definition": "Out of those asked at the first visit.",
            "unit": "%",
            "direction": "higher",
        },
        follow=True,
    )
    html = response.content.decode()
    assert prompt not in html
    assert "Outcome measure: service users' or patients' experience" in html


def test_co_production_is_part_of_the_plan(client, world, initiative):
    client.force_login(world.participant.user)
    form = client.get(url("initiative_edit", world)).content.decode()
    assert "Who with lived experience was involved, and how" in form
    initiative.co_production = "Two carers rewrote the leaflet with us."
    initiative.save()
    assert "Two carers rewrote the leaflet with us." in (
        client.get(url("initiative_detail", world)).content.decode()
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("line_manager", 403), ("programme_manager", 403), ("other_education_lead", 404)],
)
@pytest.mark.parametrize(
    "name", ["feedback_create", "team_member_create", "milestone_create", "initiative_estimates"]
)
def test_only_the_participant_changes_the_plan(client, world, initiative, who, status, name):
    client.force_login(getattr(world, who))
    assert client.get(url(name, world)).status_code == status
    assert client.post(url(name, world), {"name": "X"}).status_code == status


def test_someone_elses_row_is_not_found(client, world, initiative):
    theirs = ImprovementInitiativeFactory(participant=world.other_participant)
    member = TeamMember.objects.create(initiative=theirs, name="Robin Ward")
    client.force_login(world.participant.user)
    assert client.post(url("team_member_remove", world, member.pk)).status_code == 404
    assert TeamMember.objects.exists()


def test_the_page_does_not_grow_with_the_plan(
    client, world, initiative, django_assert_max_num_queries
):
    client.force_login(world.line_manager)
    counts = []
    for size in (1, 10):
        for i in range(size):
            organisation = OrganisationFactory()
            TeamMember.objects.create(
                initiative=initiative, name=f"M{i}", organisation=organisation
            )
            ServiceUserFeedback.objects.create(
                initiative=initiative, question="Q", how_many=1, summary="S"
            )
            ImplementationMilestone.objects.create(
                initiative=initiative, title=f"Step {i}", due_on=dt.date(2027, 5, 3)
            )
        with django_assert_max_num_queries(40) as captured:
            client.get(url("initiative_detail", world))
        counts.append(len(captured))
    assert counts[0] == counts[1]
