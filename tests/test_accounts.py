"""Signing in, signing up, email verification and password reset, through allauth."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from participants.models import User
from tests.factories import PASSWORD


def test_a_person_signs_in_with_their_email_in_any_case(client, world):
    user = world.line_manager
    response = client.post(
        reverse("account_login"), {"login": user.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


WRONG_SIGN_IN = "Enter a correct email address and password"


def _title(html: str) -> str:
    """The page's title as a browser reads it, spaces and line breaks collapsed."""
    return " ".join(re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1).split())


def test_a_wrong_password_is_explained_once_and_the_email_kept(client, world):
    """One message, in plain words, shown once: in the error summary, linked to the email
    address box (not a second time above the fields)."""
    response = client.post(
        reverse("account_login"), {"login": world.line_manager.email, "password": "nope"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [WRONG_SIGN_IN]
    html = response.content.decode()
    assert html.count(WRONG_SIGN_IN) == 1
    assert f'<a href="#id_login">{WRONG_SIGN_IN}</a>' in html
    assert 'id="id_login"' in html
    assert "and/or" not in html
    assert "not correct" not in html
    assert f'value="{world.line_manager.email}"' in html


def test_an_unknown_email_address_reads_the_same_as_a_wrong_password(client, db):
    response = client.post(
        reverse("account_login"), {"login": "nobody@trust.example", "password": "nope"}
    )
    html = response.content.decode()
    assert html.count(WRONG_SIGN_IN) == 1


def test_the_sign_in_page_is_in_sentence_case(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert _title(html) == "Sign in – I2I Cohorts"
    assert re.search(r"<h1[^>]*>\s*Sign in\s*</h1>", html)
    assert re.search(r"<button[^>]*type=\"submit\"[^>]*>\s*Sign in\s*</button>", html)
    assert re.search(r"<label[^>]*>\s*Email address\s*</label>", html)
    assert re.search(r"<label[^>]*>\s*Remember me\s*</label>", html)
    assert f'<a href="{reverse("account_reset_password")}">Forgot your password?</a>' in html
    for old in ("Sign In", "Sign Up", "Remember Me", "asteriskField", "*</", "placeholder="):
        assert old not in html, old


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("account_signup", "Sign up"),
        ("account_reset_password", "Reset your password"),
    ],
)
def test_the_account_pages_are_in_sentence_case(client, db, url, title):
    html = client.get(reverse(url)).content.decode()
    assert _title(html) == f"{title} – I2I Cohorts"
    for old in (
        "Sign In",
        "Sign Up",
        "Password Reset",
        "Reset My Password",
        "asteriskField",
        "placeholder=",
    ):
        assert old not in html, old


def test_the_password_pages_for_a_signed_in_person_are_in_sentence_case(client, world):
    client.force_login(world.line_manager)
    html = client.get(reverse("account_change_password")).content.decode()
    assert _title(html) == "Change password – I2I Cohorts"
    assert "Change Password" not in html
    html = client.get(reverse("account_logout")).content.decode()
    assert _title(html) == "Sign out – I2I Cohorts"
    assert "Sign Out" not in html


def test_an_empty_sign_in_says_what_to_enter(client, db):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    errors = response.context["form"].errors
    assert errors["login"] == ["Enter your email address"]
    assert errors["password"] == ["Enter your password"]
    assert "This field is required" not in response.content.decode()


def test_an_empty_password_reset_says_what_to_enter(client, db):
    response = client.post(reverse("account_reset_password"), {"email": ""})
    assert response.context["form"].errors["email"] == ["Enter your email address"]


def test_after_sign_in_a_person_returns_to_what_they_were_doing(client, world):
    target = reverse("cohort_detail", args=[world.participant.cohort.pk])
    response = client.get(target)
    assert response.status_code == 302
    login_url = response["Location"]
    response = client.post(login_url, {"login": world.line_manager.email, "password": PASSWORD})
    assert response["Location"] == target


@pytest.mark.django_db
def test_signing_up_asks_for_a_name_and_verifies_the_email_through_celery(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "full_name": "Quinn Newstarter",
                "email": "quinn@council.example",
                "password1": "a-long-pass-phrase-7",
                "password2": "a-long-pass-phrase-7",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="quinn@council.example")
    assert user.full_name == "Quinn Newstarter"
    assert len(mail.outbox) == 1  # sent by the send_email task after commit
    assert mail.outbox[0].to == ["quinn@council.example"]
    assert "[I2I Cohorts]" in mail.outbox[0].subject


def test_password_reset_emails_a_link_that_works(client, world, django_capture_on_commit_callbacks):
    user = world.sponsor
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", message.body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(
        form_url, {"password1": "a-new-pass-phrase-9", "password2": "a-new-pass-phrase-9"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-pass-phrase-9")


def test_two_factor_authentication_asks_for_the_password_again_then_offers_totp(client, world):
    client.force_login(world.programme_manager)
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    html = response.content.decode()
    assert "Authenticator" in html
    assert 'src="data:image/svg+xml' in html  # the QR code is inline, not fetched from elsewhere


def test_asked_for_the_password_again_they_are_told_why(client, world):
    client.force_login(world.programme_manager)
    url = reverse("account_reauthenticate")
    html = client.get(url).content.decode()
    assert _title(html) == "Confirm it is you – I2I Cohorts"
    assert "Confirm Access" not in html and "reauthenticate to safeguard" not in html
    label = re.search(r"<label[^>]*>\s*Password\s*</label>", html).start()
    hint = html.index("Enter your password again to continue.")
    field = html.index('name="password"')
    assert label < hint < field  # the hint sits under the label, above the box
    assert "We ask before changes to your account." in html
    assert re.search(r"<button[^>]*>\s*Continue\s*</button>", html)
    response = client.post(url, {"password": "not-it"})
    assert response.context["form"].errors["password"] == ["Enter the password you sign in with"]
    # Once in the error summary and once by the box.
    assert response.content.decode().count("Enter the password you sign in with") == 2


def test_sign_in_by_code_is_on_and_its_pages_are_ours(client, db):
    """Host people sign in with an emailed code (issue #20): the sign-in page offers it, and
    its two pages are our copies in the account pages' layout, not allauth's."""
    from django.conf import settings
    from django.template.loader import get_template

    assert settings.ACCOUNT_LOGIN_BY_CODE_ENABLED
    for name in ("account/request_login_code.html", "account/confirm_login_code.html"):
        assert "/allauth/templates/" not in get_template(name).origin.name
    html = client.get(reverse("account_login")).content.decode()
    assert "Sign in with a code sent by email" in html
    assert reverse("account_request_login_code") in html


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("account_reset_password_done", "Check your email"),
        ("account_email_verification_sent", "Confirm your email address"),
        ("account_reset_password_from_key_done", "Password changed"),
    ],
)
def test_the_account_pages_share_one_layout(client, db, url, heading):
    html = client.get(reverse(url)).content.decode()
    assert _title(html) == f"{heading} – I2I Cohorts"
    assert re.search(rf"<h1[^>]*>\s*{heading}\s*</h1>", html)
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count("<h1") == 1
