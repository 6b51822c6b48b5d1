"""Sign in as each role and see that role's home page, accessibly."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sign_in_page_is_accessible(page):
    page.goto("/")
    expect(page).to_have_url("/accounts/login/?next=/")
    expect(page).to_have_title("Sign in – I2I Cohorts")
    assert_accessible(page)


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        ("participant", "Your I2I programme"),
        ("line_manager", "Participants you line manage"),
        ("sponsor", "Participants you sponsor"),
        ("education_lead", "Your organisation's participants"),
        ("programme_manager", "Cohorts"),
    ],
)
def test_each_role_signs_in_and_sees_their_home_page(page, world, role, heading):
    user = world.participant.user if role == "participant" else getattr(world, role)
    sign_in(page, user.email)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    assert_accessible(page)


def test_a_participant_sees_their_window_and_supporters(page, world):
    sign_in(page, world.participant.user.email)
    main = page.get_by_role("main")
    expect(main).to_contain_text("1 March 2027 to 1 September 2027")
    expect(main).to_contain_text("Lee Linemanager")
    expect(main).to_contain_text("Sam Sponsor")


def test_the_skip_link_moves_focus_to_the_main_content(page, world):
    sign_in(page, world.line_manager.email)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(page.url.split("#")[0] + "#main")


def test_the_programme_manager_adds_an_organisation_and_sees_a_duplicate_refused(page, world):
    sign_in(page, world.programme_manager.email)
    page.get_by_role("link", name="Organisations").first.click()
    page.get_by_role("link", name="Add an organisation").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("eastmere  HOSPITALS")
    page.get_by_label("Sector").select_option(label="Acute")
    page.get_by_label("Town").fill("Eastmere")
    page.get_by_role("button", name="Save organisation").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.locator("#id_name")).to_have_value("eastmere  HOSPITALS")
    expect(page.locator("#id_town")).to_have_value("Eastmere")
    expect(page).to_have_title("Error: Add an organisation – I2I Cohorts")
    assert_accessible(page)
    page.get_by_label("Name").fill("Oakfield Hospice")
    page.get_by_role("button", name="Save organisation").click()
    expect(page.get_by_role("status")).to_contain_text("Saved Oakfield Hospice")
    assert_accessible(page)


def test_the_programme_manager_sees_a_cohort_page_on_a_phone(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    sign_in(page, world.programme_manager.email)
    page.get_by_role("link", name="Cohort A").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cohort A")
    assert_accessible(page)
    context.close()
