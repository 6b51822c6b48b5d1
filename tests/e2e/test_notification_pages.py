"""The notification pages in a browser, checked with axe-core."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import assert_accessible, sign_in
from tests.test_notification_views import _notify


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_notification_pages_are_accessible(page, world):
    for _ in range(51):
        _notify(world.programme_manager, kind="at_risk", participant=world.participant)
    _notify(world.programme_manager, kind="briefing")
    sign_in(page, world.programme_manager.email)
    page.goto(reverse("notifications"))
    page.get_by_text("Read the email").first.click()
    assert_accessible(page)
    page.goto(reverse("notifications_sent"))
    page.get_by_label("Kind").select_option(label="Commitments at risk")
    page.get_by_role("button", name="Show notifications").click()
    page.wait_for_load_state()
    assert "kind=at_risk" in page.url
    assert_accessible(page)
    page.get_by_role("link", name="Older notifications").click()
    page.wait_for_load_state()
    assert_accessible(page)
