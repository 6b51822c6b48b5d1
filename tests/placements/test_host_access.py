"""The host role's access matrix (issue #20): a host person sees their own organisation's
visits and nothing else of the participant's; another organisation's visit is a 404; the
host's pages are a 403 (or a 404 for an organisation or half-day) for everyone else."""

import datetime as dt

import pytest
from django.urls import reverse

from placements import hosting
from tests.factories import (
    ApprovedPlacementFactory,
    HalfDayFactory,
    HostPersonFactory,
    ImprovementInitiativeFactory,
    LearningOutcomeFactory,
    OrganisationFactory,
    ReflectiveAccountFactory,
    UserFactory,
)

REFLECTION = "I noticed how the discharge team prioritised referrals from my ward."


@pytest.fixture
def visits(running, today):
    """Larkhill Care Home hosts the world's participant; Riverside Practice hosts the other
    participant. Robin is Larkhill's host person."""
    larkhill = OrganisationFactory(name="Larkhill Care Home", sector="care_home")
    riverside = OrganisationFactory(name="Riverside Practice", sector="gp_practice")
    host = HostPersonFactory(organisation=larkhill, user=UserFactory(full_name="Robin Host")).user
    ours = ApprovedPlacementFactory(participant=running.participant, organisation=larkhill)
    LearningOutcomeFactory(placement=ours, text="See how admissions from hospital are planned.")
    past = HalfDayFactory(placement=ours, date=today - dt.timedelta(days=3), status="completed")
    ReflectiveAccountFactory(placement=ours, answers={"what_happened": REFLECTION})
    upcoming = HalfDayFactory(
        placement=ours, date=today + dt.timedelta(days=5), session="pm", status="planned"
    )
    theirs = ApprovedPlacementFactory(participant=running.other_participant, organisation=riverside)
    elsewhere = HalfDayFactory(
        placement=theirs, date=today + dt.timedelta(days=6), status="planned"
    )
    ImprovementInitiativeFactory(participant=running.participant)
    return {
        "host": host,
        "larkhill": larkhill,
        "riverside": riverside,
        "placement": ours,
        "upcoming": upcoming,
        "past": past,
        "elsewhere": elsewhere,
    }


def test_it_shows_the_host_their_organisations_visits(client, visits, running):
    client.force_login(visits["host"])
    response = client.get(reverse("host_visits", args=[visits["larkhill"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Visits to Larkhill Care Home" in html
    assert str(running.participant.user) in html
    assert "Staff nurse (Nursing)" in html  # job title and profession
    assert "See how admissions from hospital are planned." in html
    assert f'id="half-day-{visits["upcoming"].pk}"' in html
    assert f'id="half-day-{visits["past"].pk}"' in html
    # Nothing of the other organisation's, and never a reflective account.
    assert str(running.other_participant.user) not in html
    assert REFLECTION not in html
    assert f'href="{reverse("placement_detail", args=[visits["placement"].pk])}"' not in html


def test_the_menu_offers_a_host_their_visits_and_not_the_cohorts(client, visits, running):
    """A host person has no part in a cohort: "Cohorts" would open an empty list."""
    cohorts = f'href="{reverse("cohort_list")}"'
    client.force_login(visits["host"])
    html = client.get(reverse("host_visits", args=[visits["larkhill"].pk])).content.decode()
    assert f'href="{reverse("host_home")}"' in html
    assert cohorts not in html
    # Hosting as well as supporting a participant keeps the cohorts in the menu.
    running.other_participant.line_manager = visits["host"]
    running.other_participant.save(update_fields=["line_manager"])
    client.force_login(visits["host"])
    assert cohorts in client.get(reverse("home")).content.decode()


def test_the_host_home_goes_straight_to_their_one_organisation(client, visits):
    client.force_login(visits["host"])
    response = client.get(reverse("host_home"))
    assert response["Location"] == reverse("host_visits", args=[visits["larkhill"].pk])


def test_a_host_of_two_organisations_chooses_one(client, visits):
    HostPersonFactory(user=visits["host"], organisation=visits["riverside"])
    client.force_login(visits["host"])
    response = client.get(reverse("host_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Visits to Larkhill Care Home" in html and "Visits to Riverside Practice" in html


def test_another_organisations_visits_are_a_404(client, visits):
    client.force_login(visits["host"])
    assert client.get(reverse("host_visits", args=[visits["riverside"].pk])).status_code == 404


@pytest.mark.parametrize("name", ["host_half_day_decline", "host_half_day_propose"])
def test_answering_another_organisations_half_day_is_a_404(client, visits, name):
    client.force_login(visits["host"])
    url = reverse(name, args=[visits["elsewhere"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "No room."}).status_code == 404


def test_confirming_another_organisations_half_day_is_a_404(client, visits):
    client.force_login(visits["host"])
    url = reverse("host_half_day_confirm", args=[visits["elsewhere"].pk])
    assert client.post(url).status_code == 404
    visits["elsewhere"].refresh_from_db()
    assert visits["elsewhere"].confirmed_at is None


def test_the_host_cannot_open_the_participants_own_pages(client, visits, running):
    """The visitor's placement page, reflective account, initiative and progress page are
    for the participant and those who support them: a 404 for their host."""
    client.force_login(visits["host"])
    placement = visits["placement"]
    participant = running.participant
    for url in (
        reverse("placement_detail", args=[placement.pk]),
        reverse("account_detail", args=[placement.reflective_account.pk]),
        reverse("initiative_detail", args=[participant.pk]),
        reverse("participant_detail", args=[participant.pk]),
        reverse("half_day_edit", args=[visits["upcoming"].pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_withdrawn_placement_is_not_the_hosts_business(client, visits):
    placement = visits["placement"]
    placement.status = "withdrawn"
    placement.save()
    client.force_login(visits["host"])
    html = client.get(reverse("host_visits", args=[visits["larkhill"].pk])).content.decode()
    assert f'id="half-day-{visits["upcoming"].pk}"' not in html
    url = reverse("host_half_day_confirm", args=[visits["upcoming"].pk])
    assert client.post(url).status_code == 404


def test_a_removed_host_loses_access(client, visits):
    visits["host"].host_roles.all().delete()
    client.force_login(visits["host"])
    assert client.get(reverse("host_home")).status_code == 403
    assert client.get(reverse("host_visits", args=[visits["larkhill"].pk])).status_code == 404


def _user(world, role):
    person = getattr(world, role)
    return person.user if role == "participant" else person


ROLES = [
    "participant",
    "line_manager",
    "sponsor",
    "education_lead",
    "programme_manager",
    "outsider",
]


@pytest.mark.parametrize("role", ROLES)
def test_other_roles_cannot_use_the_host_pages(client, visits, running, role):
    """The host's home is a 403 for anyone who hosts for nobody; an organisation's visits
    and each half-day's answers are a 404 (out of their scope), the programme manager's too:
    the host answers for the host, and nobody answers for them."""
    client.force_login(_user(running, role))
    half_day = visits["upcoming"]
    assert client.get(reverse("host_home")).status_code == 403
    assert client.get(reverse("host_visits", args=[visits["larkhill"].pk])).status_code == 404
    assert client.post(reverse("host_half_day_confirm", args=[half_day.pk])).status_code == 404
    assert client.get(reverse("host_half_day_decline", args=[half_day.pk])).status_code == 404
    assert client.get(reverse("host_half_day_propose", args=[half_day.pk])).status_code == 404
    half_day.refresh_from_db()
    assert half_day.confirmed_at is None


@pytest.mark.parametrize("role", [*[r for r in ROLES if r != "programme_manager"], "host"])
def test_only_the_programme_manager_names_host_people(client, visits, running, role):
    user = visits["host"] if role == "host" else _user(running, role)
    client.force_login(user)
    url = reverse("organisation_host_people", args=[visits["larkhill"].pk])
    assert client.get(url).status_code == 403
    remove = reverse("organisation_host_person_remove", args=[visits["larkhill"].pk])
    host_person = visits["host"].host_roles.get()
    assert client.post(remove, {"host_person": host_person.pk}).status_code == 403
    assert visits["host"].host_roles.exists()


def test_the_programme_manager_opens_the_host_people_page(client, visits, running):
    client.force_login(running.programme_manager)
    response = client.get(reverse("organisation_host_people", args=[visits["larkhill"].pk]))
    assert response.status_code == 200
    assert "Robin Host" in response.content.decode()


def test_removing_a_host_person_of_another_organisation_is_a_404(client, visits, running):
    client.force_login(running.programme_manager)
    host_person = visits["host"].host_roles.get()
    remove = reverse("organisation_host_person_remove", args=[visits["riverside"].pk])
    assert client.post(remove, {"host_person": host_person.pk}).status_code == 404
    assert client.post(remove, {"host_person": "not-a-number"}).status_code == 404
    assert visits["host"].host_roles.exists()


def test_the_visit_card_leads_the_host_to_the_checks_and_after_the_placement_to_feedback(
    client, visits
):
    """The host's ways in to the checks before the first visit and to feedback for the visitor:
    each link is on the card, and each page opens for the host."""
    from placements.models import Placement

    client.force_login(visits["host"])
    url = reverse("host_visits", args=[visits["larkhill"].pk])
    checks = reverse("clearance_record", args=[visits["placement"].pk])
    feedback = reverse("participant_feedback", args=[visits["placement"].pk])
    html = client.get(url).content.decode()
    assert f'href="{checks}"' in html
    assert f'href="{feedback}"' not in html  # not until the placement is complete
    assert client.get(checks).status_code == 200

    Placement.objects.filter(pk=visits["placement"].pk).update(status="complete")
    html = client.get(url).content.decode()
    assert f'href="{feedback}"' in html
    assert client.get(feedback).status_code == 200


def test_a_placement_with_visits_keeps_its_host(client, visits, running):
    """Moving the placement to another host would hand Larkhill's visits, their answers and
    feedback to Riverside's host person: the page refuses it next to the field, keeping
    what was typed, and Riverside sees nothing of it."""
    placement = visits["placement"]
    client.force_login(running.participant.user)
    response = client.post(
        reverse("placement_edit", args=[placement.pk]),
        {
            "organisation": visits["riverside"].pk,
            "contact_name": "Sam Riverside",
            "status": placement.status,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["organisation"]
    assert errors == [
        "Half-days or checks with Larkhill Care Home are recorded on this placement, so its "
        "host cannot change: keep Larkhill Care Home here, and plan a new placement with the "
        "other organisation."
    ]
    assert 'value="Sam Riverside"' in response.content.decode()
    placement.refresh_from_db()
    assert placement.organisation == visits["larkhill"]
    riverside_host = HostPersonFactory(organisation=visits["riverside"]).user
    client.force_login(riverside_host)
    url = reverse("host_half_day_confirm", args=[visits["past"].pk])
    assert client.post(url).status_code == 404


def test_a_placement_with_nothing_recorded_may_change_host(visits, running):
    from placements import services

    placement = ApprovedPlacementFactory(
        participant=running.participant, organisation=visits["larkhill"]
    )
    services.placement_update(
        placement=placement, by=running.participant.user, organisation=visits["riverside"]
    )
    placement.refresh_from_db()
    assert placement.organisation == visits["riverside"]


def test_a_participant_named_host_person_does_not_answer_for_their_own_visits(
    client, visits, running
):
    """The programme manager may name a participant as host person where they visit; their
    own visits are not theirs to answer for (404, as another organisation's), nor on their
    list to answer, nor their feedback to write."""
    HostPersonFactory(organisation=visits["larkhill"], user=running.participant.user)
    client.force_login(running.participant.user)
    page = client.get(reverse("host_visits", args=[visits["larkhill"].pk])).content.decode()
    assert f'id="half-day-{visits["upcoming"].pk}"' not in page
    confirm = reverse("host_half_day_confirm", args=[visits["past"].pk])
    assert client.post(confirm).status_code == 404
    visits["past"].refresh_from_db()
    assert visits["past"].confirmed_at is None
    placement = visits["placement"]
    placement.status = "complete"
    placement.save(update_fields=["status"])
    feedback = reverse("participant_feedback", args=[placement.pk])
    assert client.post(feedback, {"comment": "I was great."}).status_code == 404
    (larkhill,) = hosting.hosted_summary(running.participant.user, today=visits["past"].date)
    assert (larkhill.upcoming, larkhill.to_answer) == (0, 0)  # no task they cannot clear
    # Robin, Larkhill's host person, still may.
    client.force_login(visits["host"])
    assert client.post(confirm).status_code == 302
