"""The placement pages: who may see and do what, htmx decisions, and constant query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from placements import services
from placements.models import HalfDay, Placement
from tests.factories import (
    ApprovedPlacementFactory,
    HalfDayFactory,
    OrganisationFactory,
    ParticipantFactory,
    PlacementFactory,
)


def _user(world, who):
    return world.participant.user if who == "participant" else getattr(world, who)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("participant", 200),
        ("line_manager", 200),
        ("sponsor", 200),
        ("education_lead", 200),
        ("programme_manager", 200),
        ("other_education_lead", 404),
        ("outsider", 404),
    ],
)
def test_a_placement_is_seen_by_the_participant_and_those_who_support_them(
    client, placement, running, who, status
):
    client.force_login(_user(running, who))
    assert client.get(reverse("placement_detail", args=[placement.pk])).status_code == status


@pytest.mark.parametrize("who", ["line_manager", "sponsor", "education_lead", "programme_manager"])
def test_only_the_participant_changes_their_placement(client, placement, running, who):
    client.force_login(_user(running, who))
    for name in ("placement_edit", "placement_withdraw", "outcomes_edit", "half_day_create"):
        assert client.get(reverse(name, args=[placement.pk])).status_code == 403, name
    response = client.get(reverse("placement_create", args=[running.participant.pk]))
    assert response.status_code == 403


def test_the_participant_plans_a_placement_with_a_directory_organisation(client, running):
    host = OrganisationFactory(name="Willowbank Nursing Home", sector="care_sector")
    client.force_login(running.participant.user)
    response = client.post(
        reverse("placement_create", args=[running.participant.pk]),
        {"organisation": host.pk, "contact_name": "Bea Northcott", "status": "agreed"},
    )
    placement = Placement.objects.get()
    assert response["Location"] == reverse("outcomes_edit", args=[placement.pk])
    assert (placement.organisation, placement.status) == (host, "agreed")


def test_the_participant_proposes_an_organisation_that_is_not_listed(client, running):
    client.force_login(running.participant.user)
    response = client.post(
        reverse("placement_create", args=[running.participant.pk]),
        {
            "proposed_name": "Oakfield Hospice",
            "proposed_sector": "pvi",
            "contact_name": "Sam Carer",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert placement.organisation.name == "Oakfield Hospice"
    assert not placement.organisation.is_confirmed


def test_a_placement_without_an_organisation_is_explained_and_keeps_the_input(client, running):
    client.force_login(running.participant.user)
    response = client.post(
        reverse("placement_create", args=[running.participant.pk]),
        {"contact_name": "Bea Northcott", "contact_phone": "01234 567890", "status": "planned"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["organisation"] == [
        "Choose the host organisation, or propose one that is not listed"
    ]
    html = response.content.decode()
    assert 'value="Bea Northcott"' in html and 'value="01234 567890"' in html


def test_the_participants_own_employer_is_not_offered_as_a_host(client, running):
    client.force_login(running.participant.user)
    response = client.get(reverse("placement_create", args=[running.participant.pk]))
    offered = list(response.context["form"].fields["organisation"].queryset)
    assert running.participant.organisation not in offered


def test_the_participant_writes_and_sends_outcomes(client, running):
    placement = PlacementFactory(participant=running.participant)
    client.force_login(running.participant.user)
    response = client.post(
        reverse("outcomes_edit", args=[placement.pk]),
        {"outcome_1": "Learn how they triage", "outcome_2": "", "action": "submit"},
    )
    assert response["Location"] == reverse("placement_detail", args=[placement.pk])
    placement.refresh_from_db()
    assert placement.outcomes_status == "submitted"
    assert list(placement.outcomes.values_list("text", flat=True)) == ["Learn how they triage"]


def test_sending_no_outcomes_is_explained(client, running):
    placement = PlacementFactory(participant=running.participant)
    client.force_login(running.participant.user)
    response = client.post(
        reverse("outcomes_edit", args=[placement.pk]), {"outcome_1": " ", "action": "submit"}
    )
    assert response.status_code == 200
    assert "Write at least one learning outcome" in response.content.decode()


def _submitted(running):
    placement = PlacementFactory(participant=running.participant, outcomes_status="submitted")
    placement.outcomes.create(text="Learn how referrals are triaged")
    return placement


def test_the_line_manager_approves_with_htmx_and_gets_the_panel_back(client, running):
    placement = _submitted(running)
    client.force_login(running.line_manager)
    response = client.post(
        reverse("outcomes_decide", args=[placement.pk]),
        {"decision": "approve", "comment": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="outcomes-panel"')
    assert "Learning outcomes approved." in html
    placement.refresh_from_db()
    assert placement.outcomes_status == "approved"


def test_the_line_manager_returns_without_a_comment_and_is_told_why(client, running):
    placement = _submitted(running)
    client.force_login(running.line_manager)
    response = client.post(
        reverse("outcomes_decide", args=[placement.pk]),
        {"decision": "return", "comment": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "Say what to change" in response.content.decode()
    placement.refresh_from_db()
    assert placement.outcomes_status == "submitted"


def test_without_htmx_the_decision_redirects_back(client, running):
    placement = _submitted(running)
    client.force_login(running.line_manager)
    response = client.post(
        reverse("outcomes_decide", args=[placement.pk]),
        {"decision": "return", "comment": "Make them specific"},
    )
    # Nothing else waits for the line manager: back to their list (programme/tasks.py).
    assert response["Location"] == reverse("approvals")


@pytest.mark.parametrize("who", ["participant", "sponsor", "education_lead", "programme_manager"])
def test_nobody_but_the_line_manager_decides(client, running, who):
    placement = _submitted(running)
    client.force_login(_user(running, who))
    response = client.post(reverse("outcomes_decide", args=[placement.pk]), {"decision": "approve"})
    assert response.status_code == 403


def test_the_line_manager_sees_what_waits_for_them(client, running):
    placement = _submitted(running)
    client.force_login(running.line_manager)
    assert "1 set of learning outcomes waiting" in client.get(reverse("home")).content.decode()
    response = client.get(reverse("approvals"))
    assert list(response.context["waiting"]) == [placement]
    client.force_login(running.sponsor)
    assert list(client.get(reverse("approvals")).context["waiting"]) == []


def test_logging_a_half_day_outside_the_window_shows_the_commitment(client, placement, running):
    client.force_login(running.participant.user)
    start = running.participant.cohort.programme_start
    response = client.post(
        reverse("half_day_create", args=[placement.pk]),
        {
            "date": (start - dt.timedelta(days=5)).isoformat(),
            "session": "am",
            "person_met": "Duty manager",
            "level": "team_leader",
            "status": "planned",
            "location": "Main site",
        },
    )
    assert response.status_code == 200
    assert "six-month window" in response.context["form"].errors["date"][0]
    assert 'value="Main site"' in response.content.decode()
    assert not HalfDay.objects.exists()


def test_logging_a_half_day_before_outcomes_are_approved_shows_the_commitment(client, running):
    placement = PlacementFactory(participant=running.participant)
    client.force_login(running.participant.user)
    response = client.post(
        reverse("half_day_create", args=[placement.pk]),
        {
            "date": running.participant.cohort.programme_start.isoformat(),
            "session": "am",
            "person_met": "Duty manager",
            "level": "team_leader",
            "status": "planned",
        },
    )
    assert "learning outcomes are agreed" in response.context["form"].non_field_errors()[0]


def test_a_clashing_half_day_is_explained_next_to_the_start_time(client, placement, running, today):
    HalfDayFactory(placement=placement, date=today - dt.timedelta(days=2), session="pm")
    client.force_login(running.participant.user)
    response = client.post(
        reverse("half_day_create", args=[placement.pk]),
        {
            "date": (today - dt.timedelta(days=2)).isoformat(),
            "session": "pm",
            "person_met": "Someone else",
            "level": "front_line",
            "status": "completed",
        },
    )
    message = response.context["form"].errors["starts_at"][0]
    assert message.startswith("You already have a half-day from 1:30pm to 5:00pm")


def test_marking_a_half_day_completed(client, placement, running, today):
    half_day = HalfDayFactory(placement=placement, date=today, status="planned")
    client.force_login(running.participant.user)
    client.post(reverse("half_day_complete", args=[half_day.pk]))
    half_day.refresh_from_db()
    assert half_day.status == "completed"


def test_the_host_confirms_without_an_account(client, placement, today):
    half_day = services.half_day_log(
        placement=placement,
        by=placement.participant.user,
        today=today,
        date=today,
        session="am",
        person_met="Ward manager",
        level="team_leader",
        status="completed",
    )
    url = reverse("half_day_confirm", args=[services.confirmation_token(half_day)])
    page = client.get(url)
    assert page.status_code == 200
    assert "Confirm the half-day took place" in page.content.decode()
    response = client.post(url, {"name": "Dr Imogen Vale"})
    assert "Thank you" in response.content.decode()
    again = client.post(url, {"name": "Dr Imogen Vale"})
    assert "already been confirmed" in again.content.decode()


def test_a_broken_confirmation_link_says_so(client, db):
    response = client.get(reverse("half_day_confirm", args=["not-a-real-token"]))
    assert response.status_code == 200
    assert "This link cannot be used" in response.content.decode()


def test_the_participant_downloads_a_calendar(client, placement, running, today):
    HalfDayFactory(placement=placement, date=today + dt.timedelta(days=2), status="planned")
    cohort = running.participant.cohort
    cohort.briefing_date = cohort.programme_start
    cohort.save()
    client.force_login(running.participant.user)
    response = client.get(reverse("participant_calendar", args=[running.participant.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 2
    assert "I2I half-day: Riverside Practice" in body
    assert "I2I briefing" in body
    client.force_login(running.line_manager)
    response = client.get(reverse("participant_calendar", args=[running.participant.pk]))
    assert response.status_code == 403


def test_the_participant_page_shows_progress_and_commitments(client, placement, running):
    start = running.participant.cohort.programme_start
    for day in (1, 2):
        HalfDayFactory(placement=placement, date=start + dt.timedelta(days=day))
    client.force_login(running.line_manager)
    html = client.get(reverse("participant_detail", args=[running.participant.pk])).content.decode()
    assert "Placements: 1 of 3" in html
    assert "Half-days: 2 of 12" in html
    assert "2 of 4" in html  # the placement's own bar
    assert "Three placements with different organisations" in html


def _fill(participant, placements: int):
    """Give a participant `placements` approved placements with two completed half-days each."""
    start = participant.cohort.programme_start + dt.timedelta(
        days=HalfDay.objects.filter(participant=participant).count() * 2
    )
    for i in range(placements):
        placement = ApprovedPlacementFactory(participant=participant)
        for j in range(2):
            HalfDayFactory(
                placement=placement, date=start + dt.timedelta(days=1 + i * 3 + j), session="am"
            )


def test_the_participant_page_does_not_grow_with_placements(
    client, running, django_assert_max_num_queries
):
    client.force_login(running.participant.user)
    url = reverse("participant_detail", args=[running.participant.pk])
    counts = []
    for size in (1, 6):
        _fill(running.participant, size)
        # session, user, roles; participant; placements with organisations; half-days;
        # sponsor meetings; shared contacts; self-assessments answered
        with django_assert_max_num_queries(9) as captured:
            client.get(url)
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_line_managers_list_does_not_grow_with_reports(
    client, running, django_assert_max_num_queries
):
    client.force_login(running.line_manager)
    counts = []
    for size in (1, 8):
        for _ in range(size):
            _fill(
                ParticipantFactory(
                    cohort=running.participant.cohort, line_manager=running.line_manager
                ),
                2,
            )
        # session, user, roles; unread announcements; managed participants, their
        # placements, half-days; outcomes and accounts waiting; Expressions of Interest
        # waiting for support; initiatives waiting (the task list, programme/tasks.py)
        with django_assert_max_num_queries(11) as captured:
            response = client.get(reverse("home"))
        counts.append(len(captured))
        assert len(response.context["sections"].managed) == 1 + size + (1 if size == 8 else 0)
    assert counts[0] == counts[1]


def _log_half_day(client, placement, day):
    return client.post(
        reverse("half_day_create", args=[placement.pk]),
        {
            "date": day.isoformat(),
            "session": "pm",
            "person_met": "Duty manager",
            "level": "team_leader",
            "status": "completed",
            "location": "Main site",
        },
    )


def test_changed_outcomes_stop_new_half_days_in_the_browser_form(client, placement, today):
    participant = placement.participant
    HalfDayFactory(placement=placement, date=today - dt.timedelta(days=7))
    client.force_login(participant.user)
    client.post(
        reverse("outcomes_edit", args=[placement.pk]),
        {"outcome_1": "A changed outcome", "action": "save"},
    )
    placement.refresh_from_db()
    assert placement.outcomes_status == "submitted"

    page = client.get(reverse("placement_detail", args=[placement.pk])).content.decode()
    response = _log_half_day(client, placement, today - dt.timedelta(days=1))

    assert "Log a half-day</a>" not in page
    assert "changed after your line manager approved them" in page
    assert response.status_code == 200
    error = response.context["form"].non_field_errors()[0]
    assert "I2I commitment is that learning outcomes are agreed" in error
    assert 'value="Main site"' in response.content.decode()
    assert placement.half_days.count() == 1
    progress = client.get(reverse("participant_detail", args=[participant.pk])).content.decode()
    assert "Learning outcomes agreed for 0 of 3 placements." in progress
    assert "changed after they were agreed" in progress
    assert "Half-days: 1 of 12" in progress


def test_the_progress_page_says_why_each_placement_does_not_count(client, running, today):
    participant = running.participant
    start = participant.cohort.programme_start
    hosts = [OrganisationFactory(name=f"Host {n}") for n in range(4)]
    placements = [ApprovedPlacementFactory(participant=participant, organisation=h) for h in hosts]
    ApprovedPlacementFactory(participant=participant, organisation=hosts[0])
    for i, placement in enumerate(placements):
        for week in range(4 if i < 3 else 1):
            HalfDayFactory(placement=placement, date=start + dt.timedelta(days=1 + 7 * week + i))
    ApprovedPlacementFactory(participant=participant, organisation=participant.organisation)
    client.force_login(participant.user)

    html = client.get(reverse("participant_detail", args=[participant.pk])).content.decode()

    assert "Placements: 3 of 3" in html
    assert "Placements: 4 of 3" not in html
    assert html.count("Extra: three placements with other organisations already count") == 1
    other = reverse("placement_detail", args=[placements[0].pk])
    assert f'<a href="{other}">your other placement with Host 0</a> counts for this' in html
    assert "it is with your own employer" in html
    assert "same organisation as another placement, or your employer" not in html
