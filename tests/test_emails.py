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

from i2i.celery import app
from i2i.emails import send_email
from i2i.models import Notification
from participants.adapters import AccountAdapter
from participants.models import User
from tests.mailservers import RecipientRefusingServer, closed_port, use_smtp

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


# When the mail server will not take a message ------------------------------------------------
# Django's SMTP backend talks to a real socket on 127.0.0.1: a closed port, or a small server
# that refuses the recipient (tests/mailservers.py). Tasks run in-process (eagerly).


@pytest.fixture
def retried_in_process():
    """Celery retries an eager task in-process (at once, with no back-off wait) only when its
    errors do not propagate; the suite propagates them (tests/conftest.py)."""
    saved = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = saved


def _notification(user, subject: str) -> Notification:
    return Notification.objects.create(
        recipient=user, kind="briefing", key=f"test:{subject}", subject=subject, body="Hello"
    )


def test_a_recipient_refused_for_good_is_not_tried_again_and_its_notification_says_why(
    world, settings
):
    notification = _notification(world.participant.user, "[I2I Cohorts] Briefing")
    with RecipientRefusingServer("550 5.1.1 <pat@trust.example>: User unknown") as server:
        use_smtp(settings, server.port)
        with pytest.raises(Exception, match="User unknown"):
            send_email.delay(
                subject=notification.subject,
                body="Hello",
                to=[world.participant.user.email],
                notification_id=notification.pk,
            )
    assert server.connections == 1  # a refusal for good (5xx) is not retried
    notification.refresh_from_db()
    assert notification.failed_at is not None
    assert notification.failure == (
        f"The mail server refused it: {world.participant.user.email}: "
        "550 5.1.1 <pat@trust.example>: User unknown"
    )


def test_a_server_that_says_try_later_is_tried_six_times_then_given_up_on(
    world, settings, retried_in_process
):
    notification = _notification(world.participant.user, "[I2I Cohorts] Briefing")
    with RecipientRefusingServer("421 4.7.0 Too busy, try again later") as server:
        use_smtp(settings, server.port)
        result = send_email.delay(
            subject=notification.subject,
            body="Hello",
            to=[world.participant.user.email],
            notification_id=notification.pk,
        )
    assert result.failed()
    assert server.connections == 6  # the first try and five retries
    notification.refresh_from_db()
    assert notification.failed_at is not None
    assert notification.failure.startswith("Not sent after 6 tries: SMTPRecipientsRefused")
    assert "421" in notification.failure and "try again later" in notification.failure


def test_a_message_queued_before_notification_ids_is_matched_by_recipient_and_subject(
    world, settings, retried_in_process
):
    """Messages already on the queue when this was deployed carry no `notification_id`."""
    user = world.participant.user
    other = _notification(user, "[I2I Cohorts] Workshop")
    older = _notification(user, "[I2I Cohorts] Briefing")
    older.key = "older"
    older.save()
    newer = _notification(user, "[I2I Cohorts] Briefing")
    use_smtp(settings, closed_port())
    queued_before = {"subject": "[I2I Cohorts] Briefing", "body": "Hello", "to": [user.email]}
    assert send_email.delay(**queued_before).failed()
    failed = Notification.objects.filter(failed_at__isnull=False)
    assert list(failed) == [newer]  # the latest one with that recipient and subject
    assert {older.pk, other.pk}.isdisjoint(n.pk for n in failed)
    assert failed[0].failure.startswith("Not sent after 6 tries: could not connect to the mail")


def test_an_email_that_is_no_notification_fails_without_marking_any(
    world, settings, retried_in_process
):
    _notification(world.participant.user, "[I2I Cohorts] Briefing")
    use_smtp(settings, closed_port())
    other = {"subject": "[I2I Cohorts] Briefing", "body": "Hi", "to": [world.sponsor.email]}
    assert send_email.delay(**other).failed()
    assert not Notification.objects.filter(failed_at__isnull=False).exists()


def test_an_action_whose_email_fails_still_commits_and_is_not_sent_again(
    client, db, settings, django_capture_on_commit_callbacks
):
    """With no queue (eager), the failed task is not mistaken for an unreachable queue and
    sent again: the action stands, and the failure is logged."""
    with RecipientRefusingServer("421 4.7.0 Too busy") as server:
        use_smtp(settings, server.port)
        with django_capture_on_commit_callbacks(execute=True):
            _sign_up(client, "quinn@council.example")
    assert server.connections == 1
    assert User.objects.filter(email="quinn@council.example").exists()
