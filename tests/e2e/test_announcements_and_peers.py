"""Announcements and peers in a browser, checked with axe-core: the programme manager writes to
a cohort's participants, a participant sees it on their home page and marks it read; a
participant opens their peers and chooses to show their email address."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECT = "The briefing moves to the Fenbridge Centre"


def test_the_programme_manager_writes_and_a_participant_marks_it_read(browser, live_server, world):
    manager = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = manager.new_page()
    sign_in(page, world.programme_manager.email)
    page.get_by_role("button", name="Programme").click()
    page.get_by_role("list", name="Programme").get_by_role("link", name="Announcements").click()
    page.get_by_role("link", name="Write an announcement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write an announcement")

    # Nothing typed: the errors are next to the fields, and summarised at the top.
    page.get_by_role("button", name="Send announcement").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_text("Enter the subject").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Cohort", exact=True).select_option(label="Cohort A")
    page.get_by_label("The participants", exact=True).check()
    page.get_by_label("Subject").fill(SUBJECT)
    page.get_by_label("Message").fill("The briefing on Monday is now in room 2.")
    page.get_by_role("button", name="Send announcement").click()
    expect(page.get_by_role("status")).to_contain_text("sent to 2 people")
    expect(page.get_by_role("cell", name="0 of 2")).to_be_visible()
    assert_accessible(page)
    manager.close()
    assert sorted(m.to[0] for m in mail.outbox if m.subject.endswith(SUBJECT)) == sorted(
        [world.participant.user.email, world.other_participant.user.email]
    )

    participant = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = participant.new_page()
    sign_in(page, world.participant.user.email)
    banner = page.get_by_role("region", name=f"Announcement: {SUBJECT}")
    expect(banner).to_contain_text("now in room 2.")
    assert_accessible(page)
    banner.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_role("status")).to_contain_text("as read")
    expect(banner).to_have_count(0)
    page.get_by_role("link", name="Your announcements").click()
    page.get_by_role("link", name=SUBJECT).click()
    expect(page.get_by_text(re.compile("You marked it read"))).to_be_visible()
    assert_accessible(page)
    participant.close()


def test_a_participant_opens_their_peers_and_shows_their_email(page, world):
    cohort = world.participant.cohort
    cohort.briefing_date = timezone.localdate() - dt.timedelta(days=1)
    cohort.save()
    sign_in(page, world.participant.user.email)
    page.goto("/organisations/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Peers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your peers in Cohort A")
    row = page.get_by_role("row", name=re.compile("Olly Other"))
    expect(row).to_contain_text("Fenbridge Council")
    expect(row).to_contain_text("Not shown")
    assert_accessible(page)

    choice = page.get_by_label("Show my email address to others in my cohort")
    expect(choice).to_have_accessible_description(re.compile("Only the other participants"))
    choice.check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_role("status")).to_contain_text("can now see your email address")
    expect(page.get_by_label("Show my email address to others in my cohort")).to_be_checked()
    me = page.get_by_role("row", name=re.compile(r"\(you\)"))
    expect(me.get_by_role("link", name=world.participant.user.email)).to_be_visible()
    assert_accessible(page)
    world.participant.refresh_from_db()
    assert world.participant.show_email_to_peers is True
