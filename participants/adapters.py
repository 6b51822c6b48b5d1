"""allauth hooks: its emails (verification, password reset) go through Celery."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings

from i2i.emails import send_later

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
