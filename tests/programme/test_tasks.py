"""What to do next (programme/tasks.py): each role's tasks, their links and reasons, the most
urgent first; and the line manager taken on to the next set of learning outcomes after each
decision. Dates come from the run's clock (tests/clock.py), never from a fixed day."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.models import SelfAssessment
from i2i.models import Job
from participants.models import (
    CohortPlaces,
    ExpressionOfInterest,
    SponsorMeeting,
    WorkshopConsent,
)
from placements.models import OutcomesDecision
from programme import tasks as tasks_module
from programme.tasks import Urgency, working_days_before
from tests.conftest import one_operation
from tests.factories import (
    ApprovedPlacementFactory,
    HalfDayFactory,
    ImprovementInitiativeFactory,
    LearningOutcomeFactory,
    OrganisationFactory,
    PlacementFactory,
    ReflectiveAccountFactory,
    UserFactory,
)

home_tasks = one_operation(tasks_module.home_tasks)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def running(world, today):
    """The world's cohort, started 60 days ago: the start questionnaire has closed, the end
    one is not open, and three placements still fit at one half-day a week. Its placement
    milestones are moved to week 10 (as a programme manager may), so that nobody is behind
    one yet: tests/test_milestone_tasks.py has the tasks of those who are."""
    cohort = world.participant.cohort
    cohort.programme_start = today - dt.timedelta(days=60)
    cohort.first_placement_week = cohort.three_placements_week = 10
    cohort.save()
    return world


def _texts(found):
    return [task.text for task in found]


def _one(found, starts):
    matching = [task for task in found if task.text.startswith(starts)]
    assert len(matching) == 1, _texts(found)
    return matching[0]


def _submitted(participant, host, sent_days_ago, today):
    """A placement whose learning outcomes were sent to the line manager some days ago."""
    placement = PlacementFactory(
        participant=participant,
        organisation=OrganisationFactory(name=host),
        outcomes_status="submitted",
    )
    LearningOutcomeFactory(placement=placement)
    decision = OutcomesDecision.objects.create(
        placement=placement, by=participant.user, action="submitted"
    )
    sent = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=sent_days_ago), dt.time(10))
    )
    OutcomesDecision.objects.filter(pk=decision.pk).update(at=sent)
    return placement


# Participant ---------------------------------------------------------------------------------


def test_a_participant_with_no_placement_is_asked_to_arrange_three(running):
    participant = running.participant
    found = home_tasks(participant.user)
    task = _one(found, "Arrange 3 more placements")
    assert task.url == reverse("placement_create", args=[participant.pk])
    assert "placement" in task.reason
    assert task.due == participant.cohort.programme_end


def test_an_overdue_reflective_account_comes_first_with_its_due_date(running, today):
    participant = running.participant
    start = participant.cohort.programme_start
    placement = ApprovedPlacementFactory(
        participant=participant, organisation=OrganisationFactory(name="Riverside Lane")
    )
    for n in range(4):
        HalfDayFactory(placement=placement, date=start + dt.timedelta(days=1 + n))
    due = start + dt.timedelta(days=4 + 14)

    found = home_tasks(participant.user)

    first = found[0]
    assert first.text == (
        f"Write the reflective account for Riverside Lane — due {tasks_module.day(due, today)}"
    )
    assert first.url == reverse("placement_detail", args=[placement.pk]) + "#account-heading"
    assert first.urgency == Urgency.OVERDUE
    assert "two weeks after your fourth half-day there" in first.reason
    # The rest follow, less urgent: two more placements, the improvement initiative.
    assert _one(found, "Arrange 2 more placements").urgency > first.urgency
    assert _one(found, "Plan your service improvement initiative")


def test_a_reflective_account_due_soon_and_a_draft_to_finish(running, today):
    participant = running.participant
    placement = ApprovedPlacementFactory(
        participant=participant, organisation=OrganisationFactory(name="Willowbank")
    )
    for n in range(4):
        HalfDayFactory(placement=placement, date=today - dt.timedelta(days=6 - n))
    account = ReflectiveAccountFactory(placement=placement, status="draft")

    task = _one(home_tasks(participant.user), "Finish and share the reflective account")
    assert task.due == today - dt.timedelta(days=3) + dt.timedelta(days=14)
    assert task.urgency == Urgency.SOON
    assert task.url == reverse("account_edit", args=[account.pk])

    account.status = "shared"
    account.save()
    assert not [t for t in home_tasks(participant.user) if "reflective account" in t.text]


def test_learning_outcomes_to_send_and_to_send_again(running):
    participant = running.participant
    draft = PlacementFactory(participant=participant, organisation=OrganisationFactory(name="A"))
    returned = PlacementFactory(
        participant=participant,
        organisation=OrganisationFactory(name="B"),
        outcomes_status="returned",
    )
    PlacementFactory(
        participant=participant,
        organisation=OrganisationFactory(name="C"),
        outcomes_status="submitted",
    )
    found = home_tasks(participant.user)
    send = _one(found, "Send your learning outcomes for A to your line manager")
    assert send.url == reverse("outcomes_edit", args=[draft.pk])
    again = _one(found, "Change your learning outcomes for B and send them again")
    assert again.url == reverse("outcomes_edit", args=[returned.pk])
    assert "returned them with comments" in again.reason
    # Waiting for the line manager: nothing for the participant.
    assert not [t for t in found if " for C" in t.text]


def test_half_days_to_book_and_a_past_one_to_say_about(running, today):
    participant = running.participant
    placement = ApprovedPlacementFactory(
        participant=participant, organisation=OrganisationFactory(name="Saltmarsh Housing")
    )
    HalfDayFactory(placement=placement, date=today - dt.timedelta(days=20))
    HalfDayFactory(placement=placement, date=today - dt.timedelta(days=2), status="planned")

    found = home_tasks(participant.user)
    book = _one(found, "Book 3 more half-days at Saltmarsh Housing")
    assert book.url == reverse("half_day_create", args=[placement.pk])
    assert book.reason.startswith("1 of 4 half-days done there")
    past = _one(found, "Say whether your half-day at Saltmarsh Housing")
    assert past.url == reverse("placement_detail", args=[placement.pk])
    # Waiting on the participant comes before what can wait.
    assert found.index(past) < found.index(book)


def test_the_start_self_assessment_until_it_is_answered(world, today):
    participant = world.participant
    cohort = participant.cohort
    cohort.programme_start = today - dt.timedelta(days=3)
    cohort.save()
    task = _one(home_tasks(participant.user), "Answer the start-of-programme self-assessment")
    assert task.url == reverse("self_assessment", args=[participant.pk, "before"])
    assert task.due == cohort.programme_start + dt.timedelta(days=28)

    SelfAssessment.objects.create(participant=participant, moment="before")
    assert "Answer the start-of-programme self-assessment" not in _texts(
        home_tasks(participant.user)
    )


def test_before_the_workshop_choices_questions_and_the_day(world, today):
    participant = world.participant
    cohort = participant.cohort
    cohort.programme_start = today - dt.timedelta(days=150)
    cohort.workshop_date = today + dt.timedelta(days=10)
    cohort.save()

    found = home_tasks(participant.user)
    choices = _one(found, "Choose what of yours goes in the workshop pack")
    assert choices.url == reverse("workshop_consent", args=[participant.pk])
    assert _one(found, "Answer the end-of-programme self-assessment").due == cohort.workshop_date
    assert _one(found, "Go to the workshop on").urgency == Urgency.SOON

    WorkshopConsent.objects.create(participant=participant, include=True)
    assert "Choose what of yours goes in the workshop pack" not in _texts(
        home_tasks(participant.user)
    )


def test_an_improvement_initiative_returned_is_to_send_again(running):
    participant = running.participant
    ImprovementInitiativeFactory(participant=participant, agreement="returned")
    task = _one(home_tasks(participant.user), "Change your improvement initiative")
    assert task.url == reverse("initiative_detail", args=[participant.pk])


def test_a_closed_cohort_asks_nothing(running):
    cohort = running.participant.cohort
    cohort.status = "closed"
    cohort.save()
    assert tasks_module.participant_tasks(running.participant.user) == []


# Line manager --------------------------------------------------------------------------------


def test_a_line_manager_reviews_the_oldest_outcomes_first(running, today):
    participant = running.participant
    newer = _submitted(participant, "Newer Practice", 0, today)
    older = _submitted(participant, "Older Practice", 10, today)

    found = home_tasks(running.line_manager)

    first, second = (t for t in found if "learning outcomes" in t.text)
    assert first.text == "Review Pat Participant's learning outcomes for Older Practice"
    assert first.url == reverse("placement_detail", args=[older.pk]) + "#outcomes-panel"
    # Ten days is more than five working days: urgent.
    assert first.urgency == Urgency.OVERDUE
    assert "10 days ago" in first.reason
    assert second.url.startswith(reverse("placement_detail", args=[newer.pk]))
    assert second.urgency == Urgency.WAITING
    assert "sent today" in second.reason


def test_a_line_manager_agrees_initiatives_and_discusses_accounts(running):
    participant = running.participant
    ImprovementInitiativeFactory(participant=participant, agreement="submitted")
    account = ReflectiveAccountFactory(
        placement=ApprovedPlacementFactory(
            participant=participant, organisation=OrganisationFactory(name="Riverside")
        ),
        status="shared",
        shared_at=timezone.now(),
    )
    found = home_tasks(running.line_manager)
    agree = _one(found, "Agree Pat Participant's improvement initiative")
    assert agree.url == reverse("initiative_detail", args=[participant.pk])
    discuss = _one(found, "Discuss Pat Participant's reflective account of Riverside")
    assert discuss.url == reverse("account_detail", args=[account.pk])


def test_a_line_manager_sees_a_report_at_risk_with_the_reason(running):
    participant = running.participant
    participant.briefing_attended = False
    participant.save()
    task = _one(
        home_tasks(running.line_manager), "Check on Pat Participant, who missed a commitment"
    )
    assert task.url == reverse("participant_detail", args=[participant.pk])
    assert task.urgency == Urgency.FOLLOW_UP
    assert "briefing" in task.reason.lower()
    # Not someone else's report.
    assert "Olly Other" not in " ".join(_texts(home_tasks(running.line_manager)))


# Sponsor -------------------------------------------------------------------------------------


def test_a_sponsor_records_each_meeting_and_helps_those_at_risk(running):
    participant = running.participant
    found = home_tasks(running.sponsor)
    meeting = _one(found, "Meet Pat Participant, newly selected from Eastmere Hospitals")
    assert meeting.url == reverse("sponsor_meeting", args=[participant.pk])
    # Added without an Expression of Interest: counted from the programme's start.
    assert "Selected for Cohort A on" in meeting.reason

    SponsorMeeting.objects.create(
        participant=participant,
        met_on=participant.cohort.programme_start,
        recorded_by=running.sponsor,
    )
    assert home_tasks(running.sponsor) == []

    participant.briefing_attended = False
    participant.save()
    (help_,) = home_tasks(running.sponsor)
    assert help_.text == "Help Pat Participant, who missed a commitment"


def test_nothing_needs_you_now_on_the_home_page(client, running):
    participant = running.participant
    SponsorMeeting.objects.create(
        participant=participant,
        met_on=participant.cohort.programme_start,
        recorded_by=running.sponsor,
    )
    client.force_login(running.sponsor)
    page = client.get(reverse("home")).content.decode()
    assert "What to do next" in page
    assert "Nothing needs you now" in page


# Education lead ------------------------------------------------------------------------------


def _eoi(world, **fields):
    return ExpressionOfInterest.objects.create(
        cohort=world.participant.cohort,
        applicant=UserFactory(),
        organisation=world.participant.organisation,
        status="submitted",
        submitted_at=timezone.now(),
        **fields,
    )


def test_an_education_lead_sees_expressions_of_interest_by_state(world):
    _eoi(world, support="confirmed")
    _eoi(world, support="confirmed")
    _eoi(world, support="pending")
    _eoi(world, support="confirmed", decision="selected")  # decided: not waiting
    found = home_tasks(world.education_lead)
    ready = _one(found, "Review 2 Expressions of Interest supported by their line managers")
    assert ready.url == reverse("eoi_review")
    pending = _one(found, "1 Expression of Interest is waiting for line manager support")
    assert found.index(ready) < found.index(pending)
    # Another organisation's lead sees none of them.
    assert home_tasks(world.other_education_lead) == []


def test_an_education_lead_sees_the_places_left(world, today):
    cohort = world.participant.cohort
    cohort.status = "recruiting"
    cohort.eoi_closes = today + dt.timedelta(days=30)
    cohort.save()
    CohortPlaces.objects.create(
        cohort=cohort, organisation=world.participant.organisation, places=3
    )
    _eoi(world, support="confirmed", decision="selected")
    task = _one(home_tasks(world.education_lead), "Cohort A: 2 places left for Eastmere Hospitals")
    assert task.url == reverse("eoi_review") + f"?cohort={cohort.pk}"
    assert task.reason.startswith("1 of 3 selected")


def test_anyone_named_as_line_manager_confirms_their_support(world):
    _eoi(world, support="pending", line_manager_email=world.outsider.email)
    (task,) = home_tasks(world.outsider)
    assert task.text == "Confirm your support for 1 Expression of Interest"
    assert task.url == reverse("eoi_list")


# Programme manager ---------------------------------------------------------------------------


def test_the_programme_manager_sees_people_at_risk_by_cohort(running):
    running.participant.briefing_attended = False
    running.participant.save()
    cohort = running.participant.cohort
    task = _one(home_tasks(running.programme_manager), "Cohort A: 1 person at risk")
    assert task.url == reverse("cohort_dashboard", args=[cohort.pk]) + "#risk-heading"
    assert task.reason.startswith("1 of them missed a commitment")


def test_the_programme_manager_chases_approvals_waiting_over_five_working_days(running, today):
    participant = running.participant
    _submitted(participant, "Old Practice", 10, today)
    _submitted(participant, "New Practice", 0, today)
    found = home_tasks(running.programme_manager)
    (chase,) = [t for t in found if t.text.startswith("Chase")]
    assert chase.text == "Chase Lee Linemanager about Pat Participant's learning outcomes"
    assert chase.reason.startswith("For Old Practice: waiting for approval since")
    assert chase.urgency == Urgency.OVERDUE
    assert found[0] == chase


def test_five_working_days_skip_the_weekend():
    friday = dt.date(2027, 3, 5)
    assert working_days_before(friday, 5) == dt.date(2027, 2, 26)
    monday = dt.date(2027, 3, 8)
    assert working_days_before(monday, 5) == dt.date(2027, 3, 1)


def test_the_programme_manager_checks_organisations_dates_and_failed_exports(running, today):
    cohort = running.participant.cohort
    cohort.briefing_date = today + dt.timedelta(days=3)
    cohort.workshop_date = today - dt.timedelta(days=2)
    cohort.save()
    OrganisationFactory(name="Proposed Place", is_confirmed=False)
    job = Job.objects.create(
        kind="workshop_pack",
        owner=running.programme_manager,
        title="Workshop pack: Cohort A",
        status="failed",
        message="The worker stopped.",
    )
    found = home_tasks(running.programme_manager)
    assert _one(found, "Check 1 proposed organisation").url == reverse("organisations_proposed")
    briefing = _one(found, "Cohort A: the briefing is on")
    assert briefing.due == cohort.briefing_date
    register = _one(found, "Record who came to Cohort A's workshop")
    assert register.url == reverse("cohort_attendance", args=[cohort.pk])
    failed = _one(found, "Try again: “Workshop pack: Cohort A” failed")
    assert failed.url == reverse("job_detail", args=[job.pk])
    assert failed.reason.startswith("The worker stopped.")
    # Attendance at risk before what waits, before the date coming up.
    assert found.index(register) < found.index(failed) < found.index(briefing)


# The home page -------------------------------------------------------------------------------


def test_the_home_page_lists_the_tasks_in_order_with_their_reasons(client, running, today):
    participant = running.participant
    _submitted(participant, "Newer Practice", 0, today)
    _submitted(participant, "Older Practice", 10, today)
    client.force_login(running.line_manager)
    page = client.get(reverse("home")).content.decode()
    assert page.index("What to do next") < page.index("Participants you line manage")
    older = page.index("Review Pat Participant&#x27;s learning outcomes for Older Practice")
    newer = page.index("Review Pat Participant&#x27;s learning outcomes for Newer Practice")
    assert older < newer
    assert "no half-day there until you agree them" in page
    assert '<span class="tag tag-missed">Urgent</span>' in page


# The line manager's next set -----------------------------------------------------------------


def test_after_a_decision_the_line_manager_goes_on_to_the_next_set(client, running, today):
    participant = running.participant
    first = _submitted(participant, "First Practice", 3, today)
    second = _submitted(participant, "Second Practice", 2, today)
    client.force_login(running.line_manager)

    response = client.post(
        reverse("outcomes_decide", args=[first.pk]), {"decision": "approve", "comment": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("placement_detail", args=[second.pk]) + "#outcomes-panel"
    page = client.get(response["Location"]).content.decode()
    assert "Learning outcomes approved." in page
    assert "Next: Pat Participant&#x27;s learning outcomes for Second Practice." in page

    response = client.post(
        reverse("outcomes_decide", args=[second.pk]),
        {"decision": "return", "comment": "Say what you will learn about discharge."},
    )
    assert response["Location"] == reverse("approvals")
    page = client.get(response["Location"]).content.decode()
    assert "Learning outcomes returned with your comments." in page
    assert "No more learning outcomes are waiting for you." in page


def test_with_htmx_the_decision_redirects_to_the_next_set(client, running, today):
    participant = running.participant
    first = _submitted(participant, "First Practice", 3, today)
    second = _submitted(participant, "Second Practice", 2, today)
    client.force_login(running.line_manager)
    response = client.post(
        reverse("outcomes_decide", args=[first.pk]),
        {"decision": "approve", "comment": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == (
        reverse("placement_detail", args=[second.pk]) + "#outcomes-panel"
    )
    page = client.get(response["HX-Redirect"]).content.decode()
    assert "Learning outcomes approved." in page


def test_a_refused_decision_stays_on_the_set(client, running, today):
    participant = running.participant
    first = _submitted(participant, "First Practice", 3, today)
    _submitted(participant, "Second Practice", 2, today)
    client.force_login(running.line_manager)
    response = client.post(
        reverse("outcomes_decide", args=[first.pk]),
        {"decision": "return", "comment": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "HX-Redirect" not in response
    assert "Say what to change" in response.content.decode()
