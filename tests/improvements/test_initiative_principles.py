"""An improvement initiative can be tagged with the principles of workforce integration it
shows: optional on its form, kept in their order, shown on its page."""

from django.urls import reverse

from improvements import services
from improvements.forms import InitiativeForm
from improvements.models import ImprovementInitiative
from tests.factories import ImprovementInitiativeFactory

OUTCOMES = "1. Better outcomes for people with care and support needs"
PROCESS = "5. Process matters: how the workforce is valued"
HEADING = "Principles of workforce integration it shows"

PLAN = {
    "title": "Transfer summary",
    "problem": "Calls chasing information",
    "aim": "Halve the calls by June.",
    "measures_summary": "Calls a week.",
    "change_ideas": "A one-page summary.",
    "kind": "forms",
    "action": "save",
}


def test_the_form_offers_the_six_principles_as_optional(world):
    field = InitiativeForm(participant=world.participant).fields["principles"]
    assert not field.required
    assert field.label.endswith("(optional)")
    assert len(field.choices) == 6


def test_it_saves_the_principles_ticked_on_the_form(client, world):
    client.force_login(world.participant.user)
    response = client.post(
        reverse("initiative_create", args=[world.participant.pk]),
        {**PLAN, "principles": ["process", "outcomes"]},
    )
    assert response.status_code == 302
    initiative = ImprovementInitiative.objects.get(participant=world.participant)
    assert initiative.principles == ["outcomes", "process"]


def test_it_saves_without_principles(client, world):
    client.force_login(world.participant.user)
    client.post(reverse("initiative_create", args=[world.participant.pk]), PLAN)
    assert ImprovementInitiative.objects.get(participant=world.participant).principles == []


def test_the_service_keeps_only_known_principles_once_each(world):
    initiative = ImprovementInitiativeFactory(participant=world.participant)
    services.initiative_update(
        initiative=initiative,
        by=world.participant.user,
        principles=["change", "made_up", "change", "outcomes"],
    )
    initiative.refresh_from_db()
    assert initiative.principles == ["outcomes", "change"]


def test_changing_the_principles_does_not_send_an_agreed_plan_back(world):
    initiative = ImprovementInitiativeFactory(participant=world.participant)
    services.initiative_submit(initiative=initiative, by=world.participant.user)
    services.initiative_agree(initiative=initiative, by=world.line_manager, comment="")
    initiative.refresh_from_db()
    services.initiative_update(
        initiative=initiative, by=world.participant.user, principles=["workforce"]
    )
    initiative.refresh_from_db()
    assert (initiative.agreement, initiative.principles) == ("agreed", ["workforce"])


def test_the_page_shows_the_principles(client, world):
    ImprovementInitiativeFactory(participant=world.participant, principles=["process", "outcomes"])
    client.force_login(world.line_manager)
    page = client.get(reverse("initiative_detail", args=[world.participant.pk])).content.decode()
    assert HEADING in page
    assert page.index(OUTCOMES) < page.index(PROCESS)


def test_the_page_says_when_none_are_given(client, world):
    ImprovementInitiativeFactory(participant=world.participant)
    client.force_login(world.participant.user)
    page = client.get(reverse("initiative_detail", args=[world.participant.pk])).content.decode()
    assert f"<dt>{HEADING}</dt><dd>Not given</dd>" in page


def test_the_edit_form_ticks_the_saved_principles(client, world):
    ImprovementInitiativeFactory(participant=world.participant, principles=["change"])
    client.force_login(world.participant.user)
    response = client.get(reverse("initiative_edit", args=[world.participant.pk]))
    assert response.context["form"]["principles"].value() == ["change"]
