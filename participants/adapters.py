"""allauth hooks: its emails (verification, password reset) go through Celery; single sign-on
trusts a provider's email address only when the provider verified it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from i2i.emails import send_later
from i2i.proxies import client_ip

# What allauth's emails call the product ("Hello from …!"), as our own emails sign off.
SITE_NAME = "I2I Cohorts"


@dataclass(frozen=True)
class EmailSite:
    """What allauth's templates read as `current_site`. Without the Sites framework allauth
    would fall back to the request's host for both name and domain; the product's name and
    SITE_URL are what a person should see, and they are the same whichever host the request
    came in on."""

    name: str
    domain: str

    def __str__(self) -> str:
        return self.domain


def email_site() -> EmailSite:
    return EmailSite(name=SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """The address sign-in limits count by: the audit trail's (`i2i.proxies`), so that
        behind the proxy each client has its own limit. allauth's own reading raises on a
        short or malformed X-Forwarded-For; ours ignores it and counts the connection."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def send_mail(self, template_prefix, email, context):
        """allauth's own `send_mail` builds the context its templates need (the site, the
        address) and then sends in the request; ours builds the same context, points every
        link at SITE_URL, and hands the message to Celery after commit."""
        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": email_site(),
            "site_url": settings.SITE_URL,
        }
        ctx.update(context)
        ctx = {key: _on_site(value, request) for key, value in ctx.items()}
        message = self.render_mail(template_prefix, email, ctx)
        send_later(message)


def _on_site(value, request):
    """A link allauth built from the request (`http://host/accounts/…`) on SITE_URL instead:
    the address people know, with the scheme it really has behind the proxy."""
    if not isinstance(value, str) or request is None:
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or parts.netloc != request.get_host():
        return value
    return settings.SITE_URL + parts._replace(scheme="", netloc="").geturl()


UNVERIFIED_EMAIL = (
    "{provider} did not confirm that your email address is yours, so you cannot sign in "
    "with it here. Sign in with your email address and password, or ask your "
    "organisation's IT service desk to confirm your email address."
)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on (docs/security.md): a provider's address is trusted only when verified.

    allauth already matches existing accounts by verified addresses only
    (SOCIALACCOUNT_EMAIL_AUTHENTICATION); without this check an unverified address would
    still create a new account with it, or sign in an account linked before. A first
    sign-in with a verified address nobody has creates the account, as sign-up is open."""

    def pre_social_login(self, request, sociallogin):
        if not any(address.verified for address in sociallogin.email_addresses):
            messages.error(request, UNVERIFIED_EMAIL.format(provider=sociallogin.provider.name))
            raise ImmediateHttpResponse(redirect(settings.LOGIN_URL))

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            filter(None, (data.get("first_name"), data.get("last_name")))
        )
        # A name is one line of printable text, whatever the provider sends.
        printable = "".join(ch if ch.isprintable() else " " for ch in name or "")
        user.full_name = " ".join(printable.split())[:150]
        return user
