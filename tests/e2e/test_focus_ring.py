"""Focus on a box people type in or choose from (a text input, a select, a textarea, the
organisation picker) shows the site's ring, GOV.UK's: the yellow outline and a dark inner
border (static/css/i2i.css), never Bootstrap's pale blue glow, which few can see (WCAG 2.4.7,
issue 18). Checked on the computed style in Chromium, however the box got focus (Tab, a click)
and when it is marked invalid; axe passes with the ring shown."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, organisation_picker, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Read once the box's transitions (Bootstrap's fade of the border and shadow) have finished.
RING = """async el => {
  await Promise.all(el.getAnimations().map(a => a.finished));
  const s = getComputedStyle(el);
  return {
    outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
    offset: s.outlineOffset,
    shadow: s.boxShadow,
    border: s.borderTopColor,
    focused: el === document.activeElement,
  };
}"""
YELLOW = "rgb(255, 235, 59)"  # --i2i-focus
DARK = "rgb(33, 43, 50)"
# A box: the yellow outline and a dark inner border (GOV.UK's text input focus).
BOX_RING = {
    "outline": f"solid 3px {YELLOW}",
    "offset": "0px",
    "shadow": f"{DARK} 0px 0px 0px 2px inset",
    "border": DARK,
    "focused": True,
}
# A link, a button, a radio: the yellow outline and a dark ring around it.
LINK_RING = {"outline": f"solid 3px {YELLOW}", "offset": "0px", "shadow": f"{DARK} 0px 0px 0px 6px"}


@pytest.fixture
def plan_page(page, world):
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=3)
    cohort.save()
    sign_in(page, world.participant.user.email)
    page.goto(f"/participants/{world.participant.pk}/placements/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan a placement")
    page.get_by_text("The organisation is not listed").click()  # its sector is a <select>
    return page


def _boxes(page) -> dict:
    return {
        "the organisation picker": organisation_picker(page, "Host organisation"),
        "a text input": page.get_by_label("Name of the person to meet"),
        "an email input": page.get_by_label("Email", exact=False).first,
        "a select": page.get_by_label("Its sector"),
        "a textarea": page.locator("textarea").first,
    }


def test_every_box_shows_the_sites_focus_ring_not_bootstraps_glow(plan_page):
    page = plan_page
    for what, box in _boxes(page).items():
        expect(box).to_be_visible()
        box.focus()
        ring = box.evaluate(RING)
        assert ring == BOX_RING, what
        assert "13, 110, 253" not in ring["shadow"], what  # Bootstrap's blue
    assert_accessible(page)  # with the ring on the last box


def test_the_ring_shows_after_a_click_and_after_tab(plan_page):
    page = plan_page
    person = page.get_by_label("Name of the person to meet")
    person.click()
    assert person.evaluate(RING) == BOX_RING
    page.keyboard.press("Tab")  # on to the next box
    assert page.evaluate(f"({RING})(document.activeElement)") == BOX_RING


def test_a_box_marked_invalid_shows_the_same_ring(plan_page):
    page = plan_page
    page.get_by_role("button", name="Save placement").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # nothing filled in
    expect(page.get_by_role("alert")).to_contain_text("Enter the name of the person to meet")
    person = page.get_by_label("Name of the person to meet")
    expect(person).to_have_class(re.compile(r"\bis-invalid\b"))
    person.focus()
    assert person.evaluate(RING) == BOX_RING
    assert_accessible(page)


def test_radios_and_buttons_keep_the_links_ring(plan_page):
    page = plan_page
    radio = page.get_by_label("Agreed with the host")
    radio.focus()
    assert {k: v for k, v in radio.evaluate(RING).items() if k in LINK_RING} == LINK_RING
    button = page.get_by_role("button", name="Save placement")
    button.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus-visible: reached from the keyboard
    assert {k: v for k, v in button.evaluate(RING).items() if k in LINK_RING} == LINK_RING
