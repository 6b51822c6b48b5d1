"""A participant's session times out while they write their reflective account: the page
keeps what they typed and tells them to sign in again; after signing in they are back on the
account with their text, and it is saved. The same when "Save draft" meets the sign-in page."""

import datetime as dt
import re
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from playwright.sync_api import expect

from reflections.models import ReflectiveAccount
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, ApprovedPlacementFactory, HalfDayFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "Typed after half an hour away: the reablement team met every morning at nine."


@pytest.fixture
def account(world):
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(days=60)
    cohort.save()
    placement = ApprovedPlacementFactory(participant=world.participant)
    HalfDayFactory(placement=placement, date=cohort.programme_start + dt.timedelta(days=7))
    return ReflectiveAccount.objects.create(
        placement=placement,
        participant=world.participant,
        framework="i2i",
        answers={"what_happened": "Saved before the break."},
    )


def _time_out(page):
    """What thirty minutes without a request does to the session."""
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    session = SessionStore(session_key=cookie["value"])
    session["i2i_seen"] = time.time() - 31 * 60
    session.save()


def _sign_in_again(page, world):
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.get_by_text("You were signed out to keep records safe")).to_be_visible()
    page.get_by_label("Email").fill(world.participant.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _answer(account) -> str:
    """What is saved (a fresh read of one column, as often as the test asks)."""
    answers = ReflectiveAccount.objects.filter(pk=account.pk).values_list("answers", flat=True)
    return answers[0].get("what_happened", "")


def test_autosave_after_a_timeout_keeps_the_text_and_brings_it_back(page, world, account):
    sign_in(page, world.participant.user.email)
    page.goto(f"/reflections/{account.pk}/edit/")
    field = page.get_by_label("What happened", exact=True)
    _time_out(page)

    field.fill(TYPED)
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("you were signed out", timeout=15_000)
    expect(status).to_contain_text("Your text is still on this page")
    expect(field).to_have_value(TYPED)  # nothing swapped in, nothing lost
    assert "/edit/" in page.url
    assert _answer(account) == "Saved before the break."
    assert_accessible(page)

    page.get_by_role("link", name="sign in again").click()
    _sign_in_again(page, world)
    expect(page).to_have_url(re.compile(rf"/reflections/{account.pk}/edit/$"))
    expect(page.get_by_label("What happened", exact=True)).to_have_value(TYPED)
    expect(status).to_contain_text("Saved automatically", timeout=15_000)
    assert _answer(account) == TYPED

    # Kept only for the way back: another visit shows what is saved, nothing more.
    page.reload()
    expect(page.get_by_label("What happened", exact=True)).to_have_value(TYPED)
    kept = page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('i2i-'))")
    assert kept == []


def test_save_draft_after_a_timeout_brings_the_text_back_after_signing_in(page, world, account):
    sign_in(page, world.participant.user.email)
    page.goto(f"/reflections/{account.pk}/edit/")
    _time_out(page)
    # Typed and saved at once, before autosave's pause: the form itself meets the timeout.
    page.get_by_label("What happened", exact=True).evaluate(
        "(field, text) => field.value = text", TYPED
    )
    page.get_by_role("button", name="Save draft").click()

    _sign_in_again(page, world)
    expect(page.get_by_label("What happened", exact=True)).to_have_value(TYPED)
    expect(page.locator("#autosave-status")).to_contain_text("Saved automatically", timeout=15_000)
    assert _answer(account) == TYPED
