"""The mid-programme review in a browser (issue 19, item 4): the line manager, on a phone,
follows the task on their home page, meets the form's errors, records the review, and sees the
task gone; the participant then reads it. axe checks every page."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reflections.models import MidProgrammeReview
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def half_way(world):
    """The world's cohort, 12 weeks and 2 days in: the review is due in five days."""
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=12, days=2)
    cohort.save()
    return world


def test_the_line_manager_records_the_review_on_a_phone(browser, live_server, half_way):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    context.set_default_timeout(10_000)
    phone = context.new_page()
    sign_in(phone, half_way.line_manager.email)

    tasks = phone.get_by_role("region", name="What to do next")
    task = tasks.get_by_role("link", name=re.compile("Hold Pat Participant's mid-programme review"))
    expect(task).to_be_visible()
    assert_accessible(phone)
    task.click()

    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Record Pat Participant’s mid-programme review"
    )
    expect(phone.get_by_label("What help is needed (optional)")).to_be_visible()
    assert_accessible(phone)
    # Nothing sideways on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Sent without what is going well: the error summary links to the box, text kept.
    phone.get_by_label("The plan to the end of the programme").fill(
        "Third placement booked by week 18."
    )
    phone.get_by_role("button", name="Record the review").click()
    summary = phone.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter what is going well")).to_be_visible()
    expect(phone.get_by_label("The plan to the end of the programme")).to_have_value(
        "Third placement booked by week 18."
    )
    assert_accessible(phone)

    summary.get_by_role("link", name="Enter what is going well").click()
    phone.get_by_label("What is going well").fill("Confident arranging placements.")
    phone.get_by_label("What help is needed (optional)").fill("An introduction to the hub.")
    phone.get_by_role("button", name="Record the review").click()
    expect(phone.get_by_role("status").first).to_contain_text("Mid-programme review recorded.")
    expect(phone.get_by_text("Confident arranging placements.")).to_be_visible()
    assert_accessible(phone)

    review = MidProgrammeReview.objects.get(participant=half_way.participant)
    assert (review.held_on, review.recorded_by) == (timezone.localdate(), half_way.line_manager)

    phone.goto("/")
    expect(phone.get_by_role("link", name=re.compile("mid-programme review"))).to_have_count(0)
    assert_accessible(phone)
    context.close()


def test_the_participant_reads_their_review(page, half_way):
    MidProgrammeReview.objects.create(
        participant=half_way.participant,
        held_on=timezone.localdate(),
        going_well="Confident arranging placements.",
        plan="Third placement booked by week 18.",
        recorded_by=half_way.line_manager,
    )
    sign_in(page, half_way.participant.user.email)
    page.goto(f"/participants/{half_way.participant.pk}/mid-programme-review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your mid-programme review")
    expect(page.get_by_text("Third placement booked by week 18.")).to_be_visible()
    expect(page.get_by_text("Nothing noted.")).to_be_visible()
    assert_accessible(page)
