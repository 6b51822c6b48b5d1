"""Recruitment pages: who sees which Expression of Interest, the review list, CSV, places,
the register and the sponsor's pages."""

import csv
import io

import pytest
from django.urls import reverse

from participants import recruitment
from tests.factories import EducationLeadFactory, UserFactory
from tests.participants.conftest import _submitted


def test_an_education_lead_of_another_organisation_gets_not_found(client, setup):
    eoi = _submitted(setup)
    client.force_login(EducationLeadFactory().user)
    assert client.get(reverse("eoi_detail", args=[eoi.pk])).status_code == 404
    response = client.post(
        reverse("eoi_select", args=[eoi.pk]), {"decision": "selected", "reason": "x"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["applicant", "lead", "manager"])
def test_the_applicant_lead_and_named_line_manager_see_it(client, setup, who):
    eoi = _submitted(setup)
    user = {"applicant": setup[4], "lead": setup[2], "manager": setup[3]}[who]
    client.force_login(user)
    page = client.get(reverse("eoi_detail", args=[eoi.pk])).content.decode()
    assert "Eligibility" in page
    assert ("Record decision" in page) is (who == "lead")


def test_the_line_manager_confirms_from_the_link(client, setup):
    eoi = _submitted(setup)
    client.force_login(setup[3])
    response = client.post(reverse("eoi_support", args=[eoi.pk]), {"supported": "no"})
    assert "Say why you cannot support it" in response.content.decode()
    response = client.post(reverse("eoi_support", args=[eoi.pk]), {"supported": "yes"})
    assert response.status_code == 302
    eoi.refresh_from_db()
    assert eoi.support == "confirmed"
    client.force_login(UserFactory())
    assert client.get(reverse("eoi_support", args=[eoi.pk])).status_code == 404


def test_a_wrong_date_on_the_form_is_explained_and_the_rest_kept(client, setup):
    cohort, employer, _, _, applicant, _ = setup
    eoi = recruitment.eoi_start(cohort=cohort, organisation=employer, by=applicant)
    client.force_login(applicant)
    response = client.post(
        reverse("eoi_edit", args=[eoi.pk]),
        {"job_title": "Staff nurse", "qualified_on": "32/13/2020", "action": "save"},
    )
    assert response.status_code == 200
    assert "as a real date" in response.context["form"].errors["qualified_on"][0]
    assert 'value="Staff nurse"' in response.content.decode()


def test_selecting_beyond_places_shows_the_message_next_to_the_decision(client, setup):
    _, _, lead, manager, _, _ = setup
    first = _submitted(setup)
    recruitment.eoi_support(eoi=first, by=manager, supported=True)
    recruitment.eoi_decide(eoi=first, by=lead, decision="selected", reason="Yes")
    second = _submitted(setup, applicant=UserFactory())
    recruitment.eoi_support(eoi=second, by=manager, supported=True)
    client.force_login(lead)
    response = client.post(
        reverse("eoi_select", args=[second.pk]), {"decision": "selected", "reason": "Good"}
    )
    assert response.status_code == 400
    assert "already selected" in response.context["decision_form"].errors["decision"][0]


def test_the_review_list_runs_in_constant_queries(
    client,
    setup,
    django_assert_max_num_queries,
):
    client.force_login(setup[2])
    counts = []
    for size in (1, 8):
        for _ in range(size):
            _submitted(setup, applicant=UserFactory())
        # session, user, roles; the Expressions of Interest with applicants and cohorts
        with django_assert_max_num_queries(5) as captured:
            response = client.get(reverse("eoi_review"))
        counts.append(len(captured))
    assert len(response.context["rows"]) == 9
    assert counts[0] == counts[1]


def test_the_csv_opens_cleanly_in_excel(client, setup):
    eoi = _submitted(setup)
    client.force_login(setup[2])
    response = client.get(reverse("eoi_csv"))
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Cohort", "Applicant", "Email"]
    assert rows[1][1] == str(eoi.applicant)
    assert rows[1][8] == eoi.qualified_on.isoformat()
    client.force_login(UserFactory())
    assert client.get(reverse("eoi_csv")).status_code == 403


def test_the_programme_manager_sets_places_and_sees_bad_input_explained(client, setup, world):
    cohort, employer = setup[0], setup[1]
    client.force_login(world.programme_manager)
    url = reverse("cohort_places", args=[cohort.pk])
    response = client.post(url, {f"places_{employer.pk}": "lots"})
    assert "Enter a whole number of places" in response.content.decode()
    assert 'value="lots"' in response.content.decode()
    client.post(url, {f"places_{employer.pk}": "3"})
    assert recruitment.places_left(cohort, employer)[0] == 3


def test_the_register_page(client, world):
    client.force_login(world.programme_manager)
    url = reverse("cohort_attendance", args=[world.participant.cohort.pk])
    client.post(url, {f"briefing_{world.participant.pk}": "yes"})
    world.participant.refresh_from_db()
    assert world.participant.briefing_attended is True
    client.force_login(world.line_manager)
    assert client.get(url).status_code == 403


def test_shared_contacts_appear_when_planning_a_placement(client, world):
    from tests.factories import OrganisationFactory

    recruitment.contact_share(
        participant=world.participant,
        by=world.sponsor,
        organisation=OrganisationFactory(name="Oakfield Hospice"),
        name="Dee Host",
        role="Matron",
    )
    client.force_login(world.participant.user)
    html = client.get(reverse("placement_create", args=[world.participant.pk])).content.decode()
    assert "Contacts your sponsor shared" in html
    assert "Dee Host" in html
