"""The admin is the programme manager's tool for power tasks."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

PROGRAMME_MODELS = [
    m
    for m in apps.get_models()
    if m._meta.app_label in {"participants", "placements", "reflections", "improvements"}
]


def test_every_programme_model_is_in_the_admin():
    assert PROGRAMME_MODELS
    for model in PROGRAMME_MODELS:
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", PROGRAMME_MODELS, ids=lambda m: m._meta.model_name)
def test_the_programme_manager_searches_and_filters_every_model(client, world, model):
    client.force_login(world.programme_manager)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url, {"q": "Pat"})
    assert response.status_code == 200
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields
    assert model_admin.list_filter


def test_the_programme_manager_cannot_hand_out_superuser_powers(client, world):
    client.force_login(world.programme_manager)
    url = reverse("admin:participants_user_change", args=[world.outsider.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="is_superuser"' not in response.content.decode()


def test_signing_in_to_the_admin_goes_through_allauth(client, db):
    response = client.get(reverse("admin:login"), {"next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
