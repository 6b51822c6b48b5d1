"""Host people sign in with an emailed code, through allauth's login by code (issue #20):
no password, no second factor, and they land on their visits."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from zeal import zeal_ignore

from i2i.models import AuditEvent
from participants.models import User
from placements import hosting
from tests.factories import HostPersonFactory, OrganisationFactory


def _code(message) -> str:
    """The code from allauth's email (templates/account/email/login_code_message.txt)."""
    return re.search(r"Your sign-in code is:\s+(\S+)", message.body).group(1)


@pytest.fixture
def host(world, django_capture_on_commit_callbacks):
    """A host person the programme manager added: an account with no password."""
    organisation = OrganisationFactory(name="Larkhill Care Home", sector="care_home")
    with django_capture_on_commit_callbacks(execute=True):
        person = hosting.host_person_add(
            organisation=organisation,
            email="Robin.Host@larkhill.example",
            full_name="Robin Host",
            by=world.programme_manager,
        )
    mail.outbox.clear()
    return person


def _first_sign_in():
    """Signing in by code verifies the address (or checks it is verified): allauth reads it,
    then the user's primary address, two different `EmailAddress.objects.get()` calls that
    zeal attributes to the same line of ours (the middleware that calls the view) and takes
    for an N+1 (as in tests/test_emails.py). No loop is involved."""
    return zeal_ignore([{"model": "account.EmailAddress", "field": "get()"}])


def _request_code(client, email, capture):
    with capture(execute=True):
        response = client.post(reverse("account_request_login_code"), {"email": email})
    return response


def test_it_signs_a_host_in_with_a_code_and_lands_on_their_visits(
    client, host, settings, django_capture_on_commit_callbacks
):
    # Even where the roles that see many records must use a second factor, a host does not.
    settings.MFA_REQUIRED_FOR_ROLES = True
    user = host.user
    assert not user.has_usable_password()
    response = _request_code(
        client, "robin.host@larkhill.example", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    (message,) = mail.outbox
    assert message.to == ["robin.host@larkhill.example"]
    assert message.subject == "[I2I Cohorts] Your sign-in code"
    page = client.get(reverse("account_confirm_login_code"))
    assert "robin.host@larkhill.example" in page.content.decode()

    with _first_sign_in():
        response = client.post(
            reverse("account_confirm_login_code"), {"code": _code(message)}, follow=True
        )
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert response.wsgi_request.user == user
    html = response.content.decode()  # the host's home: their visits, and what to do next
    assert "Visits you host" in html
    assert reverse("host_visits", args=[host.organisation_id]) in html
    assert "Visits to Larkhill Care Home" in html
    # The address is verified by the code, and the sign-in is in the audit trail.
    assert EmailAddress.objects.get(user=user).verified
    assert AuditEvent.objects.filter(action="sign_in", actor=user).exists()


def test_the_home_page_of_a_host_shows_their_visits_section(client, host):
    client.force_login(host.user)
    html = client.get(reverse("home")).content.decode()
    assert "Visits you host" in html
    assert reverse("host_visits", args=[host.organisation_id]) in html


def test_a_wrong_code_is_refused_next_to_the_box(client, host, django_capture_on_commit_callbacks):
    _request_code(client, host.user.email, django_capture_on_commit_callbacks)
    response = client.post(reverse("account_confirm_login_code"), {"code": "NOT-IT"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "Enter the sign-in code from the latest email we sent you"
    ]
    assert not response.wsgi_request.user.is_authenticated


def test_an_empty_email_says_what_to_enter(client, db):
    response = client.post(reverse("account_request_login_code"), {"email": ""})
    assert response.context["form"].errors["email"] == ["Enter your email address"]
    assert "This field is required" not in response.content.decode()


def test_an_unknown_address_is_not_given_away(client, db, django_capture_on_commit_callbacks):
    """The same next page as for a real address (ACCOUNT_PREVENT_ENUMERATION), and no code."""
    response = _request_code(client, "nobody@nowhere.example", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    assert all("sign-in code is" not in m.body for m in mail.outbox)


def test_the_code_pages_use_the_account_layout(client, host, django_capture_on_commit_callbacks):
    html = client.get(reverse("account_request_login_code")).content.decode()
    assert re.search(r"<h1[^>]*>\s*Sign in with a code\s*</h1>", html)
    assert re.search(r"<button[^>]*>\s*Email me a code\s*</button>", html)
    assert re.search(r"<label[^>]*>\s*Email address\s*</label>", html)
    assert "placeholder=" not in html and "Request Code" not in html
    _request_code(client, host.user.email, django_capture_on_commit_callbacks)
    html = client.get(reverse("account_confirm_login_code")).content.decode()
    assert re.search(r"<h1[^>]*>\s*Enter your sign-in code\s*</h1>", html)
    assert re.search(r"<label[^>]*>\s*Sign-in code\s*</label>", html)
    assert re.search(r"<button[^>]*>\s*Sign in\s*</button>", html)
    assert "Enter Sign-In Code" not in html


def test_a_person_with_a_password_may_sign_in_by_code_too(
    client, world, django_capture_on_commit_callbacks
):
    user = world.line_manager
    _request_code(client, user.email, django_capture_on_commit_callbacks)
    with _first_sign_in():
        response = client.post(
            reverse("account_confirm_login_code"), {"code": _code(mail.outbox[0])}
        )
    assert response.status_code == 302
    assert response.wsgi_request.user == User.objects.get(pk=user.pk)


def test_an_education_lead_signing_in_by_code_still_sets_up_a_second_factor(
    client, world, settings, django_capture_on_commit_callbacks
):
    """The code is one factor, as a password is: the roles that see many people's records
    still set up an authenticator app."""
    settings.MFA_REQUIRED_FOR_ROLES = True
    HostPersonFactory(user=world.education_lead)
    _request_code(client, world.education_lead.email, django_capture_on_commit_callbacks)
    with _first_sign_in():
        response = client.post(
            reverse("account_confirm_login_code"), {"code": _code(mail.outbox[0])}, follow=True
        )
    assert (reverse("mfa_activate_totp"), 302) in response.redirect_chain


def test_a_host_who_leads_education_without_a_password_sets_up_the_app_after_the_code(
    client, world, settings, django_capture_on_commit_callbacks
):
    """A host person made an education lead has no password to confirm: the code they have
    just signed in with counts as a recent sign-in, so the authenticator app is offered
    straight away, not a password they never had."""
    settings.MFA_REQUIRED_FOR_ROLES = True
    lead = world.education_lead
    lead.set_unusable_password()
    lead.save(update_fields=["password"])
    HostPersonFactory(user=lead)
    _request_code(client, lead.email, django_capture_on_commit_callbacks)
    with _first_sign_in():
        response = client.post(
            reverse("account_confirm_login_code"), {"code": _code(mail.outbox[0])}, follow=True
        )
    assert response.redirect_chain[-1] == (reverse("mfa_activate_totp"), 302)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'src="data:image/svg+xml' in html
    assert 'name="password"' not in html


def test_later_in_the_session_the_app_is_still_offered_without_a_password(client, world):
    """Past the minutes a sign-in counts as recent, allauth asks a person with a password
    for it again before a change to the account; a host who leads education has none to
    give, and is offered the authenticator app without being asked for one."""
    lead = world.education_lead
    lead.set_unusable_password()
    lead.save(update_fields=["password"])
    HostPersonFactory(user=lead)
    client.force_login(lead)  # no recent sign-in recorded
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'src="data:image/svg+xml' in html
    assert 'name="password"' not in html
