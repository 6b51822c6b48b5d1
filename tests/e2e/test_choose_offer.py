"""A participant plans a placement by choosing a host's offer, with the keyboard alone: the
offer fills in the host, the placement takes up the offer, and its page lists the host's
checks before the first visit. axe on each page on the way."""

import pytest
from playwright.sync_api import expect

from participants.models import HostPerson
from placements.models import Placement, PlacementOffer
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offers(world):
    custody = OrganisationFactory(
        name="Eastmere Constabulary", sector="police", required_clearances=["dbs"]
    )
    ward = OrganisationFactory(name="Riverside Ward", sector="acute")
    PlacementOffer.objects.create(
        organisation=custody,
        title="Healthcare in police custody",
        description="Shadow the custody nurse.",
        location="Eastmere custody suite",
        who_you_meet="Custody sergeant, custody nurse",
        clearances=["information_governance"],
        visitors_per_month=2,
    )
    PlacementOffer.objects.create(
        organisation=ward, title="A morning on the ward", description="Board round."
    )
    return custody


def _press_until_focused(page, name: str, limit: int = 120) -> None:
    """Tab through the page until the link or button named `name` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.innerText")
        if focused and name in focused:
            return
    raise AssertionError(f"{name!r} never took the focus")


def test_a_participant_chooses_an_offer_with_the_keyboard(page, world, offers):
    participant = world.participant
    sign_in(page, participant.user.email)
    page.goto(f"/participants/{participant.pk}/placements/new/")
    expect(page.get_by_role("heading", name="Choose an offer")).to_be_visible()
    assert_accessible(page)

    # Filter by sector with the keyboard, then choose the offer.
    page.get_by_label("Sector", exact=True).focus()
    page.keyboard.type("Police")  # a focused list jumps to the option typed
    expect(page.get_by_label("Sector", exact=True)).to_have_value("police")
    page.get_by_role("button", name="Show offers").press("Enter")
    expect(page.get_by_role("heading", name="Healthcare in police custody")).to_be_visible()
    expect(page.get_by_role("heading", name="A morning on the ward")).to_have_count(0)
    assert_accessible(page)

    _press_until_focused(page, "Choose this offer")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("You chose")
    expect(page.get_by_role("status").first).to_contain_text(
        "DBS check, Information governance training"
    )
    assert_accessible(page)

    page.get_by_label("Name of the person to meet").fill("Sgt Owen Pryce")
    page.get_by_label("Agreed with the host").check()
    page.get_by_role("button", name="Save placement").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Learning outcomes")
    # The offer's link jumped to "#host-heading"; the page after saving does not keep it.
    assert "#" not in page.url, page.url

    placement = Placement.objects.get(participant=participant)
    assert placement.organisation == offers
    assert placement.offer.title == "Healthcare in police custody"
    page.goto(f"/placements/{placement.pk}/")
    expect(page.get_by_role("heading", name="Checks before the first visit")).to_be_visible()
    assert_accessible(page)


def test_the_host_persons_offers_page_and_the_spread_page_pass_axe(page, world, offers):
    host = UserFactory(full_name="Hana Host")
    HostPerson.objects.create(user=host, organisation=offers)
    sign_in(page, host.email)
    page.goto("/offers/")
    expect(page.get_by_role("heading", name="Offers", level=1)).to_be_visible()
    assert_accessible(page)
    page.goto("/offers/new/")
    assert_accessible(page)
    page.context.clear_cookies()
    sign_in(page, world.programme_manager.email)
    page.goto("/placements/by-host/")
    expect(page.get_by_role("heading", name="Placements by host")).to_be_visible()
    assert_accessible(page)
