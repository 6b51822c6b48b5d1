"""Single sign-on, end to end: a real OpenID Connect provider (django-oauth-toolkit, in its
own process with its own database, `tests/oidc_provider/`) and the product in a browser.

The provider's people (PERSONAS) say whether it verified their address (`email_verified`)
and how they signed in (`amr`, with "mfa" after a second factor, as Microsoft Entra ID says).
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from i2i import settings as product_settings
from participants.adapters import UNVERIFIED_EMAIL
from participants.models import User
from tests.clock import subprocess_env
from tests.e2e.conftest import assert_accessible
from tests.factories import PASSWORD, EducationLeadFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_ID = "test-idp"
PROVIDER_NAME = "Fenbridge NHS Trust account"
CLIENT = {"client_id": "i2i-cohorts", "client_secret": "not-a-real-secret-only-for-the-tests"}
PROVIDER_PASSWORD = "provider-password-1"
SET_UP_AN_APP = "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"


def _persona(username, email, *, verified=True, amr=("pwd",), name="Alex Example"):
    return {
        "username": username,
        "password": PROVIDER_PASSWORD,
        "name": name,
        "email": email,
        "email_verified": verified,
        "amr": list(amr),
    }


PERSONAS = [
    _persona("existing", "kim.existing@trust.example", name="Kim Existing"),
    _persona("unverified", "kim.existing@trust.example", verified=False),
    _persona("stranger", "new.stranger@trust.example", verified=False),
    _persona("newcomer", "nia.newcomer@trust.example", name="Nia Newcomer"),
    _persona("lead_mfa", "lee.lead@trust.example", amr=("pwd", "mfa")),
    _persona("lead_pwd", "lou.lead@trust.example", amr=("pwd",)),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """The provider, started once: its base URL. It redirects only to the live server's
    callback, as an Entra ID app registration does."""
    folder = tmp_path_factory.mktemp("oidc_provider")
    personas = folder / "personas.json"
    personas.write_text(json.dumps(PERSONAS))
    port = _free_port()
    env = {
        **os.environ,
        "OIDC_PROVIDER_DB": str(folder / "provider.sqlite3"),
        "OIDC_PROVIDER_PERSONAS": str(personas),
        "OIDC_PROVIDER_CLIENT": json.dumps(
            {
                **CLIENT,
                "redirect_uri": f"{live_server.url}/accounts/oidc/{PROVIDER_ID}/login/callback/",
            }
        ),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # On the suite's clock, or the tokens it signs would be from another day to the product.
    env = subprocess_env(env)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        assert process.stdout.readline().strip() == "ready", process.stdout.read()
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{url}/o/.well-known/openid-configuration") as r:
                    assert json.load(r)["issuer"] == f"{url}/o"
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso(settings, monkeypatch, oidc_provider):
    """The product offers the provider, configured as production is: OIDC_PROVIDERS read by
    the settings module's own functions."""
    monkeypatch.setenv(
        "OIDC_PROVIDERS",
        json.dumps(
            [
                {
                    "id": PROVIDER_ID,
                    "name": PROVIDER_NAME,
                    "server_url": f"{oidc_provider}/o",
                    "client_id": CLIENT["client_id"],
                    "secret": CLIENT["client_secret"],
                }
            ]
        ),
    )
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": product_settings.oidc_apps()}}
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **directives,
            "form-action": [
                "'self'",
                *product_settings.sso_origins(settings.SOCIALACCOUNT_PROVIDERS),
            ],
        }
    }
    return oidc_provider


@pytest.fixture
def sso_page(browser, live_server, sso):
    """A browser page that may talk to the product and the provider, and nothing else."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    foreign = []
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if not request.url.startswith((live_server.url, sso, "data:"))
            else None
        ),
    )
    yield page
    context.close()
    assert foreign == [], f"the page made third-party requests: {foreign}"


def _sign_in_with_provider(page, sso, username):
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_role("link", name=PROVIDER_NAME).click()
    # allauth asks before leaving for the provider (a POST, so no link can start it).
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{sso}/login/**")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in to the provider").click()
    page.wait_for_load_state("load")


def _existing(email, full_name="Kim Existing"):
    """Someone who signed up with a password and verified their address (the factory's)."""
    user = UserFactory(email=email, full_name=full_name)
    assert EmailAddress.objects.get(user=user).verified
    return user


def test_the_sign_in_page_offers_the_organisation_s_account(sso_page):
    sso_page.goto("/accounts/login/")
    expect(sso_page.get_by_role("link", name=PROVIDER_NAME)).to_be_visible()
    expect(sso_page.get_by_label("Email")).to_be_visible()  # passwords still work
    assert_accessible(sso_page)


def test_the_first_sign_in_links_the_existing_account_by_its_verified_email(sso_page, sso):
    kim = _existing("kim.existing@trust.example")
    _sign_in_with_provider(sso_page, sso, "existing")
    expect(sso_page).to_have_url("/")
    expect(sso_page.get_by_role("navigation", name="Main")).to_be_visible()
    assert_accessible(sso_page)
    (link,) = SocialAccount.objects.all()
    assert (link.user, link.provider) == (kim, PROVIDER_ID)
    assert User.objects.filter(email__iexact="kim.existing@trust.example").count() == 1
    kim.refresh_from_db()
    assert kim.has_usable_password()  # its address was verified: the password stays
    # Next time the provider's identifier finds the account.
    sso_page.context.clear_cookies()
    _sign_in_with_provider(sso_page, sso, "existing")
    expect(sso_page).to_have_url("/")
    assert SocialAccount.objects.count() == 1


def test_an_unverified_email_is_refused_and_links_nothing(sso_page, sso):
    kim = _existing("kim.existing@trust.example")
    _sign_in_with_provider(sso_page, sso, "unverified")
    expect(sso_page).to_have_url("/accounts/login/")
    expect(sso_page.get_by_role("main")).to_contain_text(
        UNVERIFIED_EMAIL.format(provider=PROVIDER_NAME)
    )
    assert_accessible(sso_page)
    assert SocialAccount.objects.count() == 0
    # Not signed in: any page sends them back to sign in.
    sso_page.goto("/")
    expect(sso_page).to_have_url("/accounts/login/?next=/")
    kim.refresh_from_db()
    assert kim.has_usable_password()


def test_an_unverified_email_nobody_has_creates_no_account(sso_page, sso):
    before = User.objects.count()
    _sign_in_with_provider(sso_page, sso, "stranger")
    expect(sso_page).to_have_url("/accounts/login/")
    expect(sso_page.get_by_role("main")).to_contain_text("did not confirm")
    assert User.objects.count() == before
    assert not EmailAddress.objects.filter(email="new.stranger@trust.example").exists()
    assert SocialAccount.objects.count() == 0


def test_a_verified_email_nobody_has_signs_up_with_the_provider_s_name(sso_page, sso):
    _sign_in_with_provider(sso_page, sso, "newcomer")
    expect(sso_page).to_have_url("/")
    assert_accessible(sso_page)
    nia = User.objects.get(email="nia.newcomer@trust.example")
    assert nia.full_name == "Nia Newcomer"
    assert not nia.has_usable_password()
    assert EmailAddress.objects.get(user=nia).verified
    assert SocialAccount.objects.get().user == nia


def test_the_provider_s_second_factor_satisfies_the_staff_rule(sso_page, sso, settings):
    settings.MFA_REQUIRED_FOR_ROLES = True
    EducationLeadFactory(user=_existing("lee.lead@trust.example", "Lee Lead"))
    _sign_in_with_provider(sso_page, sso, "lead_mfa")
    expect(sso_page).to_have_url("/")
    expect(sso_page.get_by_role("heading", name="Your organisation's participants")).to_be_visible()
    assert_accessible(sso_page)


def test_without_the_provider_s_second_factor_staff_set_up_an_app(sso_page, sso, settings):
    settings.MFA_REQUIRED_FOR_ROLES = True
    lou = EducationLeadFactory(user=_existing("lou.lead@trust.example", "Lou Lead")).user
    _sign_in_with_provider(sso_page, sso, "lead_pwd")
    # Sent to set up an authenticator app; allauth first asks for the password again, as it
    # does before any change to the second factor.
    expect(sso_page).to_have_url(SET_UP_AN_APP)
    expect(sso_page.get_by_role("main")).to_contain_text("set up an authenticator app")
    assert_accessible(sso_page)
    sso_page.get_by_label("Password").fill(PASSWORD)
    sso_page.get_by_role("button", name="Continue").click()
    expect(sso_page).to_have_url("/accounts/2fa/totp/activate/")
    assert_accessible(sso_page)
    # Anywhere else sends them back there.
    sso_page.goto("/")
    expect(sso_page).to_have_url("/accounts/2fa/totp/activate/")
    # A password sign-in is held to the same rule.
    sso_page.context.clear_cookies()
    sso_page.goto("/accounts/login/")
    sso_page.get_by_label("Email").fill(lou.email)
    sso_page.get_by_label("Password").fill(PASSWORD)
    sso_page.get_by_role("button", name="Sign in").click()
    expect(sso_page).to_have_url(SET_UP_AN_APP)
