"""The main navigation: one line on a laptop for every role (it expands from 1200 px, the
smallest width it fits), a menu button on a phone."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = [
    "participant",
    "line_manager",
    "sponsor",
    "education_lead",
    "programme_manager",
    "outsider",
]
PHONE = {"width": 390, "height": 844}


def _user(world, role):
    return world.participant.user if role == "participant" else getattr(world, role)


def _nav(page):
    return page.get_by_role("navigation", name="Main")


def _assert_one_line(page):
    items = page.locator('nav[aria-label="Main"] .navbar-nav > .nav-item')
    assert items.count() >= 4
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    tops = [round(box["y"]) for box in boxes]
    assert max(tops) - min(tops) <= 2, f"the items sit on more than one line: {tops}"
    # Nor do any item's own words wrap ("Sign / out"): each is one line of text tall.
    heights = [round(box["height"]) for box in boxes]
    assert max(heights) < 48, heights
    # And the bar does not overflow its container to keep to one line.
    assert page.evaluate(
        "(() => { const c = document.querySelector('.site-header .container');"
        " return c.scrollWidth <= c.clientWidth; })()"
    )
    brand = page.locator(".navbar-brand").bounding_box()
    assert page.locator("nav.navbar").bounding_box()["height"] < brand["height"] + 40


@pytest.mark.parametrize("width", [1280, 1200])
@pytest.mark.parametrize("role", ROLES)
def test_the_navigation_is_one_line_for_every_role(page, world, role, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, _user(world, role).email)
    page.goto(reverse("organisation_list"))
    expect(_nav(page).get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator(".navbar-toggler")).to_be_hidden()
    _assert_one_line(page)
    link = _nav(page).get_by_role("link", name="Organisations")
    expect(link).to_have_attribute("aria-current", "page")
    if width == 1280:
        assert_accessible(page)


def test_a_participant_mid_programme_is_not_offered_an_expression_of_interest(page, world):
    sign_in(page, world.participant.user.email)
    expect(_nav(page).get_by_role("link", name="Cohorts", exact=True)).to_be_visible()
    expect(_nav(page).get_by_role("link", name="Expressions of Interest")).to_have_count(0)
    page.context.clear_cookies()
    sign_in(page, world.outsider.email)
    expect(_nav(page).get_by_role("link", name="Expressions of Interest")).to_be_visible()


def test_the_programme_managers_menu_opens_and_leads_to_its_pages(page, world):
    sign_in(page, world.programme_manager.email)
    programme = _nav(page).get_by_role("button", name="Programme")
    expect(_nav(page).get_by_role("link", name="Sent emails")).to_be_hidden()
    programme.click()
    expect(programme).to_have_attribute("aria-expanded", "true")
    expect(_nav(page).get_by_role("link", name="Admin")).to_be_visible()
    assert_accessible(page)
    _nav(page).get_by_role("link", name="Sent emails").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("notifications_sent")) + "$"))
    page.wait_for_load_state("load")  # Bootstrap's script runs deferred
    _assert_one_line(page)
    # By keyboard: the menu opens from its button and the arrow keys move through it.
    programme = _nav(page).get_by_role("button", name="Programme")
    programme.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    expect(_nav(page).get_by_role("link", name="Sent emails")).to_be_focused()
    expect(_nav(page).get_by_role("link", name="Sent emails")).to_have_attribute(
        "aria-current", "page"
    )
    page.keyboard.press("ArrowDown")
    expect(_nav(page).get_by_role("link", name="Audit")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(reverse("audit_log")) + "$"))


@pytest.mark.parametrize("role", ["participant", "programme_manager"])
def test_on_a_phone_the_menu_opens_from_its_button(browser, live_server, world, role):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, _user(world, role).email)
    page.goto(reverse("cohort_list"))
    toggler = page.get_by_role("button", name="Menu")
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    organisations = _nav(page).get_by_role("link", name="Organisations")
    expect(organisations).to_be_hidden()
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(organisations).to_be_visible()
    expect(_nav(page).get_by_role("button", name="Sign out")).to_be_visible()
    assert page.evaluate(
        "(() => { const h = document.querySelector('.site-header');"
        " return h.scrollWidth <= h.clientWidth; })()"
    ), "the open menu is wider than the phone"
    assert_accessible(page)
    if role == "programme_manager":
        _nav(page).get_by_role("button", name="Programme").click()
        _nav(page).get_by_role("link", name="Audit").click()
        expect(page).to_have_url(re.compile(re.escape(reverse("audit_log")) + "$"))
        # A new page starts with the menu closed.
        expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")
    else:
        organisations.click()
        expect(page).to_have_url(re.compile(re.escape(reverse("organisation_list")) + "$"))
        page.wait_for_load_state("load")
        page.get_by_role("button", name="Menu").click()
        expect(_nav(page).get_by_role("link", name="Organisations")).to_have_attribute(
            "aria-current", "page"
        )
    context.close()
