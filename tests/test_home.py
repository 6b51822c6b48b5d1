"""The home page: what to do next, then one section per role held, showing real data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from i2i.models import Job
from improvements.models import ImprovementInitiative
from participants.models import CohortPlaces, ExpressionOfInterest
from placements.models import HalfDay, OutcomesDecision
from tests.factories import (
    ApprovedPlacementFactory,
    CohortFactory,
    HalfDayFactory,
    ImprovementInitiativeFactory,
    OrganisationFactory,
    ParticipantFactory,
    PlacementFactory,
    ReflectiveAccountFactory,
    UserFactory,
)


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
        # half-days; Expressions of Interest waiting for support; and what to do next
        # (programme/tasks.py): outcomes and initiatives waiting, sponsor meetings, Expressions
        # of Interest by state and places left
        with django_assert_max_num_queries(22) as captured:
            client.get(reverse("home"))
        counts.append(len(captured))
    assert counts[0] == counts[1]


# What to do next: the same number of queries however many rows ------------------------------


def _started(cohort, today):
    cohort.programme_start = today - dt.timedelta(days=60)
    cohort.briefing_date = today + dt.timedelta(days=3)
    cohort.workshop_date = today - dt.timedelta(days=2)
    cohort.save()
    return cohort


def _sent(placement, days_ago, by):
    placement.outcomes_status = "submitted"
    placement.save()
    decision = OutcomesDecision.objects.create(placement=placement, by=by, action="submitted")
    OutcomesDecision.objects.filter(pk=decision.pk).update(
        at=timezone.now() - dt.timedelta(days=days_ago)
    )


def _reports_with_work(world, n, **people):
    """`n` more participants in the world's cohort, each with something for everyone to do:
    outcomes waiting (long enough to chase), a reflective account shared, an initiative
    waiting, a missed briefing, and a planned half-day now past."""
    today = timezone.localdate()
    for _ in range(n):
        participant = ParticipantFactory(
            cohort=world.participant.cohort, briefing_attended=False, **people
        )
        _sent(PlacementFactory(participant=participant), 10, participant.user)
        placement = ApprovedPlacementFactory(participant=participant)
        HalfDayFactory(placement=placement, date=today - dt.timedelta(days=2), status="planned")
        ReflectiveAccountFactory(placement=placement, status="shared", shared_at=timezone.now())
        ImprovementInitiativeFactory(participant=participant, agreement="submitted")


def _grow_participant(world, n):
    participant = world.participant
    today = timezone.localdate()

    def day_before():
        """A day in the window with no half-day yet (one a day, going back)."""
        return today - dt.timedelta(
            days=1 + HalfDay.objects.filter(participant=participant).count()
        )

    for _ in range(n):
        PlacementFactory(participant=participant)
        PlacementFactory(participant=participant, outcomes_status="returned")
        placement = ApprovedPlacementFactory(participant=participant)
        for _ in range(4):
            HalfDayFactory(placement=placement, date=day_before())
        ReflectiveAccountFactory(placement=placement, status="draft")
        HalfDayFactory(
            placement=ApprovedPlacementFactory(participant=participant),
            date=day_before(),
            status="planned",
        )
    ImprovementInitiative.objects.filter(participant=participant).delete()
    ImprovementInitiativeFactory(participant=participant, agreement="returned")


def _grow_line_manager(world, n):
    _reports_with_work(world, n, line_manager=world.line_manager)


def _grow_sponsor(world, n):
    _reports_with_work(world, n, sponsor=world.sponsor)


def _grow_education_lead(world, n):
    organisation = world.participant.organisation
    _reports_with_work(world, n, organisation=organisation)
    today = timezone.localdate()
    for support in ("confirmed", "pending", "declined") * n:
        ExpressionOfInterest.objects.create(
            cohort=world.participant.cohort,
            applicant=UserFactory(),
            organisation=organisation,
            status="submitted",
            support=support,
            shortlisted=support == "declined",
        )
    for _ in range(n):
        cohort = CohortFactory(status="recruiting", eoi_closes=today + dt.timedelta(days=20))
        CohortPlaces.objects.create(cohort=cohort, organisation=organisation, places=4)
        ExpressionOfInterest.objects.create(
            cohort=cohort,
            applicant=UserFactory(),
            organisation=organisation,
            status="submitted",
            decision="selected",
        )


def _grow_programme_manager(world, n):
    today = timezone.localdate()
    _reports_with_work(world, n)
    for _ in range(n):
        cohort = _started(CohortFactory(), today)
        ParticipantFactory.create_batch(2, cohort=cohort, briefing_attended=False)
        OrganisationFactory(is_confirmed=False)
        Job.objects.create(
            kind="evaluation_report",
            owner=UserFactory(is_programme_manager=True),
            title="Evaluation report",
            status="failed",
            message="The worker stopped.",
        )


GROW = {
    "participant": _grow_participant,
    "line_manager": _grow_line_manager,
    "sponsor": _grow_sponsor,
    "education_lead": _grow_education_lead,
    "programme_manager": _grow_programme_manager,
}


@pytest.mark.parametrize("role", list(GROW))
def test_each_roles_task_list_does_not_grow_with_the_rows(client, world, role):
    """Each role's home page reads the same number of queries with twice the rows to do."""
    _started(world.participant.cohort, timezone.localdate())
    user = world.participant.user if role == "participant" else getattr(world, role)
    client.force_login(user)
    counts = []
    for _ in range(2):  # two rows of each kind, then four
        GROW[role](world, 2)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("home"))
        assert response.status_code == 200
        counts.append(len(captured))
        tasks = response.context["sections"].tasks
        assert len(tasks) >= 3, [task.text for task in tasks]
    assert counts[0] == counts[1], counts
