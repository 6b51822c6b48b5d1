from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from i2i import security


def bad_request(request, exception):
    """Say plainly when a form was too large to accept, so the person knows to shorten it
    (their text is still in the page they came from: nothing was saved)."""
    too_large = isinstance(exception, RequestDataTooBig)
    limit = max(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, security.declared_limit(request))
    limit_mb = limit / (1024 * 1024)
    return render(request, "400.html", {"too_large": too_large, "limit_mb": limit_mb}, status=400)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _redis_ok() -> bool:
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
        )
        return bool(client.ping())
    except redis.RedisError:
        return False


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For load balancers and uptime checks: is the database reachable, and Redis if used."""
    checks = {"database": "ok" if _database_ok() else "unreachable"}
    if settings.REDIS_URL:
        checks["redis"] = "ok" if _redis_ok() else "unreachable"
    else:
        checks["redis"] = "not configured"
    healthy = all(value in {"ok", "not configured"} for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
