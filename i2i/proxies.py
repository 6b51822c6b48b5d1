"""Who the client is. Behind TRUSTED_PROXY_COUNT proxies of ours, each appends the address it
saw to X-Forwarded-For, so the client's is that many entries from the right; anything to
the left of it was sent by the client and may be made up. The audit trail and allauth's
sign-in limits both ask here, so that they agree on who someone is."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _address(value: str | None) -> str | None:
    """The address in its standard form, or None if the value is not one."""
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: the trusted entry of X-Forwarded-For, or the connection's own
    address (REMOTE_ADDR) with no proxy, too few entries or an entry that is not an address.
    A forwarded value never causes an error; it is used only where a proxy of ours wrote it."""
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        entries = forwarded.split(",")
        if len(entries) >= proxies:
            trusted = _address(entries[-proxies])
            if trusted:
                return trusted
    return _address(request.META.get("REMOTE_ADDR"))
