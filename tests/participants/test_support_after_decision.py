"""Line-manager support is final once the education lead has decided: the line manager is
told whom to contact instead, through the service and on the page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants import recruitment
from tests.participants.conftest import _submitted


@pytest.fixture
def selected(setup):
    _, _, lead, manager, _, _ = setup
    lead.full_name = "Lee Lead"
    lead.save()
    eoi = _submitted(setup)
    recruitment.eoi_support(eoi=eoi, by=manager, supported=True)
    return recruitment.eoi_decide(eoi=eoi, by=lead, decision="selected", reason="Strong fit.")


def test_support_cannot_be_declined_after_selection(setup, selected):
    manager = setup[3]
    with pytest.raises(ValidationError) as error:
        recruitment.eoi_support(
            eoi=selected, by=manager, supported=False, comment="Changed my mind."
        )
    assert "has already decided on this Expression of Interest" in error.value.messages[0]
    assert "contact Lee Lead" in error.value.messages[0]
    selected.refresh_from_db()
    assert (selected.support, selected.decision) == ("confirmed", "selected")
    assert not selected.events.filter(action="support_declined").exists()


def test_support_cannot_be_given_after_a_decision_not_to_select(setup):
    _, _, lead, manager, _, _ = setup
    eoi = _submitted(setup)
    recruitment.eoi_decide(eoi=eoi, by=lead, decision="not_selected", reason="No places.")
    with pytest.raises(ValidationError) as error:
        recruitment.eoi_support(eoi=eoi, by=manager, supported=True)
    assert "has already decided on this Expression of Interest" in error.value.messages[0]
    eoi.refresh_from_db()
    assert eoi.support == "pending"


def test_the_page_says_whom_to_contact_and_offers_no_buttons(client, setup, selected):
    client.force_login(setup[3])
    page = client.get(reverse("eoi_support", args=[selected.pk])).content.decode()
    assert "has already decided on this Expression of Interest" in page
    assert "contact Lee Lead" in page
    assert "I cannot support it" not in page

    response = client.post(
        reverse("eoi_support", args=[selected.pk]),
        {"supported": "no", "comment": "Changed my mind."},
    )
    assert response.status_code == 200
    assert "has already decided on this Expression of Interest" in response.content.decode()
    selected.refresh_from_db()
    assert selected.support == "confirmed"
