"""What guards every request: signed-in pages are never stored by a browser or a proxy,
request bodies are capped (uploads included) with the plain 400 page, and sign-up takes as
long whether or not the address already has an account."""

import statistics
import time

import pytest
from django.conf import global_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from improvements.models import ImprovementInitiative
from participants.models import Organisation, User
from tests.test_url_walk import MATRIX_PATTERNS, _path
from tests.test_url_walk import objects as objects  # noqa: F401 -- the fixture

# Cache-Control ------------------------------------------------------------------------------


def _cache_control_of_every_page(client, user, objects) -> dict[str, str]:  # noqa: F811
    client.force_login(user)
    seen = {}
    for key, pattern in MATRIX_PATTERNS:
        response = client.get(_path(pattern, objects["own"], "own"))
        if response.status_code < 500:
            seen[key] = response.get("Cache-Control", "")
        if key == "account_logout":
            client.force_login(user)
    return seen


@pytest.mark.parametrize("role", ["participant", "programme_manager"])
def test_every_signed_in_response_says_no_store(
    client,
    world,
    objects,  # noqa: F811
    role,
):
    user = world.participant.user if role == "participant" else world.programme_manager
    seen = _cache_control_of_every_page(client, user, objects)
    assert len(seen) == len(MATRIX_PATTERNS)
    assert {key: value for key, value in seen.items() if "no-store" not in value} == {}


def test_a_signed_in_download_says_no_store(client, world):
    client.force_login(world.programme_manager)
    response = client.get(reverse("cohort_dashboard_csv", args=[world.participant.cohort_id]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


# Request size -------------------------------------------------------------------------------


def test_a_five_megabyte_upload_to_a_form_gets_the_too_large_page(client, world):
    client.force_login(world.participant.user)
    upload = b"%PDF-1.4\n" + b"x" * (5 * 1024 * 1024)
    response = client.post(
        reverse("initiative_create", args=[world.participant.pk]),
        {
            "title": "Transfer summary",
            "problem": "Calls chasing discharge information.",
            "kind": "forms",
            "attachment": SimpleUploadedFile("big.pdf", upload, "application/pdf"),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "That was too much to send" in page
    assert "2 MB" in page
    assert not ImprovementInitiative.objects.exists()


def test_a_large_upload_to_the_sign_up_page_gets_the_too_large_page(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Quinn Newstarter",
            "email": "quinn@council.example",
            "password1": "a long harbour lantern",
            "password2": "a long harbour lantern",
            "photo": SimpleUploadedFile("me.jpg", b"\xff" * (3 * 1024 * 1024), "image/jpeg"),
        },
    )
    assert response.status_code == 400
    assert "That was too much to send" in response.content.decode()
    assert not User.objects.filter(email="quinn@council.example").exists()


def test_a_form_under_the_limit_is_still_saved(client, world):
    client.force_login(world.programme_manager)
    response = client.post(
        reverse("organisation_create"),
        {
            "name": "Riverside Lane Medical Practice",
            "sector": "acute",
            "is_active": "on",
            "attachment": SimpleUploadedFile("small.txt", b"a note", "text/plain"),
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Riverside Lane Medical Practice").exists()


# Sign-up timing -----------------------------------------------------------------------------

TRIES = 5


def _sign_up_seconds(client, email: str) -> float:
    started = time.perf_counter()
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Quinn Newstarter",
            "email": email,
            "password1": "a long harbour lantern",
            "password2": "a long harbour lantern",
        },
    )
    seconds = time.perf_counter() - started
    assert response.status_code == 302
    return seconds


def test_sign_up_takes_as_long_whether_or_not_the_address_has_an_account(client, world, settings):
    """With the production password hasher (the suite's is a fast one), sign-ups for a new
    address and for one that has an account alternate, and the medians are compared: the
    answer is the same page either way, so the time must not tell them apart either."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    existing = world.participant.user.email
    new, taken = [], []
    for number in range(TRIES):
        new.append(_sign_up_seconds(client, f"new-{number}@council.example"))
        taken.append(_sign_up_seconds(client, existing))
    assert User.objects.filter(email__startswith="new-").count() == TRIES
    ratio = statistics.median(new) / statistics.median(taken)
    assert 0.67 < ratio < 1.5, (
        f"new {statistics.median(new):.3f}s, taken {statistics.median(taken):.3f}s"
    )
