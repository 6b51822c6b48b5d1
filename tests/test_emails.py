"""allauth's emails, read as the person who gets them: each one names the site and its
address, and its link works.

Each email is caused the way a person causes it (signing up, asking for a password reset,
adding an address); the last test renders every allauth email template, so that one turned
on later (a sign-in code, a password-changed notice) cannot lose the site name either."""

import re
from pathlib import Path

import allauth
import pytest
from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from zeal import zeal_ignore

from participants.adapters import AccountAdapter
from participants.models import User

SITE_URL = "https://i2i.example.nhs.uk"
SITE_NAME = "I2I Cohorts"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL


def _read(message) -> str:
    """The body as the person reads it, with what must and must not be there checked."""
    body = message.body
    assert "from !" not in body and "using !" not in body
    assert SITE_NAME in body
    assert SITE_URL in body  # the address, as a link they can follow
    assert message.subject.startswith(f"[{SITE_NAME}] ")
    return body


def _link(body: str, path_start: str) -> str:
    """The link in the email that starts with `path_start`, on the site's address."""
    match = re.search(re.escape(SITE_URL) + r"(" + re.escape(path_start) + r"\S*)", body)
    assert match, f"no link to {SITE_URL}{path_start}… in:\n{body}"
    return match.group(1)


def _two_different_address_lookups():
    """Confirming an address, allauth reads it by its key and then the user's primary
    address: two different `EmailAddress.objects.get()` calls inside allauth, which zeal
    attributes to the same line of ours (the middleware that calls the view) and so takes
    for an N+1. No loop is involved."""
    return zeal_ignore([{"model": "account.EmailAddress", "field": "get()"}])


def _sign_up(client, email):
    return client.post(
        reverse("account_signup"),
        {
            "full_name": "Quinn Newstarter",
            "email": email,
            "password1": "a-long-pass-phrase-7",
            "password2": "a-long-pass-phrase-7",
        },
    )


@pytest.mark.django_db
def test_the_sign_up_email_names_the_site_and_its_link_confirms_the_address(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, "quinn@council.example")
    (message,) = mail.outbox
    assert message.to == ["quinn@council.example"]
    body = _read(message)
    assert "Quinn Newstarter has given your email address" in body
    assert "register an account on i2i.example.nhs.uk" in body
    link = _link(body, "/accounts/confirm-email/")
    page = client.get(link)
    assert page.status_code == 200
    with _two_different_address_lookups():
        client.post(link)
    assert EmailAddress.objects.get(email="quinn@council.example").verified


def test_signing_up_again_with_a_known_address_emails_the_owner_how_to_get_back_in(
    client, world, django_capture_on_commit_callbacks
):
    email = world.sponsor.email
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, email)
    (message,) = mail.outbox
    assert message.to == [email]
    body = _read(message)
    assert email in body  # the address someone tried to sign up with
    link = _link(body, reverse("account_reset_password"))
    assert client.get(link).status_code == 200
    assert User.objects.filter(email__iexact=email).count() == 1


def test_the_password_reset_email_names_the_site_and_its_link_resets_the_password(
    client, world, django_capture_on_commit_callbacks
):
    user = world.sponsor
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    (message,) = mail.outbox
    assert message.to == [user.email]
    body = _read(message)
    assert body.startswith(f"Hello from {SITE_NAME}!")
    assert f"Thank you for using {SITE_NAME}!" in body
    link = _link(body, "/accounts/password/reset/key/")
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(
        form_url, {"password1": "a-new-pass-phrase-9", "password2": "a-new-pass-phrase-9"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-pass-phrase-9")


def test_a_password_reset_for_an_unknown_address_says_so_and_links_to_sign_up(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "nobody@nowhere.example"})
    (message,) = mail.outbox
    assert message.to == ["nobody@nowhere.example"]
    body = _read(message)
    assert "nobody@nowhere.example" in body  # the address that has no account
    link = _link(body, reverse("account_signup"))
    assert client.get(link).status_code == 200


def test_adding_an_address_emails_a_confirmation_that_works(
    client, world, django_capture_on_commit_callbacks
):
    user = world.line_manager
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_email"), {"email": "lee.second@trust.example", "action_add": ""}
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["lee.second@trust.example"]
    body = _read(message)
    assert "register an account on i2i.example.nhs.uk" in body
    link = _link(body, "/accounts/confirm-email/")
    with _two_different_address_lookups():
        client.post(link)
    assert EmailAddress.objects.get(email="lee.second@trust.example").verified


ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"


def _every_allauth_email() -> list[str]:
    return sorted(
        str(path.relative_to(ALLAUTH_TEMPLATES)).removesuffix("_subject.txt")
        for app in ("account", "mfa")  # the allauth apps installed
        for path in (ALLAUTH_TEMPLATES / app / "email").glob("*_subject.txt")
    )


@pytest.mark.parametrize("prefix", _every_allauth_email())
def test_every_allauth_email_names_the_site_and_its_address(
    world, prefix, django_capture_on_commit_callbacks
):
    user = world.line_manager
    request = RequestFactory().get("/")
    request.user = user
    context = {
        "user": user,
        "code": "ABC123",
        "key": "KEY",
        "activate_url": f"{SITE_URL}/accounts/confirm-email/KEY/",
        "password_reset_url": f"{SITE_URL}/accounts/password/reset/key/1-KEY/",
        "signup_url": f"{SITE_URL}/accounts/signup/",
        "from_email": "old@trust.example",
        "to_email": "new@trust.example",
        "deleted_email": "old@trust.example",
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
    }
    with request_context(request), django_capture_on_commit_callbacks(execute=True):
        AccountAdapter(request).send_mail(prefix, user.email, context)
    (message,) = mail.outbox
    body = _read(message)
    assert "{{" not in body and "{%" not in body
