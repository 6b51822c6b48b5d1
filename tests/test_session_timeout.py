"""After a session times out, an htmx request is told where to sign in (`HX-Redirect`) and
where to come back to; it never gets a bare 302 that htmx would follow and swap the sign-in
page into a fragment. Nothing is saved by a request that came after the timeout."""

import datetime as dt
import time
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from reflections.models import ReflectiveAccount
from tests.factories import ApprovedPlacementFactory, HalfDayFactory, ReflectiveAccountFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def account(world):
    """A draft reflective account of a placement with one completed half-day."""
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(days=60)
    cohort.save()
    placement = ApprovedPlacementFactory(participant=world.participant)
    HalfDayFactory(placement=placement, date=cohort.programme_start + dt.timedelta(days=7))
    return ReflectiveAccountFactory(placement=placement)


def _time_out(client):
    session = client.session
    session["i2i_seen"] = time.time() - 31 * 60
    session.save()


def _fragment() -> str:
    """An htmx fragment's URL (the job status line polls it); the person is sent to sign in
    before any job is looked up."""
    return reverse("job_status", args=[uuid.UUID(int=1)])


def _htmx_from(page: str) -> dict:
    return {**HTMX, "HX-Current-URL": f"http://testserver{page}"}


def test_an_htmx_request_after_the_timeout_is_sent_to_sign_in_and_back(client, world, account):
    user = world.participant.user
    client.force_login(user)
    page = reverse("account_edit", args=[account.pk])
    assert client.get(page).status_code == 200
    _time_out(client)
    response = client.post(
        reverse("account_autosave", args=[account.pk]),
        {"answer_what_happened": "Typed after the timeout."},
        headers=_htmx_from(page),
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('account_login')}?next={page}"
    assert response.content == b""
    account.refresh_from_db()
    assert "Typed after the timeout." not in str(account.answers)  # signed out: not saved
    assert client.get(reverse("home")).status_code == 302  # and really signed out


def test_an_htmx_request_with_no_session_at_all_is_sent_to_sign_in(client, world):
    page = reverse("cohort_list")
    response = client.get(_fragment(), headers=_htmx_from(page))
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('account_login')}?next={page}"


def test_the_page_to_return_to_keeps_its_query(client, world):
    client.force_login(world.line_manager)
    client.get(reverse("home"))
    _time_out(client)
    page = reverse("organisation_list") + "?q=care&page=2"
    response = client.get(_fragment(), headers=_htmx_from(page))
    assert response["HX-Redirect"] == (
        f"{reverse('account_login')}?next=/organisations/%3Fq%3Dcare%26page%3D2"
    )


@pytest.mark.parametrize(
    "current",
    ["https://elsewhere.example/cohorts/", "javascript:alert(1)", "", "//elsewhere.example/x"],
)
def test_a_page_on_another_site_is_not_returned_to(client, world, current):
    headers = {**HTMX, "HX-Current-URL": current} if current else HTMX
    response = client.get(_fragment(), headers=headers)
    assert response["HX-Redirect"] == reverse("account_login")


def test_without_htmx_the_person_is_redirected_as_before(client, world):
    client.force_login(world.line_manager)
    client.get(reverse("home"))
    _time_out(client)
    response = client.get(reverse("cohort_list"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/cohorts/"
    assert "HX-Redirect" not in response


def test_an_htmx_request_that_is_allowed_is_left_alone(client, world, account):
    client.force_login(world.participant.user)
    response = client.post(
        reverse("account_autosave", args=[account.pk]),
        {"framework": "i2i", "answer_what_happened": "Saved in time."},
        headers=_htmx_from(reverse("account_edit", args=[account.pk])),
    )
    assert response.status_code == 200
    assert "HX-Redirect" not in response
    assert ReflectiveAccount.objects.get(pk=account.pk).answer("what_happened") == (
        "Saved in time."
    )


def test_the_sign_in_page_says_why_after_the_timeout(client, world, account):
    client.force_login(world.participant.user)
    page = reverse("account_edit", args=[account.pk])
    client.get(page)
    _time_out(client)
    response = client.post(
        reverse("account_autosave", args=[account.pk]),
        {"answer_what_happened": "x"},
        headers=_htmx_from(page),
    )
    html = client.get(response["HX-Redirect"]).content.decode()
    assert "You were signed out to keep records safe" in html
