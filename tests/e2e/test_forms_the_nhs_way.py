"""Forms in a browser, the GOV.UK and NHS way: the sign-in page in plain sentence case with
one clear message for a wrong password, and a form that marks its optional fields
("(optional)", never "*") with hints under the label that screen readers hear with the box."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import ApprovedPlacementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WRONG_SIGN_IN = "Enter a correct email address and password"


def test_a_wrong_password_gives_one_clear_message_linked_to_the_email_box(page, world):
    page.goto("/accounts/login/")
    expect(page).to_have_title("Sign in – I2I Cohorts")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_label("Remember me", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Forgot your password?", exact=True)).to_have_attribute(
        "href", "/accounts/password/reset/"
    )
    expect(page.locator("main")).not_to_contain_text("*")
    assert_accessible(page)

    page.get_by_label("Email address", exact=True).fill(world.line_manager.email)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()

    expect(page.get_by_text(WRONG_SIGN_IN)).to_have_count(1)
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=WRONG_SIGN_IN)).to_have_attribute("href", "#id_login")
    expect(page.get_by_label("Email address", exact=True)).to_have_value(world.line_manager.email)
    assert_accessible(page)


def test_optional_fields_say_so_and_hints_are_read_with_the_box(page, world):
    placement = ApprovedPlacementFactory(participant=world.participant)
    sign_in(page, world.participant.user.email)
    page.goto(reverse("half_day_create", args=[placement.pk]))
    expect(page.get_by_label("Location (optional)", exact=True)).to_be_visible()
    who = page.get_by_label("Who you met", exact=True)
    expect(who).to_have_accessible_description("A person, team or group.")
    # The hint comes after the label and before the box.
    hint = page.locator("#id_person_met_helptext")
    assert hint.bounding_box()["y"] < who.bounding_box()["y"]
    labels = page.locator("form label, form legend").all_inner_texts()
    assert labels and not [text for text in labels if "*" in text]
    assert_accessible(page)
