"""The reflective account's pages address their reader: "Your professional learning" to the
participant, "Pat’s professional learning" to their line manager. A draft's button says
"Continue writing"; an account never saved does not say when it was last saved."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reflections import services
from reflections.models import ReflectiveAccount
from tests.factories import ReflectiveAccountFactory

CLOCK = r"(1[0-2]|[1-9]):[0-5]\d(am|pm)"


def _html(client, user, name, *args) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def shared(started_placement):
    return ReflectiveAccountFactory(placement=started_placement, status="shared")


def test_a_new_account_does_not_say_when_it_was_last_saved(client, world, started_placement):
    client.force_login(world.participant.user)
    response = client.post(reverse("account_start", args=[started_placement.pk]))
    account = ReflectiveAccount.objects.get(placement=started_placement)
    assert response.url == reverse("account_edit", args=[account.pk])

    html = _html(client, world.participant.user, "account_edit", account.pk)
    assert "Last saved" not in html
    assert "Your draft saves itself as you type." in html

    client.post(
        reverse("account_edit", args=[account.pk]),
        {"framework": "i2i", "action": "save", "answer_what_happened": "Met the team"},
    )
    html = _html(client, world.participant.user, "account_edit", account.pk)
    assert re.search(rf"Last saved at {CLOCK}\. Your draft saves itself as you type\.", html)


def test_autosave_says_the_time_as_people_write_it(client, world, started_placement):
    account = ReflectiveAccountFactory(placement=started_placement)
    client.force_login(world.participant.user)
    response = client.post(
        reverse("account_autosave", args=[account.pk]),
        {"framework": "i2i", "answer_what_happened": "Second visit", "workshop_learning": ""},
        HTTP_HX_REQUEST="true",
    )
    assert re.search(rf"Saved automatically at {CLOCK}\.", response.content.decode())


def test_the_participant_reads_your(client, world, shared):
    html = _html(client, world.participant.user, "account_detail", shared.pk)
    assert "<h1>Your reflective account of" in html
    assert "Your professional learning" in html
    assert "Pat’s" not in html


def test_the_line_manager_reads_the_participants_name(client, world, shared):
    html = _html(client, world.line_manager, "account_detail", shared.pk)
    assert "<h1>Pat’s reflective account of" in html
    assert "Pat’s professional learning" in html
    assert "What they want to learn next" in html
    assert "Your professional learning" not in html
    assert "Your reflective account" not in html


def test_the_history_writes_its_times_one_way(client, world, shared):
    services.account_discuss(
        account=shared, by=world.line_manager, discussed_on=timezone.localdate()
    )
    html = _html(client, world.line_manager, "account_detail", shared.pk)
    [item] = re.findall(r"<ol class=\"list-unstyled history\">.*?</ol>", html)
    assert re.search(rf", \d{{1,2}} [A-Z][a-z]+ \d{{4}}, {CLOCK}", item)
    assert "a.m." not in item and "p.m." not in item


def test_a_draft_says_continue_writing_on_its_placement(client, world, started_placement):
    account = ReflectiveAccountFactory(placement=started_placement)
    html = _html(client, world.participant.user, "placement_detail", started_placement.pk)
    edit = reverse("account_edit", args=[account.pk])
    assert f'href="{edit}">Continue writing</a>' in html
    assert "Read the reflective account" not in html


def test_a_shared_account_is_read_on_its_placement(client, world, shared):
    html = _html(client, world.participant.user, "placement_detail", shared.placement.pk)
    assert "Read the reflective account" in html
    assert "Continue writing" not in html


def test_the_placement_says_whose_services(client, world, started_placement):
    html = _html(client, world.participant.user, "placement_detail", started_placement.pk)
    assert "Services you deliver" in html
    assert "Services the participant delivers" not in html
    html = _html(client, world.line_manager, "placement_detail", started_placement.pk)
    assert "Services Pat delivers" in html
