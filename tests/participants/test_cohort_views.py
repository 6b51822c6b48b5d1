import pytest
from django.urls import reverse

from participants.models import Cohort
from tests.factories import CohortFactory, ParticipantFactory


def test_the_programme_manager_sets_up_a_cohort(client, world):
    client.force_login(world.programme_manager)
    response = client.post(
        reverse("cohort_create"),
        {
            "name": "Cohort 9",
            "status": "planning",
            "programme_start": "2027-08-31",
            "briefing_date": "2027-08-31",
            "briefing_time": "09:30",
            "briefing_place": "Education Centre",
            "workshop_date": "2028-03-10",
        },
    )
    cohort = Cohort.objects.get(name="Cohort 9")
    assert response.status_code == 302
    assert response["Location"] == reverse("cohort_detail", args=[cohort.pk])
    page = client.get(response["Location"]).content.decode()
    assert "31 August 2027 to 29 February 2028" in page
    assert "9:30am" in page
    from i2i.models import AuditEvent

    assert AuditEvent.objects.filter(action="cohort_added", actor=world.programme_manager).exists()


def test_it_explains_a_bad_date_and_keeps_what_was_typed(client, world):
    client.force_login(world.programme_manager)
    response = client.post(
        reverse("cohort_create"),
        {"name": "Cohort 10", "status": "planning", "programme_start": "31/02/2027"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["programme_start"] == [
        "Enter the programme start as a real date, for example 3 March 2027"
    ]
    assert 'value="Cohort 10"' in response.content.decode()
    assert not Cohort.objects.filter(name="Cohort 10").exists()


def test_it_refuses_a_workshop_before_the_programme_starts(client, world):
    client.force_login(world.programme_manager)
    response = client.post(
        reverse("cohort_create"),
        {
            "name": "Cohort 11",
            "status": "planning",
            "programme_start": "2027-03-01",
            "workshop_date": "2027-02-01",
        },
    )
    assert "workshop comes after" in response.context["form"].errors["workshop_date"][0]


def test_it_refuses_a_workshop_too_soon_for_the_self_assessment(client, world):
    client.force_login(world.programme_manager)
    data = {"name": "Cohort 12", "status": "planning", "programme_start": "2027-03-01"}
    response = client.post(reverse("cohort_create"), {**data, "workshop_date": "2027-04-15"})
    error = response.context["form"].errors["workshop_date"][0]
    assert "at least eight weeks after the programme starts (on or after 26 April 2027)" in error
    html = response.content.decode()  # what was typed is kept, in its three boxes
    assert 'name="workshop_date-day" value="15"' in html
    assert 'name="workshop_date-month" value="04"' in html
    assert 'name="workshop_date-year" value="2027"' in html
    assert not Cohort.objects.filter(name="Cohort 12").exists()
    client.post(reverse("cohort_create"), {**data, "workshop_date": "2027-04-26"})
    assert Cohort.objects.filter(name="Cohort 12").exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("line_manager", 200),
        ("sponsor", 200),
        ("education_lead", 200),
        ("programme_manager", 200),
        ("outsider", 404),
    ],
)
def test_the_cohort_page_is_scoped(client, world, who, status):
    client.force_login(getattr(world, who))
    response = client.get(reverse("cohort_detail", args=[world.participant.cohort.pk]))
    assert response.status_code == status


def test_an_education_lead_sees_only_their_organisations_participants(client, world):
    client.force_login(world.education_lead)
    response = client.get(reverse("cohort_detail", args=[world.participant.cohort.pk]))
    assert list(response.context["participants"]) == [world.participant]


def test_the_cohort_page_lists_participants_a_page_at_a_time(
    client, world, monkeypatch, django_assert_max_num_queries
):
    from i2i import paging

    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    cohort = world.participant.cohort
    client.force_login(world.programme_manager)
    url = reverse("cohort_detail", args=[cohort.pk])
    client.get(url)
    counts = []
    for size in (2, 10):
        for _ in range(size):
            ParticipantFactory(cohort=cohort)
        with django_assert_max_num_queries(8) as captured:
            response = client.get(url, {"page": "2"})
        counts.append(len(captured))
        page = response.content.decode()
        assert len(response.context["participants"]) == 2
        assert f"Showing 3–4 of {4 if size == 2 else 14}" in page
    assert counts[0] == counts[1]
    assert client.get(url, {"page": "999"}).status_code == 200  # the last page


@pytest.mark.parametrize("who", ["line_manager", "sponsor", "education_lead"])
def test_only_the_programme_manager_changes_a_cohort(client, world, who):
    client.force_login(getattr(world, who))
    cohort = world.participant.cohort
    assert client.get(reverse("cohort_edit", args=[cohort.pk])).status_code == 403
    assert client.get(reverse("cohort_create")).status_code == 403


def test_the_cohort_list_runs_in_constant_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.programme_manager)
    for _ in range(10):
        ParticipantFactory(cohort=CohortFactory())
    # session, user, roles, cohorts with counts
    with django_assert_max_num_queries(4):
        response = client.get(reverse("cohort_list"))
    assert len(response.context["cohorts"]) == 11


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("participant", 200),
        ("line_manager", 200),
        ("sponsor", 200),
        ("education_lead", 200),
        ("other_education_lead", 404),
        ("programme_manager", 200),
        ("outsider", 404),
    ],
)
def test_the_participant_page_is_scoped(client, world, who, status):
    user = world.participant.user if who == "participant" else getattr(world, who)
    client.force_login(user)
    response = client.get(reverse("participant_detail", args=[world.participant.pk]))
    assert response.status_code == status
