import json

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_it_reports_the_database_without_signing_in(client, settings):
    settings.REDIS_URL = ""
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "database": "ok",
        "redis": "not configured",
    }


@pytest.mark.django_db
def test_it_fails_when_redis_is_configured_but_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content)["redis"] == "unreachable"


@pytest.mark.django_db
def test_it_fails_when_the_database_is_unreachable(client, monkeypatch):
    from i2i import views

    monkeypatch.setattr(views, "_database_ok", lambda: False)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unreachable"


@pytest.mark.redis
@pytest.mark.django_db
def test_it_reaches_the_real_redis(client):
    response = client.get(reverse("healthz"))
    assert json.loads(response.content)["redis"] == "ok"
