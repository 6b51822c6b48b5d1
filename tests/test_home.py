"""The home page: one section per role held, showing real data."""

from django.urls import reverse

from tests.factories import ParticipantFactory


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_participant_sees_their_cohort_dates_line_manager_and_sponsor(client, world):
    page = _home(client, world.participant.user)
    assert "Your I2I programme" in page
    assert "Cohort A" in page
    assert "1 March 2027 to 1 September 2027" in page
    assert "Lee Linemanager" in page
    assert "Sam Sponsor" in page
    assert "Participants you line manage" not in page


def test_a_line_manager_sees_the_participants_they_support(client, world):
    page = _home(client, world.line_manager)
    assert "Participants you line manage" in page
    assert "Pat Participant" in page
    assert "Olly Other" not in page


def test_a_sponsor_sees_the_participants_they_sponsor(client, world):
    page = _home(client, world.sponsor)
    assert "Participants you sponsor" in page
    assert "Pat Participant" in page
    assert "Olly Other" not in page


def test_an_education_lead_sees_their_organisations_participants(client, world):
    page = _home(client, world.education_lead)
    assert "education lead for Eastmere Hospitals" in page
    assert "Pat Participant" in page
    assert "Olly Other" not in page


def test_the_programme_manager_sees_cohorts_with_counts(client, world):
    page = _home(client, world.programme_manager)
    assert "Set up a cohort" in page
    assert "Cohort A" in page
    response = client.get(reverse("home"))
    (cohort,) = response.context["sections"].cohorts
    assert (cohort.participant_count, cohort.organisation_count) == (2, 2)


def test_someone_with_no_role_is_told_so(client, world):
    page = _home(client, world.outsider)
    assert "do not hold a role" in page


def test_navigation_follows_roles(client, world):
    assert "Admin</a>" in _home(client, world.programme_manager)
    assert "Admin</a>" not in _home(client, world.line_manager)


def test_the_home_page_does_not_grow_with_participants(
    client, world, django_assert_max_num_queries
):
    """A line manager who is also a sponsor and education lead, with 3 and then 30 reports."""
    from tests.factories import EducationLeadFactory

    manager = world.line_manager
    EducationLeadFactory(user=manager, organisation=world.participant.organisation)
    client.force_login(manager)
    counts = []
    for size in (3, 30):
        ParticipantFactory.create_batch(
            size, line_manager=manager, sponsor=manager, organisation=world.participant.organisation
        )
        # session, user, roles; outcomes and accounts waiting; led organisations; and for each
        # of managed, sponsored and the organisation's participants: participants, placements,
        # half-days
        # (and Expressions of Interest waiting for support and for review)
        with django_assert_max_num_queries(17) as captured:
            client.get(reverse("home"))
        counts.append(len(captured))
    assert counts[0] == counts[1]
