"""The organisation picker on the plan-a-placement page, with the keyboard only: one accessible
autocomplete (alphagov's accessible-autocomplete) over the directory's <select>, which offers
to propose a new organisation when nothing matches."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from participants.models import Organisation
from placements.models import Placement
from tests.e2e.conftest import assert_accessible, organisation_picker, sign_in
from tests.factories import OrganisationFactory, PlacementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def started(world):
    """The world's cohort started three weeks ago; the directory holds two Willows."""
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=3)
    cohort.save()
    OrganisationFactory(name="Willow Court Surgery", sector="gp_practice", town="Larkhaven")
    OrganisationFactory(name="Willowbank Nursing Home", sector="care_sector", town="Fenbridge")
    return world


def _plan_page(page, world):
    sign_in(page, world.participant.user.email)
    page.goto(f"/participants/{world.participant.pk}/placements/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan a placement")
    return organisation_picker(page, "Host organisation")


def _options(page):
    """The autocomplete's suggestions (the sector list's options are options too)."""
    return page.locator("#id_organisation__listbox").get_by_role("option")


def _save(page):
    """Send the form from the keyboard: focus on the button, then Enter."""
    page.get_by_role("button", name="Save placement").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_directory_organisation_is_chosen_with_the_keyboard(page, started):
    picker = _plan_page(page, started)
    expect(page.locator("#organisation-search")).to_have_count(0)  # no separate search box
    assert_accessible(page)

    picker.focus()
    # The focus can be seen: the site's yellow ring, as on every other box.
    assert picker.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    assert picker.evaluate("el => getComputedStyle(el).outlineWidth") == "3px"

    picker.press_sequentially("willow")
    expect(_options(page)).to_have_text(
        [
            "Willow Court Surgery (GP Practice, Larkhaven)",
            "Willowbank Nursing Home (Care Sector, Fenbridge)",
        ]
    )
    # Screen readers hear how many match.
    expect(page.get_by_role("status").filter(has_text="2 organisations match")).to_have_count(1)
    assert_accessible(page)

    picker.press("ArrowDown")  # the first is highlighted as one types; down to the second
    page.keyboard.press("Enter")
    expect(picker).to_have_value("Willowbank Nursing Home (Care Sector, Fenbridge)")
    expect(_options(page)).to_have_count(0)

    page.get_by_label("Name of the person to meet").fill("Ada Host")
    page.get_by_label("Agreed with the host").check()
    _save(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Learning outcomes")
    placement = Placement.objects.get(participant=started.participant)
    assert placement.organisation.name == "Willowbank Nursing Home"
    assert placement.contact_name == "Ada Host"


def test_when_nothing_matches_the_participant_proposes_the_organisation(page, started):
    picker = _plan_page(page, started)
    proposed_name = page.get_by_label("Or propose an organisation that is not listed")
    expect(proposed_name).to_be_hidden()  # inside "The organisation is not listed", closed

    picker.focus()
    picker.press_sequentially("Saltmarsh")
    no_match = _options(page).filter(has_text="No organisation in the directory")
    expect(no_match).to_contain_text("matches “Saltmarsh”")
    expect(no_match).to_contain_text("Press Enter to propose it as a new organisation")
    expect(page.get_by_role("status").filter(has_text="Press Enter to propose it")).to_have_count(1)
    assert_accessible(page)

    page.keyboard.press("Enter")  # proposes rather than sending the form
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan a placement")
    expect(proposed_name).to_be_focused()
    expect(proposed_name).to_have_value("Saltmarsh")
    # What is seen is what is sent: nothing chosen from the directory, and the box says so.
    expect(picker).to_have_value("")
    expect(page.locator("select#id_organisation-select")).to_have_value("")
    expect(_options(page)).to_have_count(0)
    assert_accessible(page)

    page.keyboard.type(" Housing")
    page.wait_for_timeout(300)  # the autocomplete looks at its box every 100ms
    expect(picker).to_have_value("")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Its sector")).to_be_focused()
    page.get_by_label("Its sector").select_option(label="Housing")
    page.get_by_label("Its town").fill("Larkhaven")
    page.get_by_label("Name of the person to meet").fill("Bo Host")
    _save(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Learning outcomes")
    placement = Placement.objects.select_related("organisation").get(
        participant=started.participant
    )
    proposed = placement.organisation
    assert (proposed.name, proposed.sector, proposed.town) == (
        "Saltmarsh Housing",
        "housing",
        "Larkhaven",
    )
    assert not proposed.is_confirmed
    assert proposed.proposed_by == started.participant.user
    assert Organisation.objects.filter(is_confirmed=False).count() == 1


def test_a_click_on_the_message_proposes_and_empties_the_box_too(page, started):
    picker = _plan_page(page, started)
    picker.focus()
    picker.press_sequentially("Heron")
    # The message is aria-disabled (not an option to choose): a real click all the same.
    _options(page).filter(has_text="No organisation in the directory").click(force=True)
    proposed_name = page.get_by_label("Or propose an organisation that is not listed")
    expect(proposed_name).to_be_focused()
    expect(proposed_name).to_have_value("Heron")
    expect(picker).to_have_value("")
    expect(page.locator("select#id_organisation-select")).to_have_value("")

    # Back to the box: it is empty, and choosing from the directory works as before.
    picker.focus()
    expect(picker).to_have_value("")
    picker.press_sequentially("court")
    page.keyboard.press("Enter")
    expect(picker).to_have_value("Willow Court Surgery (GP Practice, Larkhaven)")
    expect(page.locator("select#id_organisation-select")).to_have_value(
        str(Organisation.objects.get(name="Willow Court Surgery").pk)
    )
    assert_accessible(page)


def test_the_chosen_organisation_is_kept_when_the_form_comes_back_with_an_error(page, started):
    picker = _plan_page(page, started)
    picker.focus()
    picker.press_sequentially("court")
    page.keyboard.press("Enter")  # the one match is highlighted as one types
    expect(picker).to_have_value("Willow Court Surgery (GP Practice, Larkhaven)")
    _save(page)  # without the person to meet

    expect(page.get_by_role("alert")).to_contain_text("Enter the name of the person to meet")
    picker = organisation_picker(page, "Host organisation")
    expect(picker).to_have_value("Willow Court Surgery (GP Practice, Larkhaven)")
    expect(page.locator("select#id_organisation-select")).to_have_value(
        str(Organisation.objects.get(name="Willow Court Surgery").pk)
    )
    assert_accessible(page)

    page.get_by_label("Name of the person to meet").fill("Cy Host")
    _save(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Learning outcomes")
    placement = Placement.objects.get(participant=started.participant)
    assert placement.organisation.name == "Willow Court Surgery"


def test_nothing_chosen_is_an_error_on_the_picker(page, started):
    picker = _plan_page(page, started)
    picker.focus()
    picker.press_sequentially("Nowhere at all")
    picker.press("Tab")  # away without choosing or proposing: nothing is chosen
    _save(page)

    expect(page.get_by_role("alert")).to_contain_text("Choose the host organisation")
    picker = organisation_picker(page, "Host organisation")
    expect(picker).to_have_value("")
    expect(picker).to_have_attribute("aria-invalid", "true")
    # The error message and the hint are still read out with the box.
    described = picker.get_attribute("aria-describedby").split()
    assert "id_organisation_helptext" in described
    assert any(page.locator(f"#{id}").inner_text().startswith("Choose") for id in described)
    assert_accessible(page)
    assert not Placement.objects.exists()


def test_without_javascript_the_list_and_the_propose_fields_work(browser, live_server, started):
    # (axe needs JavaScript, so it is not run here; the other tests run it on this page.)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, started.participant.user.email)
        page.goto(f"/participants/{started.participant.pk}/placements/new/")
        # The plain <select>, named by its label.
        host_list = page.get_by_role("combobox", name="Host organisation")
        expect(host_list).to_have_js_property("tagName", "SELECT")
        page.get_by_text("The organisation is not listed").click()
        page.get_by_label("Or propose an organisation that is not listed").fill("Heron Hospice")
        page.get_by_label("Its sector").select_option(label="Care Sector")
        page.get_by_label("Name of the person to meet").fill("Di Host")
        with page.expect_navigation():
            page.get_by_role("button", name="Save placement").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Learning outcomes")
    finally:
        context.close()
    proposed = Placement.objects.select_related("organisation").get().organisation
    assert (proposed.name, proposed.is_confirmed) == ("Heron Hospice", False)


def test_the_programme_manager_merges_a_proposal_with_the_same_picker(page, started):
    proposed = OrganisationFactory(
        name="Willow Ct Surgery", sector="gp_practice", is_confirmed=False, is_partner=False
    )
    placement = PlacementFactory(participant=started.participant, organisation=proposed)
    sign_in(page, started.programme_manager.email)
    page.goto("/organisations/proposed/")
    picker = organisation_picker(page, "Duplicate of")
    assert_accessible(page)

    picker.focus()
    picker.press_sequentially("court")
    page.keyboard.press("Enter")
    expect(picker).to_have_value("Willow Court Surgery (GP Practice, Larkhaven)")
    assert_accessible(page)
    page.get_by_role("button", name="Merge Willow Ct Surgery").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("status").first).to_contain_text("Merged “Willow Ct Surgery”")
    placement.refresh_from_db()
    assert placement.organisation.name == "Willow Court Surgery"
    assert not Organisation.objects.filter(pk=proposed.pk).exists()
