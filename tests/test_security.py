"""Security controls: session lifetime, the required second factor, login rate limits and
the headers on every page."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD
from tests.test_url_walk import ALL_PATTERNS, _sample_path


def test_a_session_ends_after_thirty_minutes_idle(client, world):
    client.force_login(world.line_manager)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["i2i_seen"] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("cohort_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/cohorts/" in response["Location"]
    assert client.get(reverse("home")).status_code == 302  # signed out


def test_a_session_ends_after_twelve_hours_in_all(client, world):
    client.force_login(world.line_manager)
    client.get(reverse("home"))
    session = client.session
    session["i2i_started"] = time.time() - 12 * 3600 - 60
    session.save()
    assert client.get(reverse("home")).status_code == 302


def test_an_active_session_carries_on(client, world):
    client.force_login(world.line_manager)
    client.get(reverse("home"))
    session = client.session
    session["i2i_seen"] = time.time() - 29 * 60
    session.save()
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("who", ["programme_manager", "education_lead"])
def test_roles_with_wide_access_must_set_up_a_second_factor(client, world, settings, who):
    settings.MFA_REQUIRED_FOR_ROLES = True
    user = getattr(world, who)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code in {200, 302}
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(reverse("home")).status_code == 200


def test_other_roles_are_not_forced_to_enrol(client, world, settings):
    settings.MFA_REQUIRED_FOR_ROLES = True
    client.force_login(world.line_manager)
    assert client.get(reverse("home")).status_code == 200


def _attempt(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.fixture
def rate_limited(settings):
    """allauth's own limits, on a real cache."""
    del settings.ACCOUNT_RATE_LIMITS
    cache.clear()
    yield
    cache.clear()


def test_five_failures_lock_the_email_even_for_the_right_password(client, world, rate_limited):
    email = world.sponsor.email
    for _ in range(5):
        assert _attempt(client, email, "wrong-password").status_code == 200
    response = _attempt(client, email, PASSWORD)
    assert response.status_code in {200, 429}
    assert "_auth_user_id" not in client.session
    assert b"Too many failed login attempts" in response.content


@pytest.mark.redis
def test_the_lock_holds_on_redis_across_processes(client, world, settings, rate_limited):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"test-{time.time_ns()}",
        }
    }
    email = world.sponsor.email
    for _ in range(5):
        _attempt(client, email, "wrong-password")
    assert "_auth_user_id" not in client.session
    _attempt(client, email, PASSWORD)
    assert "_auth_user_id" not in client.session


def test_every_page_sends_the_security_headers(client, world):
    client.force_login(world.programme_manager)
    checked = 0
    for pattern, name in ALL_PATTERNS:
        if name == "account_logout":
            continue
        response = client.get(_sample_path(pattern, world.participant.pk))
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        checked += 1
        policy = response["Content-Security-Policy"]
        directives = dict(
            (d.strip().split(" ", 1) + [""])[:2] for d in policy.split(";") if d.strip()
        )
        assert "'unsafe-inline'" not in directives["script-src"], pattern
        assert directives["object-src"] == "'none'"
        assert directives["base-uri"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode()), pattern
    assert checked > 20
