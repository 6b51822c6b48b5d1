"""Reminders the mail server did not take, in a browser: the programme manager's home lists
them as a task, its link shows only those not delivered with the reason, and the person
who was not told sees the tag on their own list. (The fault itself, a closed port and a
refusing server: tests/test_emails.py and tests/test_reminders.py.)"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from i2i.models import Notification
from tests.e2e.conftest import assert_accessible, sign_in
from tests.test_notification_views import _notify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "The mail server refused it: pat@trust.example: 550 5.1.1 User unknown"


def test_the_programme_manager_finds_the_reminders_that_failed_from_home(page, world):
    failed = _notify(world.participant.user, kind="at_risk", participant=world.participant)
    Notification.objects.filter(pk=failed.pk).update(failed_at=timezone.now(), failure=REASON)
    _notify(world.line_manager, kind="at_risk", participant=world.participant)  # delivered

    sign_in(page, world.programme_manager.email)
    task = page.get_by_role("region", name="What to do next").get_by_role(
        "link", name="Check 1 reminder that failed"
    )
    expect(task).to_have_accessible_description(re.compile("not told"))
    assert_accessible(page)

    task.click()
    expect(page.get_by_label("Delivery")).to_have_value("1")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(world.participant.user.email)
    expect(rows.first.locator(".tag")).to_have_text("Not delivered")
    expect(rows.first).to_contain_text(REASON)
    assert_accessible(page)

    page.get_by_label("Delivery").select_option(label="All")
    page.get_by_role("button", name="Show notifications").click()
    expect(page.locator("tbody tr")).to_have_count(2)

    participant = page.context.browser.new_context(base_url=page.url.split("/notif")[0])
    own = participant.new_page()
    sign_in(own, world.participant.user.email)
    own.goto("/notifications/")
    expect(own.locator("tbody tr .tag")).to_have_text("Not delivered")
    assert_accessible(own)
    participant.close()
