"""Which single sign-on providers are offered is configuration: environment variables read by
`i2i.settings.oidc_apps`, and nothing at all on the sign-in page when none is set. (The
sign-in itself is tested end to end in `tests/e2e/test_single_sign_on.py`.)"""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from i2i import settings as product_settings

ENTRY = {
    "id": "nhsmail",
    "name": "NHSmail",
    "server_url": "https://login.microsoftonline.com/tenant-1/v2.0",
    "client_id": "app-1",
    "secret": "s3cret-value",
}


@pytest.fixture(autouse=True)
def _no_provider_variables(monkeypatch):
    for name in ("OIDC_PROVIDERS", "OIDC_PROVIDERS_FILE", "ENTRA_TENANT", "ENTRA_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ENTRA_CLIENT_SECRET", raising=False)
    monkeypatch.delenv("ENTRA_VERIFIED_DOMAINS", raising=False)


def test_it_offers_no_provider_when_none_is_set():
    assert product_settings.oidc_apps() == []


def test_it_reads_providers_from_oidc_providers(monkeypatch):
    monkeypatch.setenv("OIDC_PROVIDERS", json.dumps([{**ENTRY, "verified_domains": ["nhs.net"]}]))
    (app,) = product_settings.oidc_apps()
    assert (app["provider_id"], app["name"], app["client_id"], app["secret"]) == (
        "nhsmail",
        "NHSmail",
        "app-1",
        "s3cret-value",
    )
    assert app["settings"] == {
        "server_url": ENTRY["server_url"],
        "oauth_pkce_enabled": True,
        "verified_email": ["nhs.net"],
        "email_authentication": True,
    }


def test_it_trusts_no_address_the_provider_did_not_verify_by_default(monkeypatch):
    monkeypatch.setenv("OIDC_PROVIDERS", json.dumps([ENTRY]))
    (app,) = product_settings.oidc_apps()
    assert app["settings"]["verified_email"] is False


def test_it_reads_the_secret_list_from_a_file(monkeypatch, tmp_path):
    path = tmp_path / "providers.json"
    path.write_text(json.dumps([ENTRY]))
    monkeypatch.setenv("OIDC_PROVIDERS_FILE", str(path))
    assert [a["provider_id"] for a in product_settings.oidc_apps()] == ["nhsmail"]


def test_it_adds_entra_id_from_its_own_variables(monkeypatch):
    monkeypatch.setenv("ENTRA_TENANT", "tenant-2")
    monkeypatch.setenv("ENTRA_CLIENT_ID", "app-2")
    monkeypatch.setenv("ENTRA_CLIENT_SECRET", "another-secret")
    monkeypatch.setenv("ENTRA_VERIFIED_DOMAINS", "nhs.net, fenbridge.gov.uk")
    (app,) = product_settings.oidc_apps()
    assert app["provider_id"] == "entra"
    assert app["settings"]["server_url"] == "https://login.microsoftonline.com/tenant-2/v2.0"
    assert app["settings"]["verified_email"] == ["nhs.net", "fenbridge.gov.uk"]
    providers = {"openid_connect": {"APPS": [app]}}
    assert product_settings.sso_origins(providers) == ["https://login.microsoftonline.com"]


def test_it_refuses_an_incomplete_provider_without_printing_its_secret(monkeypatch):
    monkeypatch.setenv("OIDC_PROVIDERS", json.dumps([{**ENTRY, "client_id": ""}]))
    with pytest.raises(ImproperlyConfigured, match="client_id") as error:
        product_settings.oidc_apps()
    assert "s3cret-value" not in str(error.value)


def test_it_refuses_json_that_does_not_parse(monkeypatch):
    monkeypatch.setenv("OIDC_PROVIDERS", "[{")
    with pytest.raises(ImproperlyConfigured, match="OIDC_PROVIDERS"):
        product_settings.oidc_apps()


@pytest.mark.django_db
def test_with_no_provider_the_sign_in_page_offers_only_the_password(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert b"organisation's account" not in response.content
    assert b"/accounts/oidc/" not in response.content
    directives = [d.strip() for d in response["Content-Security-Policy"].split(";")]
    # Forms post only to the product itself (directives come in any order).
    assert "form-action 'self'" in directives
