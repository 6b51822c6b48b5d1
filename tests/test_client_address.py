"""Who the client is, behind TRUSTED_PROXY_COUNT proxies: the audit trail and allauth's
sign-in limits read the same address, and a forged or malformed X-Forwarded-For is ignored
(never a 500, never a made-up address in the trail)."""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from i2i import settings as product_settings
from i2i.models import AuditEvent, Job
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.postgres

PROXY = "10.0.0.1"
CLIENT = "198.51.100.7"
ANOTHER_CLIENT = "198.51.100.8"
# What someone may send from outside: a made-up address, and values that are not addresses.
FORGED = ["203.0.113.9", "not-an-ip", "999.1.1.1", "1.2.3.4.5", "", " , ", "::zz"]


def _client() -> Client:
    """A browser whose server errors come back as the 500 page, as a real one would see."""
    return Client(raise_request_exception=False)


def _sign_in(client, email, password, forwarded, remote=PROXY):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.parametrize("forwarded", FORGED)
def test_with_no_proxy_a_forwarded_address_is_ignored_when_signing_in(world, forwarded):
    client = _client()
    failed = _sign_in(client, world.sponsor.email, "wrong-password", forwarded, remote=CLIENT)
    signed_in = _sign_in(client, world.sponsor.email, PASSWORD, forwarded, remote=CLIENT)
    assert (failed.status_code, signed_in.status_code) == (200, 302)
    assert AuditEvent.objects.get(action="sign_in_failed").ip == CLIENT
    assert AuditEvent.objects.get(action="sign_in").ip == CLIENT


@pytest.mark.parametrize("forwarded", FORGED)
def test_with_no_proxy_a_forwarded_address_is_ignored_when_downloading_own_data(world, forwarded):
    client = _client()
    client.force_login(world.participant.user)
    response = client.get(
        reverse("my_data_json"), REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=forwarded
    )
    assert response.status_code == 200
    assert AuditEvent.objects.get(action="download_own_data").ip == CLIENT


@pytest.mark.parametrize("forwarded", FORGED)
def test_with_no_proxy_a_forwarded_address_is_ignored_when_downloading_a_job(
    world, forwarded, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    job = Job.objects.create(
        kind="workshop_pack", owner=world.programme_manager, title="Pack", status="done"
    )
    job.file.save("pack.pdf", ContentFile(b"%PDF-1.7"))
    client = _client()
    client.force_login(world.programme_manager)
    response = client.get(
        reverse("job_download", args=[job.pk]), REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=forwarded
    )
    assert response.status_code == 200
    assert AuditEvent.objects.get(action="download").ip == CLIENT


@pytest.mark.parametrize(
    ("proxies", "forwarded", "recorded"),
    [
        # The proxy appends the address it saw: the last one is the client's, whatever
        # the client put in front of it.
        (1, CLIENT, CLIENT),
        (1, f"203.0.113.9, {CLIENT}", CLIENT),
        (1, f"not-an-ip, {CLIENT}", CLIENT),
        (1, "2001:db8::1", "2001:db8::1"),
        # Two proxies: the outer one's address is last, the client's before it.
        (2, f"203.0.113.9, {CLIENT}, 10.0.0.2", CLIENT),
        # Too few entries, or the trusted entry is not an address: the proxy's own.
        (2, CLIENT, PROXY),
        (1, "", PROXY),
        (1, f"{CLIENT}, not-an-ip", PROXY),
        (1, f"{CLIENT}, 999.1.1.1", PROXY),
        (1, f"{CLIENT},", PROXY),
    ],
)
def test_behind_trusted_proxies_the_client_is_counted_from_the_right(
    world, settings, proxies, forwarded, recorded
):
    settings.TRUSTED_PROXY_COUNT = proxies
    client = _client()
    failed = _sign_in(client, world.sponsor.email, "wrong-password", forwarded)
    signed_in = _sign_in(client, world.sponsor.email, PASSWORD, forwarded)
    assert (failed.status_code, signed_in.status_code) == (200, 302)
    assert AuditEvent.objects.get(action="sign_in_failed").ip == recorded
    assert AuditEvent.objects.get(action="sign_in").ip == recorded


@pytest.fixture
def rate_limited(settings):
    """allauth's own limits (ten failed sign-ins a minute from one address), on a real cache."""
    del settings.ACCOUNT_RATE_LIMITS
    cache.clear()
    yield
    cache.clear()


def test_behind_one_proxy_ten_failures_from_one_client_do_not_lock_out_another(
    world, settings, rate_limited
):
    settings.TRUSTED_PROXY_COUNT = 1
    strangers = UserFactory.create_batch(10)
    attacker = _client()
    for number, stranger in enumerate(strangers):
        # A different forged address in front each time: the proxy's last entry still counts.
        _sign_in(attacker, stranger.email, "wrong-password", f"192.0.2.{number}, {CLIENT}")
    blocked = _sign_in(attacker, world.line_manager.email, PASSWORD, f"192.0.2.99, {CLIENT}")
    assert "_auth_user_id" not in attacker.session
    assert b"Too many failed login attempts" in blocked.content

    colleague = _client()
    response = _sign_in(colleague, world.sponsor.email, PASSWORD, ANOTHER_CLIENT)
    assert response.status_code == 302
    assert colleague.session["_auth_user_id"] == str(world.sponsor.pk)


def test_allauth_is_told_the_same_number_of_proxies():
    assert product_settings.ALLAUTH_TRUSTED_PROXY_COUNT == product_settings.TRUSTED_PROXY_COUNT
