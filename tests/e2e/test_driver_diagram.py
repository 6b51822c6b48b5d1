"""The participant writes their driver diagram as an outline (a wrong line first, named with
its number), sees it drawn with its list, attaches a photo of the board and a file that is
not what its name says, and the line manager downloads the photo; every page passes axe."""

import pytest
from playwright.sync_api import expect

from improvements import drivers
from improvements.models import Attachment
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import ImprovementInitiativeFactory
from tests.improvements.test_attachments import EXE, PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTLINE = """Staff know what to send
  A checklist on the referral form
    Test the checklist with one GP practice
Service users know what happens next
  A leaflet written with carers
    Two carers rewrite the leaflet"""


def test_write_the_outline_see_the_diagram_and_attach_a_file(page, browser, live_server, world):
    initiative = ImprovementInitiativeFactory(participant=world.participant)
    pk = world.participant.pk
    sign_in(page, world.participant.user.email)
    page.goto(f"/participants/{pk}/improvement/")
    page.get_by_role("link", name="Write the driver diagram").click()
    assert_accessible(page)

    box = page.get_by_label("Your driver diagram, as an outline")
    box.fill("Staff know what to send\n    Test the checklist")
    page.get_by_role("button", name="Save driver diagram").click()
    expect(page.locator(".invalid-feedback, .error-summary").first).to_contain_text(
        "Line 2 is a change idea with no secondary driver above it"
    )
    expect(box).to_have_value("Staff know what to send\n    Test the checklist")
    assert_accessible(page)

    box.fill(OUTLINE)
    page.get_by_role("button", name="Save driver diagram").click()
    expect(page.get_by_role("status").first).to_contain_text("Driver diagram saved.")
    diagram = page.get_by_role("img", name=f"Driver diagram: {initiative.title}")
    expect(diagram).to_be_visible()
    expect(page.locator("#drivers .driver-list")).to_contain_text("Two carers rewrite the leaflet")
    assert_accessible(page)

    page.get_by_role("link", name="Add a file").click()
    assert_accessible(page)
    # Called a PDF, but a program: refused by its content, what was typed kept.
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "board.pdf", "mimeType": "application/pdf", "buffer": EXE}]
    )
    page.get_by_label("What it shows (optional)").fill("The huddle board")
    page.get_by_role("button", name="Add file").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "The selected file must be a PDF, PNG, JPEG or DOCX"
    )
    expect(page.get_by_label("What it shows (optional)")).to_have_value("The huddle board")
    assert_accessible(page)
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "board.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="Add file").click()
    expect(page.get_by_role("status").first).to_contain_text("board.png attached.")
    expect(page.locator("#attachments")).to_contain_text("The huddle board")
    assert_accessible(page)
    assert Attachment.objects.get().content_type == "image/png"

    manager = browser.new_context(base_url=live_server.url).new_page()
    manager.set_default_timeout(10_000)
    sign_in(manager, world.line_manager.email)
    manager.goto(f"/participants/{pk}/improvement/")
    expect(manager.get_by_role("img", name=f"Driver diagram: {initiative.title}")).to_be_visible()
    with manager.expect_download() as download:
        manager.get_by_role("link", name="board.png").click()
    assert download.value.suggested_filename == "board.png"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == PNG
    assert_accessible(manager)


def test_on_a_phone_the_diagram_scrolls_in_a_region_that_says_so(page, live_server, world):
    """390px wide: the 728px diagram sits in a focusable region that scrolls sideways, with a
    visible hint saying so; the list below it stays."""
    initiative = ImprovementInitiativeFactory(participant=world.participant)
    drivers.drivers_save(initiative=initiative, by=world.participant.user, text=OUTLINE)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, world.participant.user.email)
    page.goto(f"/participants/{world.participant.pk}/improvement/")

    region = page.get_by_role("region", name="Driver diagram, scrolls sideways")
    hint = page.locator("#driver-diagram-hint")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Scroll sideways")
    expect(region).to_have_attribute("aria-describedby", "driver-diagram-hint")
    # Wider than the screen, and it scrolls: the whole diagram can be reached.
    width, scroll = region.evaluate("r => [r.clientWidth, r.scrollWidth]")
    assert scroll > width <= 390
    region.focus()
    page.keyboard.press("ArrowRight")
    expect(region).to_be_focused()
    expect(page.locator("#drivers .driver-list")).to_contain_text("Two carers rewrite the leaflet")
    assert_accessible(page)
