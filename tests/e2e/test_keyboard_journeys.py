"""The participant's and the line manager's journeys with the keyboard alone: Tab and
Shift+Tab to move, Enter and Space to act, typing into the field that has focus; no clicks
and no filling a field by its locator. At every step the element with focus shows it
(a computed outline or box-shadow, WCAG 2.4.7), and axe passes on every page.

Fields are found by their labels in the order Tab reaches them, so that the journeys hold
for the date inputs and the organisation picker whichever way they are drawn: the picker is
typed into, then Enter chooses the first match."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from participants.models import Organisation
from placements.models import OutcomesDecision, Placement
from tests.e2e.conftest import assert_accessible
from tests.factories import PASSWORD, LearningOutcomeFactory, OrganisationFactory, PlacementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTS = ["Riverside Lane Medical Practice", "Willowbank Nursing Home", "Saltmarsh Housing"]
# More than any page here has before the element a step looks for.
MAX_TABS = 80

# What has focus: its name as a person hears it (its label, else its text), where it is, and
# whether its focus can be seen.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const words = (s) => (s || "").replace(/\\s+/g, " ").trim();
  let name = el.labels && el.labels.length ? words(el.labels[0].innerText) : "";
  if (!name && el.getAttribute("aria-labelledby")) {
    name = words(el.getAttribute("aria-labelledby").split(/\\s+/)
      .map((id) => (document.getElementById(id) || {}).innerText || "").join(" "));
  }
  name = name || words(el.getAttribute("aria-label")) || words(el.innerText || el.value);
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    name,
    tag: el.tagName.toLowerCase(),
    href: el.getAttribute("href") || "",
    in_tasks: !!el.closest('[aria-labelledby="what-next"]'),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      && style.outlineColor !== "rgba(0, 0, 0, 0)" ? style.outline : "",
    shadow: style.boxShadow !== "none" ? style.boxShadow : "",
    shown: box.width > 0 && box.height > 0,
  };
}"""


def _focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def _assert_focus_visible(focused: dict, page) -> None:
    assert focused["shown"], f"focus is on something not shown: {focused} on {page.url}"
    assert focused["outline"] or focused["shadow"], (
        f"no visible focus indicator on {focused['tag']} “{focused['name']}” at {page.url}"
    )


def _tab_to(page, wanted, *, back: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element is `wanted` (its name starts with
    the text, or the function says so), checking at each step that focus can be seen."""
    matches = wanted if callable(wanted) else (lambda f: f["name"].startswith(wanted))
    passed = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focused = _focused(page)
        if focused is None:  # past the last element, focus goes to the browser for a step
            continue
        _assert_focus_visible(focused, page)
        if matches(focused):
            return focused
        passed.append(focused["name"][:60])
    raise AssertionError(f"Tab never reached {wanted!r} on {page.url}; it passed: {passed}")


def _type_into(page, label: str, text: str) -> None:
    _tab_to(page, label)
    page.keyboard.type(text)


def _press_and_arrive(page, key: str = "Enter") -> None:
    """Act on the focused link or button, and check the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)
    assert_accessible(page)


def _sign_in(page, email: str) -> None:
    page.goto(reverse("account_login"))
    assert_accessible(page)
    _type_into(page, "Email", email)
    _type_into(page, "Password", PASSWORD)
    _press_and_arrive(page)  # Enter in the password field sends the form
    expect(page.get_by_role("heading", name="What to do next")).to_be_visible()


@pytest.fixture
def started(world):
    """The world's cohort started eight weeks ago, and three hosts are in the directory."""
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=8)
    cohort.save()
    for name in HOSTS:
        OrganisationFactory(name=name, sector="gp_practice")
    return world


def test_a_participant_plans_a_placement_and_sends_outcomes_with_the_keyboard(
    browser, live_server, started
):
    participant = started.participant
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    _sign_in(page, participant.user.email)

    # The task list's first step: arrange the placements.
    plan_url = reverse("placement_create", args=[participant.pk])
    _tab_to(page, lambda f: f["in_tasks"] and f["href"] == plan_url)
    _press_and_arrive(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan a placement")

    # The organisation picker (a combobox while JavaScript runs, a list without): type the
    # name and Enter chooses the first match.
    _type_into(page, "Host organisation", HOSTS[0])
    page.keyboard.press("Enter")
    _type_into(page, "Name of the person to meet", f"Named contact at {HOSTS[0]}")
    _tab_to(page, "Save placement")
    _press_and_arrive(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Learning outcomes")

    _type_into(page, "Learning outcome 1", f"Understand how {HOSTS[0]} receives referrals")
    _tab_to(page, "Send to line manager")
    _press_and_arrive(page)
    expect(page.get_by_role("status").first).to_contain_text("sent to your line manager")

    placement = Placement.objects.get(participant=participant)
    assert placement.organisation.name == HOSTS[0]
    assert placement.outcomes_status == "submitted"

    # Home again, from the navigation: nothing asks for the outcomes already sent, and the
    # task to arrange the other placements is still there.
    _tab_to(page, lambda f: f["href"] == "/" and f["name"] in {"Home", "I2I Cohorts"})
    _press_and_arrive(page)
    tasks = page.get_by_role("region", name="What to do next")
    outcomes_url = reverse("outcomes_edit", args=[placement.pk])
    expect(tasks.locator(f'a[href="{outcomes_url}"]')).to_have_count(0)
    expect(tasks.locator(f'a[href="{plan_url}"]')).to_have_count(1)
    context.close()


def test_a_line_manager_approves_one_set_after_another_on_a_phone_with_the_keyboard(
    browser, live_server, started
):
    participant = started.participant
    now = timezone.now()
    placements = []
    hosts = {o.name: o for o in Organisation.objects.filter(name__in=HOSTS)}
    for days_ago, host in zip((3, 2), HOSTS, strict=False):
        placement = PlacementFactory(
            participant=participant,
            organisation=hosts[host],
            outcomes_status="submitted",
        )
        LearningOutcomeFactory(placement=placement, text=f"Understand how {host} takes referrals")
        decision = OutcomesDecision.objects.create(
            placement=placement, by=participant.user, action="submitted"
        )
        OutcomesDecision.objects.filter(pk=decision.pk).update(at=now - dt.timedelta(days=days_ago))
        placements.append(placement)

    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    context.set_default_timeout(10_000)
    phone = context.new_page()
    _sign_in(phone, started.line_manager.email)

    first = f"Review Pat Participant's learning outcomes for {HOSTS[0]}"
    _tab_to(phone, lambda f: f["in_tasks"] and f["name"] == first)
    _press_and_arrive(phone)
    for index, placement in enumerate(placements):
        expect(phone).to_have_url(re.compile(rf"/placements/{placement.pk}/"))
        expect(phone.get_by_role("heading", level=1)).to_contain_text(HOSTS[index])
        _tab_to(phone, "Approve outcomes")
        _press_and_arrive(phone, "Space")  # a button acts on Space as on Enter
        status = phone.get_by_role("status").first
        expect(status).to_contain_text("Learning outcomes approved.")
        if index + 1 < len(placements):
            expect(status).to_contain_text(
                f"Next: Pat Participant's learning outcomes for {HOSTS[index + 1]}"
            )

    expect(phone).to_have_url(re.compile(r"/approvals/$"))
    expect(phone.get_by_role("status").first).to_contain_text(
        "No more learning outcomes are waiting for you."
    )
    assert set(
        Placement.objects.filter(pk__in=[p.pk for p in placements]).values_list(
            "outcomes_status", flat=True
        )
    ) == {"approved"}

    # Back home, the review tasks are gone.
    _tab_to(phone, lambda f: f["href"] == "/" and f["name"] in {"Home", "I2I Cohorts"})
    _press_and_arrive(phone)
    tasks = phone.get_by_role("region", name="What to do next")
    expect(tasks.get_by_role("link", name=re.compile("learning outcomes"))).to_have_count(0)
    context.close()
