"""What to do next, followed from the home page in a browser: each journey starts at a task on
the list, does it where the task leads, and comes home to see it gone (and, where someone
else acts next, their task appear). axe runs on every page.

- the participant logs their fourth half-day, then writes and shares the reflective account
  that asks for, and their line manager's "discuss" task appears and clears;
- the programme manager makes and downloads the workshop pack the list asks for.

(Sending learning outcomes and approving them: tests/e2e/test_home_tasks.py.)"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from participants.models import WorkshopConsent
from reflections.models import ReflectiveAccount
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import (
    ApprovedPlacementFactory,
    HalfDayFactory,
    OrganisationFactory,
    ReflectiveAccountFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOST = "Riverside Lane Medical Practice"


def _tasks(page):
    return page.get_by_role("region", name="What to do next")


def _home(page):
    page.get_by_role("link", name="I2I Cohorts").click()
    expect(page.get_by_role("heading", name="What to do next")).to_be_visible()
    assert_accessible(page)
    return _tasks(page)


@pytest.fixture
def three_half_days(world):
    """Eight weeks into the window, one placement agreed with three half-days done."""
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=8)
    cohort.save()
    placement = ApprovedPlacementFactory(
        participant=world.participant,
        organisation=OrganisationFactory(name=HOST, sector="gp_practice"),
    )
    for n in range(3):
        HalfDayFactory(placement=placement, date=cohort.programme_start + dt.timedelta(days=1 + n))
    return placement


def test_the_participant_logs_a_half_day_then_writes_and_shares_the_account_it_asks_for(
    browser, live_server, world, three_half_days
):
    placement = three_half_days
    page = browser.new_context(base_url=live_server.url).new_page()
    page.set_default_timeout(10_000)
    sign_in(page, world.participant.user.email)
    tasks = _tasks(page)
    book = tasks.get_by_role("link", name=f"Book 1 more half-day at {HOST}")
    expect(book).to_be_visible()
    expect(book).to_have_accessible_description(re.compile("3 of 4 half-days done there"))
    expect(tasks.get_by_role("link", name=re.compile("reflective account"))).to_have_count(0)
    assert_accessible(page)

    # Log the fourth half-day, where the task leads.
    book.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(HOST)
    assert_accessible(page)
    day = timezone.localdate() - dt.timedelta(days=1)
    date = page.get_by_role("group", name=re.compile("^Date"))
    date.get_by_label("Day").fill(str(day.day))
    date.get_by_label("Month").fill(str(day.month))
    date.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Morning", exact=True).check()
    page.get_by_label("Who you met").fill("The practice manager")
    page.get_by_label("Front line").check()
    page.get_by_label("Yes: it is completed").check()
    page.get_by_role("button", name="Save half-day").click()
    expect(page.get_by_role("status").first).to_contain_text("Half-day saved")
    assert_accessible(page)
    assert placement.half_days.filter(status="completed").count() == 4

    # Home: nothing left to book there; the reflective account is the next task.
    tasks = _home(page)
    expect(tasks.get_by_role("link", name=re.compile(f"half-days? at {HOST}"))).to_have_count(0)
    write = tasks.get_by_role("link", name=re.compile(f"^Write the reflective account for {HOST}"))
    expect(write).to_be_visible()

    write.click()
    expect(page.get_by_role("heading", name="Reflective account")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Write your reflective account").click()
    assert_accessible(page)
    page.get_by_label("What happened").fill("A morning with the practice's care navigators.")
    page.get_by_role("button", name="Share with line manager").click()
    expect(page.get_by_role("status").first).to_contain_text("Shared with your line manager")
    assert_accessible(page)

    tasks = _home(page)
    expect(tasks.get_by_role("link", name=re.compile("reflective account"))).to_have_count(0)

    # The line manager acts next: the discussion is on their list until they record it.
    manager = browser.new_context(base_url=live_server.url).new_page()
    manager.set_default_timeout(10_000)
    sign_in(manager, world.line_manager.email)
    discuss = _tasks(manager).get_by_role(
        "link", name=f"Discuss Pat Participant's reflective account of {HOST}"
    )
    expect(discuss).to_be_visible()
    assert_accessible(manager)
    discuss.click()
    expect(manager.get_by_text("A morning with the practice's care navigators.")).to_be_visible()
    assert_accessible(manager)
    manager.get_by_label("Comments for the participant").fill("Thank you: let us talk on Friday.")
    manager.get_by_role("button", name="Record discussion").click()
    expect(manager.get_by_role("status").first).to_contain_text("Discussion recorded")
    assert_accessible(manager)
    tasks = _home(manager)
    expect(tasks.get_by_role("link", name=re.compile("^Discuss"))).to_have_count(0)
    assert ReflectiveAccount.objects.get(placement=placement).status == "discussed"


def test_the_programme_manager_makes_and_downloads_the_workshop_pack_the_list_asks_for(
    browser, live_server, world
):
    cohort = world.participant.cohort
    today = timezone.localdate()
    cohort.programme_start = today - dt.timedelta(weeks=20)
    cohort.workshop_date = today + dt.timedelta(days=7)
    cohort.save()
    ReflectiveAccountFactory(
        placement__participant=world.participant, workshop_learning="Call before discharge."
    )
    WorkshopConsent.objects.create(participant=world.participant, include=True)

    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, world.programme_manager.email)
    workshop = _tasks(page).get_by_role("link", name=re.compile(r"^Cohort A: the workshop is on"))
    expect(workshop).to_be_visible()
    expect(workshop).to_have_accessible_description(re.compile("Make the workshop pack"))
    assert_accessible(page)

    workshop.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workshop pack: Cohort A")
    assert_accessible(page)
    page.get_by_role("button", name="Make the workshop pack (PDF)").click()
    expect(page.get_by_role("status").first).to_contain_text("Your file is ready")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Download workshop-pack")).click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    tasks = _home(page)
    expect(tasks.get_by_role("link", name=re.compile("the workshop is on"))).to_have_count(0)
    context.close()
