"""The programme manager names an organisation's host people (issue #20): a new person gets
an account with no password and an email saying how to sign in with a code; everything is
audited."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from i2i.models import AuditEvent
from participants.models import HostPerson, User
from tests.factories import PASSWORD, HostPersonFactory, OrganisationFactory


@pytest.fixture
def larkhill(db):
    return OrganisationFactory(name="Larkhill Care Home", sector="care_home")


def _add(client, organisation, capture, **data):
    with capture(execute=True):
        return client.post(reverse("organisation_host_people", args=[organisation.pk]), data)


def test_it_adds_a_new_host_person_without_a_password(
    client, world, larkhill, django_capture_on_commit_callbacks
):
    client.force_login(world.programme_manager)
    response = _add(
        client,
        larkhill,
        django_capture_on_commit_callbacks,
        full_name="Robin  Host",
        email="Robin.Host@Larkhill.example",
    )
    assert response.status_code == 302
    user = User.objects.get(email="robin.host@larkhill.example")
    assert user.full_name == "Robin Host"
    assert not user.has_usable_password()
    assert not EmailAddress.objects.get(user=user).verified  # verified by their first code
    host = HostPerson.objects.get(user=user, organisation=larkhill)
    assert host.added_by == world.programme_manager
    event = AuditEvent.objects.get(action="host_person_added")
    assert event.actor == world.programme_manager and event.detail["user_id"] == user.pk
    (message,) = mail.outbox
    assert message.to == ["robin.host@larkhill.example"]
    assert "Larkhill Care Home" in message.subject
    assert "/accounts/login/code/" in message.body
    assert "no password" in message.body
    page = client.get(reverse("organisation_host_people", args=[larkhill.pk]))
    assert "Robin Host" in page.content.decode()


def test_someone_with_an_account_keeps_it_and_their_password(
    client, world, larkhill, django_capture_on_commit_callbacks
):
    lead = world.education_lead
    client.force_login(world.programme_manager)
    _add(
        client,
        larkhill,
        django_capture_on_commit_callbacks,
        full_name="Another Name",
        email=lead.email.upper(),
    )
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD)
    assert lead.full_name != "Another Name"
    assert HostPerson.objects.filter(user=lead, organisation=larkhill).exists()
    assert "sign in with your password" in mail.outbox[0].body


def test_a_host_person_added_twice_is_refused_next_to_the_email(client, world, larkhill):
    host = HostPersonFactory(organisation=larkhill)
    client.force_login(world.programme_manager)
    response = client.post(
        reverse("organisation_host_people", args=[larkhill.pk]),
        {"full_name": "Robin Host", "email": host.user.email},
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["email"]
    assert "already a host person for Larkhill Care Home" in error
    assert "Robin Host" in response.content.decode()  # what was typed is kept
    assert HostPerson.objects.filter(organisation=larkhill).count() == 1


def test_an_address_in_the_wrong_format_says_what_to_enter(client, world, larkhill):
    client.force_login(world.programme_manager)
    response = client.post(
        reverse("organisation_host_people", args=[larkhill.pk]),
        {"full_name": "", "email": "not-an-address"},
    )
    errors = response.context["form"].errors
    assert errors["email"] and errors["full_name"]
    assert "This field is required" not in response.content.decode()
    assert not HostPerson.objects.exists()


def test_a_closed_account_cannot_be_made_a_host(client, world, larkhill):
    world.outsider.is_active = False
    world.outsider.save()
    client.force_login(world.programme_manager)
    response = client.post(
        reverse("organisation_host_people", args=[larkhill.pk]),
        {"full_name": "Nobody", "email": world.outsider.email},
    )
    assert "account is closed" in response.context["form"].errors["email"][0]


def test_it_removes_a_host_person_and_keeps_their_account(client, world, larkhill):
    host = HostPersonFactory(organisation=larkhill)
    client.force_login(world.programme_manager)
    response = client.post(
        reverse("organisation_host_person_remove", args=[larkhill.pk]), {"host_person": host.pk}
    )
    assert response["Location"] == reverse("organisation_host_people", args=[larkhill.pk])
    assert not HostPerson.objects.filter(pk=host.pk).exists()
    assert User.objects.filter(pk=host.user_id, is_active=True).exists()
    event = AuditEvent.objects.get(action="host_person_removed")
    assert event.detail == {"organisation_id": larkhill.pk, "user_id": host.user_id}


def test_the_organisation_page_links_to_its_host_people(client, world, larkhill):
    client.force_login(world.programme_manager)
    html = client.get(reverse("organisation_edit", args=[larkhill.pk])).content.decode()
    assert reverse("organisation_host_people", args=[larkhill.pk]) in html
