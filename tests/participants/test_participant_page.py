"""The participant's page reads top-down (`programme.views.participant_detail`): where they
stand and what to do next, the commitments, the placements with their actions, the
improvement initiative, the self-assessment, and last the people to contact. Its words
address the reader: "Your …" to the participant, "Pat’s …" to everyone else.

Dates come from the cohort: it started 60 days before the run's day (`tests/clock.py`)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from i2i import rules
from participants.models import Participant
from programme.participant_page import time_left
from programme.progress import commitment_report, with_progress
from reflections import reviews
from tests.factories import ApprovedPlacementFactory, HalfDayFactory, ReflectiveAccountFactory

ORDER = [
    "status-heading",
    "commitments-heading",
    "placements-heading",
    "improvement-heading",
    "self-assessment-heading",
    "contacts-heading",
]
# A status tag that needs a reason, and the reason that must follow it in the same item.
RISK_TAG = re.compile(r'<span class="tag tag-(at_risk|missed)">([^<]+)</span>')


@pytest.fixture
def running(world):
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(days=60)
    cohort.save()
    return world


@pytest.fixture
def finished_placement(running):
    """Four half-days done in the programme's first four weeks, no reflective account shared:
    due two weeks after the fourth, so overdue by now."""
    start = running.participant.cohort.programme_start
    placement = ApprovedPlacementFactory(participant=running.participant)
    for week in range(4):
        HalfDayFactory(placement=placement, date=start + dt.timedelta(days=1 + 7 * week))
    return placement


def _page(client, user, participant) -> str:
    client.force_login(user)
    response = client.get(reverse("participant_detail", args=[participant.pk]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def _report(participant):
    return commitment_report(with_progress(Participant.objects.all()).get(pk=participant.pk))


def _reasons_follow_every_risk(html: str) -> int:
    """Every "At risk" or "Missed" tag is followed, before the item ends, by its reason."""
    found = 0
    for match in RISK_TAG.finditer(html):
        rest = html[match.end() :]
        if html[: match.start()].endswith("Overall: "):
            # The overall status: the commitments at risk, each with its reason, follow it.
            assert re.match(r'[^<]*</p> <ul class="list-unstyled risks"> <li class="risk', rest)
            continue
        item = re.split(r"</li>|</td>|</dd>|</p>", rest, maxsplit=1)[0]
        assert 'class="reason' in item, html[match.start() : match.end() + 300]
        reason = re.search(r'class="reason[^"]*">([^<]+)<', item).group(1).strip()
        assert len(reason) > 10, reason
        found += 1
    return found


def test_it_reads_top_down(client, running, finished_placement):
    html = _page(client, running.participant.user, running.participant)

    positions = [html.index(f'id="{heading}"') for heading in ORDER]
    assert positions == sorted(positions)
    # Contacts last: the sponsor meeting comes after the placements and the initiative.
    assert html.index("No sponsor meeting recorded yet") > html.index('id="improvement-heading"')
    assert html.index("Line manager</dt>") > html.index('id="placements-heading"')
    # What to do next is at the top, with the report's to-do items.
    steps = html.index('id="next-steps-heading"')
    assert positions[0] < steps < positions[1]


def test_time_left_is_words_and_a_date_not_a_bar(client, running):
    report = _report(running.participant)
    html = _page(client, running.participant.user, running.participant)

    weeks = report.weeks_left
    assert weeks > 1  # 60 days into a six-month window
    expected = f"{weeks} weeks left: the programme ends on {date_format(report.window_end)}."
    assert expected in html
    assert 'id="progress-weeks' not in html
    assert "Weeks left" not in html


def test_time_left_when_the_window_has_closed_or_not_started(running):
    start = running.participant.cohort.programme_start
    end = rules.window_end(start)
    nothing = rules.ParticipantRecord(start, employer_id=1)
    after = rules.evaluate(nothing, on=end + dt.timedelta(days=1))
    before = rules.evaluate(nothing, on=start - dt.timedelta(days=3))
    last = rules.evaluate(nothing, on=end)

    assert time_left(after) == f"The programme window closed on {date_format(end)}."
    assert time_left(before) == (
        f"The programme starts on {date_format(start)} and ends on {date_format(end)}."
    )
    assert time_left(last) == f"Less than a week left: the programme ends on {date_format(end)}."


def test_every_at_risk_status_has_its_reason_beside_it(client, running, finished_placement):
    report = _report(running.participant)
    assert report.overall == rules.Overall.AT_RISK
    assert report.get("reflections").status == rules.Status.AT_RISK

    for user in (running.participant.user, running.line_manager, running.sponsor):
        html = _page(client, user, running.participant)
        # The overall status, then the commitment at risk and why, at the top of the page.
        status = html[: html.index('id="commitments-heading"')]
        assert 'Overall: <span class="tag tag-at_risk">At risk</span>' in status
        assert re.search(
            r'<span class="tag tag-at_risk">At risk</span> <strong>A reflective account of each '
            r'placement, shared and discussed with [a-z ]+\.</strong> <span class="reason">0 of 3 '
            r"reflective accounts discussed with [a-z ]+\. Overdue: ",
            status,
        )
        # In the status, the commitments and the placements table: each with its reason.
        assert _reasons_follow_every_risk(html) >= 3


def test_the_line_managers_home_says_why_a_participant_is_at_risk(
    client, running, finished_placement
):
    client.force_login(running.line_manager)
    html = re.sub(r"\s+", " ", client.get(reverse("home")).content.decode())
    link = reverse("participant_detail", args=[running.participant.pk])
    [row] = [r for r in re.findall(r"<tr>.*?</tr>", html) if f'href="{link}"' in r]
    assert '<span class="tag tag-at_risk">At risk</span>' in row
    assert _reasons_follow_every_risk(row) == 1
    assert (
        "shared and discussed with you: 0 of 3 reflective accounts discussed with you. Overdue:"
        in row
    )


def test_an_overdue_account_not_started_has_the_button_to_write_it(
    client, running, finished_placement
):
    html = _page(client, running.participant.user, running.participant)
    start = reverse("account_start", args=[finished_placement.pk])
    assert f'<form method="post" action="{start}"' in html
    due = _report(running.participant).placements[0].reflection_due
    assert f"Overdue: it was due on {date_format(due)}." in html
    # What to do next links to where it is written.
    detail = reverse("placement_detail", args=[finished_placement.pk])
    assert f'<a href="{detail}#account-heading">Write your reflective account of' in html


def test_an_overdue_draft_links_to_continue_writing_it(client, running, finished_placement):
    account = ReflectiveAccountFactory(placement=finished_placement)
    edit = reverse("account_edit", args=[account.pk])

    html = _page(client, running.participant.user, running.participant)
    assert re.search(rf'<a class="btn [^"]*" href="{edit}">Continue writing<', html)
    assert f'<a href="{edit}">Continue writing your reflective account of' in html
    assert reverse("account_start", args=[finished_placement.pk]) not in html
    assert ">Read<" not in html

    # The line manager sees it is a draft and overdue, but not a link to the draft.
    html = _page(client, running.line_manager, running.participant)
    assert edit not in html
    assert reverse("account_detail", args=[account.pk]) not in html
    assert "Overdue: it was due on" in html


def test_a_shared_account_is_read_by_the_line_manager(client, running, finished_placement):
    account = ReflectiveAccountFactory(placement=finished_placement, status="shared")
    html = _page(client, running.line_manager, running.participant)
    assert f'href="{reverse("account_detail", args=[account.pk])}">Read<' in html


def test_headings_address_the_participant(client, running, finished_placement):
    html = _page(client, running.participant.user, running.participant)
    for heading in (
        "Where you stand",
        "Your I2I commitments",
        "Your placements",
        "Your service improvement initiative",
        "Your line manager and sponsor",
    ):
        assert heading in html
    assert "Pat’s" not in html


@pytest.mark.parametrize("who", ["line_manager", "sponsor", "programme_manager"])
def test_headings_name_the_participant_for_everyone_else(client, running, finished_placement, who):
    html = _page(client, getattr(running, who), running.participant)
    for heading in (
        "Where Pat stands",
        "Pat’s I2I commitments",
        "Pat’s placements",
        "Pat’s service improvement initiative",
        "Pat’s line manager and sponsor",
    ):
        assert heading in html
    assert "Your I2I commitments" not in html
    assert "Your placements" not in html
    # The rules write to the participant; others read "their", the line manager "you".
    assert "with your line manager" not in html
    assert "your employer" not in html


def test_the_line_manager_reads_shared_with_you(client, running, finished_placement):
    html = _page(client, running.line_manager, running.participant)
    assert "A reflective account of each placement, shared and discussed with you." in html
    html = _page(client, running.sponsor, running.participant)
    assert (
        "A reflective account of each placement, shared and discussed with their line manager."
        in html
    )


def test_the_page_asks_no_more_queries_for_the_next_steps(
    client, running, finished_placement, django_assert_max_num_queries
):
    client.force_login(running.participant.user)
    url = reverse("participant_detail", args=[running.participant.pk])
    # session, user, roles; participant; placements with organisations; half-days;
    # sponsor meetings; shared contacts; self-assessments answered
    with django_assert_max_num_queries(9):
        client.get(url)


# The mid-programme review ----------------------------------------------------------------------

REVIEW = {
    "going_well": "Two hosts booked; the discharge hub welcomed me.",
    "help_needed": "Time released for the third placement.",
    "plan": "Third placement by week 18.",
}
READERS = {
    "participant": lambda w: w.participant.user,
    "line_manager": lambda w: w.line_manager,
    "sponsor": lambda w: w.sponsor,
    "education_lead": lambda w: w.education_lead,
    "programme_manager": lambda w: w.programme_manager,
}


def _review_section(html: str) -> str:
    return html.split('id="review-heading"', 1)[1].split("</section>", 1)[0]


def _hold_review(world, held_on: dt.date):
    return reviews.mid_programme_review_record(
        participant=world.participant, by=world.line_manager, held_on=held_on, **REVIEW
    )


def test_the_review_is_due_by_the_end_of_week_13(client, running):
    """Sixty days in: due by the end of week 13, and the participant can open it."""
    due = running.participant.cohort.programme_start + dt.timedelta(weeks=13)
    url = reverse("mid_programme_review", args=[running.participant.pk])
    section = _review_section(_page(client, running.participant.user, running.participant))
    assert "Your mid-programme review</h2>" in section
    assert f"Due by {date_format(due)}." in section
    assert f'<a href="{url}">Your mid-programme review</a>' in section
    section = _review_section(_page(client, running.line_manager, running.participant))
    assert "Pat’s mid-programme review</h2>" in section
    assert f'<a href="{url}">Record Pat’s mid-programme review</a>' in section


def test_an_overdue_review_says_when_it_was_due(client, running):
    cohort = running.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=14)
    cohort.save()
    due = cohort.programme_start + dt.timedelta(weeks=13)
    section = _review_section(_page(client, running.line_manager, running.participant))
    assert f"Not recorded yet: it was due by {date_format(due)}." in section


@pytest.mark.parametrize(
    ("who", "link"),
    [
        ("participant", "Read your mid-programme review"),
        ("line_manager", "Read Pat’s mid-programme review"),
        ("sponsor", None),
        ("education_lead", None),
        ("programme_manager", None),
    ],
)
def test_everyone_sees_it_was_done_only_the_two_of_them_get_the_link(client, running, who, link):
    """As on the dashboard, whoever reads the page sees whether it was held; the review's words
    are for the participant and their line manager (`access.mid_programme_review_participants`):
    nobody else gets a link to a page that would be a 404 for them."""
    held_on = timezone.localdate() - dt.timedelta(days=2)
    _hold_review(running, held_on)
    url = reverse("mid_programme_review", args=[running.participant.pk])
    html = _page(client, READERS[who](running), running.participant)
    section = _review_section(html)
    assert f"Done on {date_format(held_on)}." in section
    if link:
        assert f'<a href="{url}">{link}</a>' in section
        assert client.get(url).status_code == 200
    else:
        assert url not in html
        assert client.get(url).status_code == 404
    for words in REVIEW.values():
        assert words not in html


def test_the_review_adds_no_query(
    client, running, finished_placement, django_assert_max_num_queries
):
    _hold_review(running, timezone.localdate())
    client.force_login(running.line_manager)
    url = reverse("participant_detail", args=[running.participant.pk])
    # session, user, roles; participant (with the review's day and whether they may open it);
    # placements with organisations; half-days; sponsor meetings; shared contacts
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert "Read Pat’s mid-programme review" in response.content.decode()
