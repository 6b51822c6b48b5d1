"""A participant starts typing their reflective account before the page's scripts have run
(a slow connection, a busy phone): no input event reaches the autosave then, so the page saves
what is in the fields as soon as it is ready. CI found the race in the reflection journey."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reflections.models import ReflectiveAccount
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import ApprovedPlacementFactory, HalfDayFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "Typed while the page was loading: the discharge team met at the bedside."


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
        answers={"what_happened": "Saved yesterday."},
    )


def _saved(account) -> str:
    answers = ReflectiveAccount.objects.filter(pk=account.pk).values_list("answers", flat=True)
    return answers[0].get("what_happened", "")


def test_text_typed_before_the_scripts_ran_is_saved_when_they_do(page, world, account):
    sign_in(page, world.participant.user.email)
    held = []
    # The page's scripts are deferred behind htmx: holding it holds them all.
    page.route("**/htmx.min.js", lambda route: held.append(route))
    page.goto(f"/reflections/{account.pk}/edit/", wait_until="commit")
    field = page.get_by_label("What happened")
    field.fill(TYPED)
    assert held, "the page asked for htmx"
    expect(page.locator("#autosave-status")).to_contain_text("Last saved at")
    assert _saved(account) == "Saved yesterday."

    held[0].continue_()
    expect(page.locator("#autosave-status")).to_contain_text("Saved automatically")
    assert _saved(account) == TYPED
    expect(field).to_have_value(TYPED)
    assert_accessible(page)


def test_a_page_loaded_untouched_saves_nothing(page, world, account):
    sign_in(page, world.participant.user.email)
    page.goto(f"/reflections/{account.pk}/edit/")
    saves = []
    page.on("request", lambda request: saves.append(request) if "autosave" in request.url else None)
    page.get_by_label("What happened").focus()
    page.wait_for_timeout(1_000)
    expect(page.locator("#autosave-status")).to_contain_text("Last saved at")
    assert saves == []
    assert _saved(account) == "Saved yesterday."
