"""The follow-up questionnaire in a browser (issue 19, item 7): 6 months after the workshop
the participant follows the task on their home page, meets the form's errors with what they
typed kept, answers, sees the answers saved and the task gone. axe checks every page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluation.models import FollowUp
from i2i import rules
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def six_months_on(world):
    """The world's cohort held its workshop 6 months ago: the 6-month follow-up is open."""
    cohort = world.participant.cohort
    cohort.workshop_date = rules.add_months(timezone.localdate(), -6)
    cohort.programme_start = rules.add_months(cohort.workshop_date, -7)
    cohort.status = "closed"
    cohort.save()
    return world


def test_the_participant_answers_the_follow_up_from_the_home_page(page, six_months_on):
    participant = six_months_on.participant
    sign_in(page, participant.user.email)

    tasks = page.get_by_role("region", name="What to do next")
    task = tasks.get_by_role("link", name=re.compile("Answer the 6 months follow-up questionnaire"))
    expect(task).to_be_visible()
    assert_accessible(page)
    task.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Follow-up: 6 months after the workshop"
    )
    expect(page.get_by_text(re.compile(r"Answer by \d{1,2} \w+ \d{4}\."))).to_be_visible()
    assert_accessible(page)

    # Sent with the job title missing and a word for the number: errors, typed words kept.
    page.get_by_label("Your job title now").fill("")
    page.get_by_label("How many people you met on your placements").fill("six")
    page.get_by_label("How are you using what you learned on the programme? (optional)").fill(
        "A weekly call with the council's reablement team."
    )
    page.get_by_role("button", name="Save my answers").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter your job title now")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter a whole number, like 4")).to_be_visible()
    expect(page.get_by_label("How many people you met on your placements")).to_have_value("six")
    expect(
        page.get_by_label("How are you using what you learned on the programme? (optional)")
    ).to_have_value("A weekly call with the council's reablement team.")
    assert_accessible(page)

    summary.get_by_role("link", name="Enter your job title now").click()
    page.get_by_label("Your job title now").fill("Ward sister")
    page.get_by_label("Agenda for Change band 7").check()
    page.get_by_role("group", name=re.compile("promoted or moved")).get_by_label("Yes").check()
    page.get_by_role("group", name=re.compile("same employer")).get_by_label("No").check()
    page.get_by_label("How many people you met on your placements").fill("6")
    page.get_by_role("button", name="Save my answers").click()

    expect(page.get_by_role("status").first).to_contain_text(
        "Thank you: your follow-up answers are saved."
    )
    expect(page.get_by_role("link", name=re.compile("follow-up questionnaire"))).to_have_count(0)
    assert_accessible(page)

    saved = FollowUp.objects.get(participant=participant)
    assert (saved.moment, saved.role, saved.band, saved.contacts) == (
        "6-months",
        "Ward sister",
        "band_7",
        6,
    )
    assert (saved.promoted, saved.same_employer) == (True, False)

    page.goto(f"/participants/{participant.pk}/follow-up/6-months/")
    expect(page.get_by_text("You answered on")).to_be_visible()
    expect(page.get_by_text("Ward sister")).to_be_visible()
    assert_accessible(page)
