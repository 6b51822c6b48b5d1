"""Browser tests: Playwright for Python driving Debian's Chromium, with axe-core checks."""

import datetime as dt
import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.conftest import CHROMIUM
from tests.factories import PASSWORD

# The flags this closed network needs: no background calls to Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between page actions are still synchronous and safe. Only while browsing.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    foreign = []
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if not request.url.startswith((live_server.url, "data:"))
            else None
        ),
    )
    yield page
    context.close()
    assert foreign == [], f"the page made third-party requests: {foreign}"


_axe = Axe()


def assert_accessible(page):
    """axe-core finds no WCAG violations on the page as it stands, once it has loaded: a
    click on a link returns as the next page starts, before its stylesheets apply, and axe
    would judge the unstyled page's colours."""
    page.wait_for_load_state("load")
    results = _axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def sign_in(page, email: str, password: str = PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def fill_date(page, legend: str, day: dt.date) -> None:
    """Type a date into the Day, Month and Year boxes of the date whose legend is `legend`
    (with or without "(optional)"), as a person does: `i2i.forms.DateInput`."""
    name = re.compile(rf"^{re.escape(legend)}( \(optional\))?$")
    group = page.get_by_role("group", name=name)
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


def organisation_picker(page, label: str):
    """The organisation picker's text box once its script has run. Until then the label
    names the plain <select> (a combobox too), and typing there would only jump between
    its options."""
    page.wait_for_load_state("load")
    return page.get_by_role("combobox", name=label).and_(page.locator("input"))


def choose_organisation(page, label: str, typed: str) -> None:
    """Type into the picker and choose the first match with Enter, once it is offered."""
    picker = organisation_picker(page, label)
    picker.press_sequentially(typed)
    expect(
        page.locator(f"#{picker.get_attribute('id')}__listbox").get_by_role("option").first
    ).to_contain_text(typed)
    page.keyboard.press("Enter")
