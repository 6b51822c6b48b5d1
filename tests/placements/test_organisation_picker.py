"""The organisation picker as the server renders it: one <select> that
`static/js/organisation-picker.js` enhances (the browser side is in
tests/e2e/test_organisation_picker.py), with the propose fields beside it for when the
organisation is not listed, and the autocomplete library served from our own static files."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from participants.forms import SharedContactForm
from participants.models import Organisation
from participants.widgets import organisation_label
from tests.factories import OrganisationFactory

VENDOR = "vendor/accessible-autocomplete-3.0.1"


def _plan_page(client, running):
    client.force_login(running.participant.user)
    return client.get(reverse("placement_create", args=[running.participant.pk]))


def test_it_renders_one_picker_and_no_separate_search_box(client, running):
    OrganisationFactory(name="Willowbank Nursing Home", sector="care_sector", town="Fenbridge")
    html = _plan_page(client, running).content.decode()

    select = re.search(r'<select name="organisation"[^>]*>', html).group(0)
    assert 'data-module="organisation-picker"' in select
    assert 'data-propose="id_proposed_name"' in select
    assert "Willowbank Nursing Home (Care Sector, Fenbridge)</option>" in html
    assert 'id="organisation-search"' not in html and "hx-get" not in html
    # Without JavaScript, proposing stays a plain part of the form.
    for name in ("proposed_name", "proposed_sector", "proposed_town"):
        assert f'name="{name}"' in html


def test_the_option_text_names_the_sector_and_the_town_when_there_is_one(db):
    assert (
        organisation_label(OrganisationFactory.build(name="Ash Lodge", sector="pvi", town=""))
        == "Ash Lodge (Private/Voluntary/Independent)"
    )
    assert (
        organisation_label(
            OrganisationFactory.build(name="Ash Lodge", sector="housing", town="Larkhaven")
        )
        == "Ash Lodge (Housing, Larkhaven)"
    )


def test_the_chosen_organisation_stays_selected_when_the_form_has_errors(client, running):
    host = OrganisationFactory(name="Willowbank Nursing Home", sector="care_sector")
    client.force_login(running.participant.user)
    response = client.post(
        reverse("placement_create", args=[running.participant.pk]),
        {"organisation": host.pk, "contact_name": "", "status": "agreed"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["contact_name"]
    assert f'<option value="{host.pk}" selected>' in response.content.decode()


def test_a_proposal_with_errors_opens_the_propose_fields_again(client, running):
    client.force_login(running.participant.user)
    response = client.post(
        reverse("placement_create", args=[running.participant.pk]),
        {"proposed_name": "Saltmarsh Housing", "contact_name": "Bo", "status": "planned"},
    )
    html = response.content.decode()
    assert "Select the sector of the organisation you propose" in html
    assert re.search(r"<details[^>]* open>\s*<summary>The organisation is not listed", html)
    assert 'value="Saltmarsh Housing"' in html


def test_the_autocomplete_is_served_from_our_static_files(client, running):
    html = _plan_page(client, running).content.decode()
    for name in ("accessible-autocomplete.min.js", "accessible-autocomplete.min.css"):
        assert re.search(rf'"/?{re.escape(settings.STATIC_URL)}{VENDOR}/{re.escape(name)}', html)
        assert finders.find(f"{VENDOR}/{name}"), name
    assert finders.find(f"{VENDOR}/LICENSE")
    assert "Government Digital Service" in Path(finders.find(f"{VENDOR}/LICENSE")).read_text()
    # No CDN: every script and stylesheet the page loads is one of ours.
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(not re.match(r"(https?:)?//", source) for source in sources), sources


def test_the_sponsors_contact_form_uses_the_same_picker(db):
    host = OrganisationFactory(name="Heron Hospice", sector="care_sector", town="")
    form = SharedContactForm(organisations=Organisation.objects.filter(pk=host.pk))
    html = str(form["organisation"])
    assert 'data-module="organisation-picker"' in html
    assert f'<option value="{host.pk}">Heron Hospice (Care Sector)</option>' in html
