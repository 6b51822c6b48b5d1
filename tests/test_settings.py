"""Production settings pass Django's deployment checklist; the local default needs nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clock import subprocess_env

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7-production-like-secret-key-for-the-deploy-check-0123456789abcdef",
    "ALLOWED_HOSTS": "i2i.partnership.example",
    "DATABASE_URL": "postgres://i2i@127.0.0.1:5432/i2i",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_HOST": "smtp.partnership.example",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    inherited = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    # The product's own settings, as in production: not the suite's (tests/settings.py).
    clean["DJANGO_SETTINGS_MODULE"] = "i2i.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=subprocess_env({**clean, **env}),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_check_passes_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "-c jit=off"),
        ("?options=-c%20search_path%3Dpublic", "-c search_path=public -c jit=off"),
    ],
)
def test_jit_is_turned_off_beside_any_options_the_database_url_carries(query, expected):
    env = {**PRODUCTION_ENV, "DATABASE_URL": PRODUCTION_ENV["DATABASE_URL"] + query}
    script = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = _manage("shell", "--no-imports", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr({"options": expected})


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_is_refused_loudly():
    result = _manage("check", env={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be" in result.stderr


@pytest.mark.parametrize("count", ["-1", "two"])
def test_a_trusted_proxy_count_that_is_not_a_count_is_refused_loudly(count):
    """Behind a proxy, a wrong count would key sign-in limits and the audit trail on the
    wrong address: better not to start."""
    result = _manage("check", env={"TRUSTED_PROXY_COUNT": count})
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr


def test_the_content_security_policy_forbids_inline_scripts(client, world):
    client.force_login(world.participant.user)
    policy = client.get("/")["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert script_src.split()[1:] == ["'self'"]
    assert "default-src 'self'" in policy


@pytest.mark.django_db
def test_make_runs_first_steps_work_on_a_fresh_sqlite_file(tmp_path):
    """What `make run` does before serving: migrate and load the demo, twice (idempotent)."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}
    assert _manage("migrate", "--no-input", env=env).returncode == 0
    first = _manage("demo", env=env)
    second = _manage("demo", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert "programme.manager@partnership.example" in first.stdout
