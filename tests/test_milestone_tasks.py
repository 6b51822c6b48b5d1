"""The milestones where people act on them (issue 19): the task lists, the at-risk reminder
and the dashboard read the rules' reasons, so a participant behind a milestone is named there
with the milestone; and the programme manager sets a cohort's milestones on its form.

The world's cohort started five weeks before the run's day (tests/clock.py): its participant
has nothing arranged (behind "the first placement agreed by week 4"); the other participant
has a placement agreed with its host, and is behind nothing.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from i2i import rules
from i2i.models import Notification
from participants.models import Cohort, Participant
from programme import tasks
from programme.progress import commitment_reports, with_progress
from programme.reminders import send_due_reminders
from tests.factories import ApprovedPlacementFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def week_5(world, today):
    cohort = world.participant.cohort
    cohort.programme_start = today - dt.timedelta(weeks=5)
    cohort.save()
    ApprovedPlacementFactory(participant=world.other_participant)
    return world


def _week_4(world) -> str:
    day = world.participant.cohort.programme_start + dt.timedelta(weeks=4)
    return f"{day.day} {day:%B %Y}"


def _reports(today):
    people = list(with_progress(Participant.objects.all()))
    return commitment_reports(people, on=today)


def test_the_rules_read_the_cohorts_milestones_from_the_database(week_5, today):
    reports = _reports(today)
    mine = reports[week_5.participant.pk].get("placements")
    theirs = reports[week_5.other_participant.pk].get("placements")

    assert mine.status == rules.Status.AT_RISK
    assert mine.sentence.startswith(
        f"The first placement should have been agreed by week 4 ({_week_4(week_5)})."
    )
    assert theirs.status == rules.Status.ON_TRACK


def test_the_participants_task_names_the_milestone_and_what_clears_it(week_5, today):
    found = tasks.participant_tasks(week_5.participant.user, today=today)

    [agree] = [t for t in found if t.text == "Agree a placement with a host organisation"]
    assert agree.urgency == tasks.Urgency.AT_RISK
    assert agree.url == reverse("placement_create", args=[week_5.participant.pk])
    assert agree.reason.startswith(
        f"The first placement should have been agreed by week 4 ({_week_4(week_5)})."
    )


def test_the_line_manager_is_told_who_is_behind_and_why(week_5, today):
    found = tasks.line_manager_tasks(week_5.line_manager, today=today)

    [check] = [t for t in found if t.text == "Check on Pat Participant, who is at risk"]
    assert check.reason.startswith(
        "Three placements with different organisations: The first placement should have been "
        f"agreed by week 4 ({_week_4(week_5)})."
    )


def test_the_at_risk_reminder_carries_the_milestone_to_both(
    week_5, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(today)

    sent = Notification.objects.filter(kind="at_risk", participant=week_5.participant)
    assert sorted(n.recipient_id for n in sent) == sorted(
        [week_5.participant.user_id, week_5.line_manager.pk]
    )
    for notification in sent:
        assert notification.key.endswith(":at_risk:placements")
        assert f"should have been agreed by week 4 ({_week_4(week_5)})" in notification.body
        assert "Agree a placement with a host organisation" in notification.body
    # The other participant, with a placement agreed, is behind nothing.
    assert not Notification.objects.filter(
        kind="at_risk", participant=week_5.other_participant
    ).exists()


def test_the_dashboards_at_risk_list_gives_the_milestone(client, week_5):
    client.force_login(week_5.programme_manager)
    cohort = week_5.participant.cohort
    html = client.get(reverse("cohort_dashboard", args=[cohort.pk])).content.decode()
    risks = re.sub(r"\s+", " ", html.split('id="table-heading"')[0])

    assert "Pat Participant" in risks
    assert f"should have been agreed by week 4 ({_week_4(week_5)})" in risks
    assert "Olly Other" not in risks


# The cohort form ---------------------------------------------------------------------------------


def _form_data(cohort: Cohort, **milestones) -> dict:
    return {
        "name": cohort.name,
        "status": cohort.status,
        "programme_start": cohort.programme_start.isoformat(),
        **{key: str(value) for key, value in milestones.items()},
    }


def test_the_programme_manager_moves_a_milestone_and_the_rules_follow(client, week_5, today):
    cohort = week_5.participant.cohort
    client.force_login(week_5.programme_manager)
    page = client.get(reverse("cohort_edit", args=[cohort.pk])).content.decode()
    assert "<legend" in page and "Milestones</legend>" in page
    assert 'name="first_placement_week" value="4"' in page

    response = client.post(
        reverse("cohort_edit", args=[cohort.pk]),
        _form_data(
            cohort,
            first_placement_week=6,
            three_placements_week=12,
            outcomes_weeks_before=3,
            half_days_week=14,
        ),
    )

    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.milestones == rules.Milestones(6, 12, 3, 14)
    assert reports_status(today, week_5.participant) == rules.Status.ON_TRACK


def reports_status(today, participant) -> rules.Status:
    return _reports(today)[participant.pk].get("placements").status


def test_empty_milestones_are_the_programmes_defaults(client, week_5):
    client.force_login(week_5.programme_manager)
    client.post(
        reverse("cohort_create"),
        {"name": "Cohort 12", "status": "planning", "programme_start": "2027-03-01"}
        | {"first_placement_week": "", "half_days_week": ""},
    )
    assert Cohort.objects.get(name="Cohort 12").milestones == rules.DEFAULT_MILESTONES


@pytest.mark.parametrize(
    ("milestones", "field", "message"),
    [
        pytest.param(
            {"first_placement_week": 6, "three_placements_week": 5},
            "three_placements_week",
            "Enter a week on or after the first placement's (week 6)",
            id="three-before-the-first",
        ),
        pytest.param(
            {"half_days_week": 27},
            "half_days_week",
            "26",
            id="after-the-window",
        ),
        pytest.param(
            {"first_placement_week": 0},
            "first_placement_week",
            "1",
            id="week-0",
        ),
    ],
)
def test_a_milestone_out_of_order_or_outside_the_window_is_refused(
    client, week_5, milestones, field, message
):
    cohort = week_5.participant.cohort
    client.force_login(week_5.programme_manager)
    response = client.post(
        reverse("cohort_edit", args=[cohort.pk]), _form_data(cohort, **milestones)
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    cohort.refresh_from_db()
    assert cohort.milestones == rules.DEFAULT_MILESTONES


def test_the_milestone_days_are_written_as_people_write_dates(week_5):
    # The sentence's date is the page's date format too (`3 March 2027`).
    cohort = week_5.participant.cohort
    day = cohort.programme_start + dt.timedelta(weeks=4)
    assert _week_4(week_5) == date_format(day, "j F Y")
