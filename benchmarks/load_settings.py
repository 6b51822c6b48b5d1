"""Settings for the load test only (`benchmarks/load.py`): production's, over plain HTTP on
loopback.

The runner sets DEBUG=0, a throwaway SECRET_KEY, ALLOWED_HOSTS=127.0.0.1 and the services in
the environment, as a deployment would. This module changes only what a loopback run without
TLS, driven by a program, cannot work with: HTTPS redirects, HSTS and secure-only cookies
(there is no TLS), sign-in rate limits (fifty users sign in from one address within
seconds) and the enforced second factor (a load generator cannot type a TOTP code). It also
adds a trivial view (`load_urls`) as the floor a page's throughput is compared with, and
keeps collected static files out of the repository.
"""

import os
from pathlib import Path

from i2i.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.load_urls"
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ACCOUNT_RATE_LIMITS = False
MFA_REQUIRED_FOR_ROLES = False
STATIC_ROOT = Path(os.environ.get("LOAD_STATIC_ROOT", "/tmp/i2i_load/static"))
