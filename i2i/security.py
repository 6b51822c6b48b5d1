"""Session lifetime and the second factor for the roles that see many people's records (an
authenticator app, or the organisation's own second factor at single sign-on)."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from allauth.account.signals import user_logged_in as allauth_user_logged_in
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.dispatch import receiver
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from i2i.access import roles_for

# Set at sign-in: the organisation's provider says this person used a second factor.
PROVIDER_MFA = "i2i_mfa_by_provider"

# Paths a signed-in user can always reach: the account pages (to enrol a second factor or
# sign out), static files and the health check.
_ALWAYS = ("/accounts/", "/static/", "/healthz")


class SessionTimeoutMiddleware:
    """Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS in all
    (OWASP ASVS 3.3); the person signs in again and returns to the page they asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.setdefault("i2i_started", now)
            seen = request.session.get("i2i_seen", now)
            idle = now - seen > settings.SESSION_IDLE_MINUTES * 60
            too_long = now - started > settings.SESSION_MAX_HOURS * 3600
            if idle or too_long:
                logout(request)
                messages.info(request, "You were signed out to keep records safe. Sign in again.")
                return redirect_to_login(request.get_full_path())
            # Write at most once a minute: an idle limit in minutes needs no finer record,
            # and most requests then save no session at all.
            if now - seen >= 60 or "i2i_seen" not in request.session:
                request.session["i2i_seen"] = now
        return self.get_response(request)


class HtmxSignInMiddleware:
    """An htmx request that must sign in first (the session timed out, or there is none) gets
    `HX-Redirect` to the sign-in page, coming back to the page the person was on.

    A bare 302 would be followed inside htmx's request, and the sign-in page swapped into a
    fragment: a status line, a decision panel. It sits outside SessionTimeoutMiddleware, and
    LoginRequiredMiddleware answers from inside the view stack, so both redirects pass
    through here. The page to return to is htmx's `HX-Current-URL` (the fragment's own URL
    is no page to come back to), and only when it is on this site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") == "true"
            and response.status_code == 302
            and urlsplit(response.get("Location", "")).path == resolve_url(settings.LOGIN_URL)
        ):
            redirect_ = HttpResponseClientRedirect(_sign_in_url(request))
            redirect_.cookies = response.cookies  # any cookie set on the way out goes too
            return redirect_
        return response


def _sign_in_url(request) -> str:
    login_url = resolve_url(settings.LOGIN_URL)
    current = HtmxDetails(request).current_url or ""
    if not url_has_allowed_host_and_scheme(
        current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return login_url
    parts = urlsplit(current)
    if not parts.netloc or not parts.path.startswith("/"):
        return login_url
    page = parts.path + (f"?{parts.query}" if parts.query else "")
    return redirect_to_login(page, login_url)["Location"]


class RequireSecondFactorMiddleware:
    """allauth offers TOTP but does not insist on it. The programme manager and education
    leads see many people's records, so when MFA_REQUIRED_FOR_ROLES is on they are sent to
    set up an authenticator app before anything else, unless they signed in through their
    organisation's provider and it says they used a second factor there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.MFA_REQUIRED_FOR_ROLES and self._needs_enrolment(request):
            messages.info(
                request,
                "Your role gives you access to many people's records, so set up an "
                "authenticator app to continue.",
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _needs_enrolment(request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(_ALWAYS):
            return False
        if request.session.get(PROVIDER_MFA):
            return False
        from allauth.mfa.models import Authenticator

        roles = roles_for(user)
        if not (roles.programme_manager or roles.education_lead):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@receiver(user_logged_in)
def _session_starts(sender, request, user, **kwargs):
    """The clock for both limits starts at sign-in."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session["i2i_started"] = now
        request.session["i2i_seen"] = now


@receiver(allauth_user_logged_in)
def _second_factor_at_provider(sender, request, user, sociallogin=None, **kwargs):
    """A single sign-on whose ID token's `amr` (authentication methods) includes "mfa", as
    Microsoft Entra ID sends after a second factor, counts as the second factor for this
    session; a password sign-in, or a provider's without it, does not."""
    id_token = sociallogin.account.extra_data.get("id_token") if sociallogin else None
    amr = id_token.get("amr") if isinstance(id_token, dict) else None
    request.session[PROVIDER_MFA] = isinstance(amr, list) and "mfa" in amr


# C0 and C1 control characters and DEL, except tab, line feed and carriage return (which a
# search pasted from a spreadsheet or an email can carry, and which do no harm).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class RefuseControlCharactersMiddleware:
    """A query string holding a control character gets the plain 400 page ("We could not
    read that"), whatever page it is for.

    No filter, search or page number a person types contains a NUL or an escape, and
    PostgreSQL cannot hold a NUL in text at all: `/organisations/?q=a%00b` was a
    `psycopg.DataError` (a 500). Refusing here covers every view, the admin's and allauth's
    included, and every parameter a page adds later; cleaning the values instead would
    search for something other than what was sent, without saying so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            _CONTROL.search(key) or any(_CONTROL.search(value) for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("A control character in the query string.")
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """A request body larger than DATA_UPLOAD_MAX_MEMORY_SIZE gets the "too much to send"
    400 page before anything reads it.

    Django's own limit counts a form's fields but not the files in it, so a 5 MB file
    posted to any form was read and stored in a temporary file. The product takes no
    uploads, so the whole body is held to the same limit. A body sent without a length
    (chunked) is read through Django's limit as before. A page that takes a file (an
    initiative's attachment) declares its own limit on its view, `max_request_size` (a number
    of bytes, or a function giving one); a file over the page's own limit then reaches its
    form, which says so next to the field."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > max(limit, declared_limit(request)):
            raise RequestDataTooBig("The request body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE.")
        return self.get_response(request)


def declared_limit(request) -> int:
    """The body the page's view says it takes (0: the usual limit). Looked up only for a
    body over the usual limit, so other requests pay nothing for it."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return 0
    declared = getattr(match.func, "max_request_size", 0)
    # A callable reads its settings when asked (a setting changed since start-up counts).
    return declared() if callable(declared) else declared


class NoStoreForSignedInMiddleware:
    """Every response to a signed-in person (pages, fragments, CSV and PDF downloads) says
    `Cache-Control: no-store`, so that neither a shared computer's browser cache nor a proxy
    keeps a copy of someone's records after they sign out (OWASP ASVS 8.2.1). Pages for
    people not signed in (sign-in, the privacy notice) may be cached as before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = _signed_in(request)
        response = self.get_response(request)
        if signed_in or _signed_in(request):
            add_never_cache_headers(response)
        return response


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated
