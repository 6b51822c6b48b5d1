"""The cohort page leads with the one action its stage asks for; the others are plain links
under "Other actions"; its participants' table leaves out the cohort's name and window, which
are shown once above it."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from participants.cohort_page import cohort_actions
from participants.models import Participant
from programme.progress import commitment_report, with_progress
from tests.factories import CohortFactory, ParticipantFactory

START = dt.date(2027, 3, 1)


def _cohort(**fields):
    return CohortFactory(
        programme_start=START,
        eoi_opens=dt.date(2026, 11, 1),
        eoi_closes=dt.date(2026, 12, 18),
        briefing_date=dt.date(2027, 2, 25),
        workshop_date=dt.date(2027, 8, 20),
        **fields,
    )


@pytest.mark.parametrize(
    ("status", "today", "label", "why"),
    [
        ("planning", dt.date(2026, 10, 1), "Set the places per organisation", "open on 1 November"),
        ("recruiting", dt.date(2026, 11, 20), "Review Expressions of Interest", "18 December 2026"),
        ("running", dt.date(2027, 2, 26), "Fill in the briefing and workshop register", "briefing"),
        ("running", dt.date(2027, 5, 3), "Open the dashboard", "at risk"),
        ("running", dt.date(2027, 7, 23), "Make the workshop pack", "20 August 2027"),
        ("running", dt.date(2027, 8, 20), "Make the workshop pack", "20 August 2027"),
        ("running", dt.date(2027, 8, 23), "Fill in the briefing and workshop register", "was on"),
        ("closed", dt.date(2027, 10, 1), "Read the evaluation report", "finished"),
    ],
)
def test_it_leads_with_the_action_of_the_cohorts_stage(world, status, today, label, why):
    actions = cohort_actions(world.programme_manager, _cohort(status=status), today)
    assert actions.primary.label == label
    assert why in actions.primary.why
    assert label not in [a.label for a in actions.others]
    assert len(actions.others) == 7 - (status not in ("planning", "recruiting"))


def test_a_cohort_without_its_dates_asks_for_them(world):
    cohort = CohortFactory(status="planning", programme_start=START)
    actions = cohort_actions(world.programme_manager, cohort, dt.date(2026, 9, 1))
    assert actions.primary.label == "Change the cohort's details"
    assert actions.primary.url == reverse("cohort_edit", args=[cohort.pk])


def test_others_are_led_to_what_their_role_does(world):
    cohort = _cohort(status="recruiting")
    lead = cohort_actions(world.education_lead, cohort, dt.date(2026, 11, 20))
    assert lead.primary.url == f"{reverse('eoi_review')}?cohort={cohort.pk}"
    assert [a.label for a in lead.others] == ["Open the dashboard"]
    running = _cohort(name="Running", status="running")
    lead = cohort_actions(world.education_lead, running, dt.date(2027, 7, 23))
    assert (lead.primary.label, lead.others) == ("Open the dashboard", [])
    sponsor = cohort_actions(world.sponsor, running, dt.date(2027, 7, 23))
    assert (sponsor.primary.label, sponsor.others) == ("Open the dashboard", [])
    manager = cohort_actions(world.line_manager, running, dt.date(2027, 7, 23))
    assert (manager.primary, manager.others) == (None, [])


def test_the_page_shows_one_primary_button_and_the_rest_as_links(client, world):
    client.force_login(world.programme_manager)
    cohort = world.participant.cohort
    page = client.get(reverse("cohort_detail", args=[cohort.pk])).content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    assert main.count('class="btn') == 1
    assert 'class="btn btn-primary"' in main
    assert "Other actions" in page
    for name in ("workshop_pack", "cohort_evaluation", "cohort_edit", "cohort_attendance"):
        assert reverse(name, args=[cohort.pk]) in page


def test_the_table_leaves_out_the_cohort_shown_above_it(client, world):
    cohort = world.participant.cohort
    client.force_login(world.programme_manager)
    page = client.get(reverse("cohort_detail", args=[cohort.pk])).content.decode()
    window = "1 March 2027 to 1 September 2027"
    assert page.count(window) == 1
    assert page.count(f">{cohort.name}<") == 1  # the heading
    assert '<th scope="col">Cohort</th>' not in page
    assert '<th scope="col">Programme window</th>' not in page
    assert "Pat Participant" in page and "Olly Other" in page


def test_the_home_page_table_still_names_each_cohort(client, world):
    client.force_login(world.line_manager)
    page = client.get(reverse("home")).content.decode()
    assert '<td data-label="Cohort">Cohort A</td>' in page
    assert "1 March 2027 to 1 September 2027" in page


def test_the_page_costs_the_same_queries_for_more_participants(
    client, world, django_assert_max_num_queries
):
    cohort = world.participant.cohort
    client.force_login(world.programme_manager)
    url = reverse("cohort_detail", args=[cohort.pk])
    client.get(url)
    counts = []
    for _ in range(2):
        for _ in range(5):
            ParticipantFactory(cohort=cohort)
        # session, user, roles, cohort, count and page of participants (with user, employer)
        with django_assert_max_num_queries(8) as captured:
            client.get(url)
        counts.append(len(captured))
    assert counts[0] == counts[1]


# The milestones -------------------------------------------------------------------------------


def _summary(page: str) -> dict[str, str]:
    rows = re.findall(
        r'<div class="summary-list-row[^"]*"><dt>([^<]+)</dt><dd>(.*?)</dd></div>', page
    )
    return dict(rows)


def test_the_summary_lists_the_programmes_milestones(client, world):
    """The world's cohort starts on 1 March 2027, with the programme's milestone weeks."""
    client.force_login(world.participant.user)
    page = client.get(reverse("cohort_detail", args=[world.participant.cohort.pk])).content
    summary = _summary(page.decode())
    assert summary["First placement agreed by"] == "29 March 2027 (week 4)"
    assert summary["Three placements arranged by"] == "10 May 2027 (week 10)"
    assert summary["Learning outcomes agreed"] == "2 weeks before each placement’s first half-day"
    assert summary["6 half-days completed by"] == "31 May 2027 (week 13)"
    window = list(summary).index("Programme window")
    assert list(summary)[window + 1] == "First placement agreed by"


def test_a_cohorts_own_weeks_are_the_days_its_participants_are_judged_by(client, world):
    """The page dates a milestone as the rules do: the at-risk reason names the same day."""
    cohort = world.participant.cohort
    cohort.first_placement_week = 3
    cohort.three_placements_week = 9
    cohort.outcomes_weeks_before = 1
    cohort.half_days_week = 12
    cohort.save()
    client.force_login(world.programme_manager)
    summary = _summary(client.get(reverse("cohort_detail", args=[cohort.pk])).content.decode())
    assert summary["First placement agreed by"] == "22 March 2027 (week 3)"
    assert summary["Three placements arranged by"] == "3 May 2027 (week 9)"
    assert summary["Learning outcomes agreed"] == "1 week before each placement’s first half-day"
    assert summary["6 half-days completed by"] == "24 May 2027 (week 12)"

    participant = with_progress(Participant.objects.all()).get(pk=world.participant.pk)
    report = commitment_report(participant, on=dt.date(2027, 5, 25))
    sentence = report.get("placements").sentence
    assert "agreed by week 3 (22 March 2027)" in sentence
    assert "arranged by week 9 (3 May 2027)" in sentence
    assert "by week 12 (24 May 2027)" in report.get("half_days").sentence
