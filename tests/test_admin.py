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


def test_the_self_assessment_is_not_in_the_admin():
    """Answers are the participant's alone, and questions change only through the service
    that freezes them once answered, so the evaluation has no admin pages."""
    for model in apps.get_app_config("evaluation").get_models():
        assert not admin.site.is_registered(model), model


@pytest.mark.parametrize("model", PROGRAMME_MODELS, ids=lambda m: m._meta.model_name)
def test_every_list_reads_its_rows_in_a_fixed_number_of_queries(client, world, model):
    """Three rows of everything: a per-row query would be an N+1 (and fail under zeal)."""
    import datetime as dt

    from participants.models import SharedContact, SponsorMeeting
    from tests.factories import DataPointFactory, HalfDayFactory, ReflectiveAccountFactory

    for number in range(3):
        half_day = HalfDayFactory(placement__participant__cohort=world.participant.cohort)
        participant = half_day.participant
        ReflectiveAccountFactory(placement=half_day.placement)
        DataPointFactory(measure__initiative__participant=participant)
        SponsorMeeting.objects.create(
            participant=participant, met_on=dt.date(2027, 2, 1), recorded_by=world.sponsor
        )
        SharedContact.objects.create(
            participant=participant,
            organisation=half_day.placement.organisation,
            name=f"Contact {number}",
            shared_by=world.sponsor,
        )
    client.force_login(world.programme_manager)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200


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


def test_a_cohorts_delete_confirmation_names_its_people_in_constant_queries(
    client, world, django_assert_max_num_queries
):
    """The cohort's participants stop it being deleted; the page names each of them, with
    their person and cohort fetched with them rather than one by one."""
    from tests.factories import ParticipantFactory

    client.force_login(world.programme_manager)
    cohort = world.participant.cohort
    url = reverse("admin:participants_cohort_delete", args=[cohort.pk])
    counts = []
    for _ in range(2):
        with django_assert_max_num_queries(40) as captured:
            page = client.get(url).content.decode()
        counts.append(len(captured))
        ParticipantFactory.create_batch(3, cohort=cohort)
    assert counts[0] == counts[1]
    assert f"Pat Participant ({cohort.name})" in page
