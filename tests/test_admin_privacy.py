"""The admin cannot get round privacy (issue 14, item 3), tried as the programme manager
through the admin's own pages.

A filter that answers "1 result" or "0 results" reads private text letter by letter, so a
query-string lookup on a private field is refused (400), whatever the value; searching finds
nothing in it. People's passwords and emails are their own; superusers and technical staff
are not the programme manager's to change; nobody makes themselves someone's line manager or
sponsor, and a change of either is audited and the participant told."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from i2i.models import AuditEvent, Notification
from improvements.models import AgreementDecision
from participants import services
from participants.models import EOIEvent, ExpressionOfInterest, SponsorMeeting, User
from placements.models import OutcomesDecision
from reflections.models import AccountEvent
from tests.admin_forms import changed
from tests.factories import (
    PASSWORD,
    ApprovedPlacementFactory,
    ImprovementInitiativeFactory,
    OrganisationFactory,
    ReflectiveAccountFactory,
    UserFactory,
)

SECRET = "anxiety"


@pytest.fixture
def private_text(world):
    """One of each record that holds private text, each with SECRET in it, so that a lookup
    the admin let through would find it (and one that did not, would not)."""
    placement = ApprovedPlacementFactory(participant=world.participant)
    written = f"We talked about my {SECRET}."
    account = ReflectiveAccountFactory(
        placement=placement,
        answers={"what_happened": written},
        outcome_ratings={"1": {"rating": "met", "comment": written}},
        code_themes=[SECRET],
        principles=[SECRET],
        workshop_learning=written,
        shared_version={"answers": {"what_happened": written}},
        status="shared",
    )
    line_manager = world.line_manager
    AccountEvent.objects.create(
        account=account, action="more_asked", by=line_manager, comment=f"Your {SECRET}?"
    )
    OutcomesDecision.objects.create(
        placement=placement,
        action="returned",
        by=line_manager,
        comment=f"About your {SECRET}",
        outcomes_snapshot=[written],
    )
    initiative = ImprovementInitiativeFactory(participant=world.participant)
    AgreementDecision.objects.create(
        initiative=initiative, action="returned", by=line_manager, comment=SECRET
    )
    eoi = ExpressionOfInterest.objects.create(
        cohort=world.participant.cohort,
        applicant=world.outsider,
        organisation=world.participant.organisation,
        why=written,
        support_comment=written,
        decision_reason=written,
    )
    EOIEvent.objects.create(eoi=eoi, action="support_declined", by=line_manager, comment=SECRET)
    SponsorMeeting.objects.create(
        participant=world.participant,
        met_on=dt.date(2027, 3, 2),
        notes=written,
        recorded_by=world.sponsor,
    )
    return account


# (changelist, lookup, a value that matches the private text)
PRIVATE_LOOKUPS = [
    ("reflections_reflectiveaccount", "answers__icontains", SECRET),
    ("reflections_reflectiveaccount", "answers__what_happened__startswith", "We"),
    ("reflections_reflectiveaccount", "answers__what_happened__contains", "my a"),
    ("reflections_reflectiveaccount", "shared_version__icontains", SECRET),
    ("reflections_reflectiveaccount", "outcome_ratings__icontains", SECRET),
    ("reflections_reflectiveaccount", "code_themes__icontains", SECRET),
    ("reflections_reflectiveaccount", "principles__icontains", SECRET),
    ("reflections_reflectiveaccount", "workshop_learning__icontains", SECRET),
    ("reflections_accountevent", "comment__icontains", SECRET),
    ("reflections_accountevent", "comment__startswith", "Your"),
    ("reflections_accountevent", "account__answers__icontains", SECRET),
    ("placements_placement", "reflective_account__answers__icontains", SECRET),
    ("placements_outcomesdecision", "comment__icontains", SECRET),
    ("placements_outcomesdecision", "outcomes_snapshot__icontains", SECRET),
    ("improvements_agreementdecision", "comment__icontains", SECRET),
    ("participants_eoievent", "comment__icontains", SECRET),
    ("participants_expressionofinterest", "why__icontains", SECRET),
    ("participants_expressionofinterest", "support_comment__icontains", SECRET),
    ("participants_expressionofinterest", "decision_reason__icontains", SECRET),
    ("participants_sponsormeeting", "notes__icontains", SECRET),
    ("participants_participant", "reflective_accounts__answers__icontains", SECRET),
    ("participants_user", "password__startswith", "md5$"),
]


@pytest.mark.parametrize(
    ("changelist", "lookup", "value"),
    PRIVATE_LOOKUPS,
    ids=[f"{c}?{lookup}" for c, lookup, _ in PRIVATE_LOOKUPS],
)
def test_a_lookup_on_private_text_is_refused_whatever_it_matches(
    client, world, private_text, changelist, lookup, value
):
    client.force_login(world.programme_manager)
    url = reverse(f"admin:{changelist}_changelist")
    answers = [client.get(url, {lookup: attempt}) for attempt in (value, "zzz-matches-nothing")]
    for response in answers:
        # Django's answer to a lookup the ModelAdmin does not allow: a 400, no list at all.
        assert response.status_code == 400, (lookup, response.status_code)
        assert "cl" not in (response.context or {})


@pytest.mark.parametrize(
    "changelist",
    [
        "reflections_accountevent",
        "placements_outcomesdecision",
        "improvements_agreementdecision",
        "participants_eoievent",
        "participants_expressionofinterest",
        "participants_sponsormeeting",
        "reflections_reflectiveaccount",
    ],
)
def test_searching_finds_nothing_in_private_text(client, world, private_text, changelist):
    client.force_login(world.programme_manager)
    response = client.get(reverse(f"admin:{changelist}_changelist"), {"q": SECRET})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


# People's passwords and emails --------------------------------------------------------


def test_the_programme_manager_cannot_set_anyones_password(client, world):
    person = world.participant.user
    client.force_login(world.programme_manager)
    url = reverse("admin:auth_user_password_change", args=[person.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"password1": "Chosen-by-the-manager-1", "password2": "Chosen-by-the-manager-1"}
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    client.logout()
    assert not client.login(email=person.email, password="Chosen-by-the-manager-1")
    change = client.get(reverse("admin:participants_user_change", args=[person.pk]))
    assert "password/" not in change.content.decode()


def test_the_programme_manager_cannot_change_anyones_email(client, world):
    person = world.line_manager
    client.force_login(world.programme_manager)
    url = reverse("admin:participants_user_change", args=[person.pk])
    page = client.get(url)
    assert 'name="email"' not in page.content.decode()
    client.post(url, changed(page, email="morgan.takes.over@example.org"))
    person.refresh_from_db()
    assert person.email != "morgan.takes.over@example.org"


@pytest.mark.parametrize("kind", ["superuser", "staff"])
def test_the_programme_manager_cannot_change_a_superuser_or_technical_staff(client, world, kind):
    target = UserFactory(is_superuser=kind == "superuser", is_staff=True, full_name="Tech Person")
    before = (target.email, target.full_name, target.is_active, target.password)
    client.force_login(world.programme_manager)
    url = reverse("admin:participants_user_change", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200  # they may see who has technical access
    response = client.post(
        url,
        {"email": "morgan@example.org", "full_name": "Morgan", "is_programme_manager": "on"},
    )
    assert response.status_code == 403
    password = reverse("admin:auth_user_password_change", args=[target.pk])
    response = client.post(password, {"password1": "Chosen-1-by-pm", "password2": "Chosen-1-by-pm"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert (target.email, target.full_name, target.is_active, target.password) == before
    # And so the audit trail stays closed to the programme manager.
    assert client.get(reverse("admin:i2i_auditevent_changelist")).status_code == 403
    client.logout()
    assert not client.login(email=target.email, password="Chosen-1-by-pm")


def test_people_are_not_added_or_deleted_in_the_admin(client, world):
    """People sign up (or are nominated) and choose their own password; erasing someone is
    the erase page, which removes what they wrote and keeps the counts."""
    client.force_login(world.programme_manager)
    response = client.post(
        reverse("admin:participants_user_add"),
        {"email": "new@example.org", "password1": "Chosen-1-by-pm", "password2": "Chosen-1-by-pm"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="new@example.org").exists()
    person = world.outsider
    response = client.post(
        reverse("admin:participants_user_delete", args=[person.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert User.objects.filter(pk=person.pk, is_active=True).exists()


def test_ones_own_password_is_changed_on_the_accounts_page(client, world):
    """The admin's "Change password" leads to allauth's page, which asks for the current
    password and emails to say it changed."""
    client.force_login(world.programme_manager)
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")


def test_the_programme_manager_still_names_people_and_gives_the_role(client, world):
    person = world.outsider
    client.force_login(world.programme_manager)
    url = reverse("admin:participants_user_change", args=[person.pk])
    response = client.post(
        url, changed(client.get(url), full_name="Nobody Else", is_programme_manager="on")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.is_programme_manager) == ("Nobody Else", True)
    event = AuditEvent.objects.get(action="person_changed")
    assert event.actor == world.programme_manager
    assert sorted(event.detail["fields"]) == ["full_name", "is_programme_manager"]


# Line managers and sponsors -----------------------------------------------------------


@pytest.mark.parametrize("role", ["line_manager", "sponsor"])
def test_nobody_makes_themselves_a_participants_line_manager_or_sponsor(
    client, world, private_text, role
):
    participant = world.participant
    before = getattr(participant, f"{role}_id")
    client.force_login(world.programme_manager)
    url = reverse("admin:participants_participant_change", args=[participant.pk])
    response = client.post(url, changed(client.get(url), **{role: world.programme_manager.pk}))
    assert response.status_code == 200
    assert "Choose someone else" in response.content.decode()
    participant.refresh_from_db()
    assert getattr(participant, f"{role}_id") == before
    assert client.get(reverse("account_detail", args=[private_text.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="participant_").exists()
    assert not mail.outbox


def test_nobody_makes_themselves_the_sponsor_of_an_organisations_participants(client, world):
    organisation = OrganisationFactory(name="Wherry Trust")
    client.force_login(world.programme_manager)
    url = reverse("admin:participants_organisation_change", args=[organisation.pk])
    response = client.post(url, changed(client.get(url), sponsor=world.programme_manager.pk))
    assert response.status_code == 200
    assert "Choose someone else" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.sponsor_id is None


def test_a_new_line_manager_is_audited_and_the_participant_told(
    client, world, django_capture_on_commit_callbacks
):
    participant = world.participant
    old = participant.line_manager
    new = UserFactory(full_name="Nia Newmanager")
    client.force_login(world.programme_manager)
    url = reverse("admin:participants_participant_change", args=[participant.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, changed(client.get(url), line_manager=new.pk))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.line_manager == new
    event = AuditEvent.objects.get(action="participant_line_manager_changed")
    assert event.actor == world.programme_manager
    assert event.detail == {"participant_id": participant.pk, "from_id": old.pk, "to_id": new.pk}
    assert not AuditEvent.objects.filter(action="participant_sponsor_changed").exists()
    (message,) = mail.outbox
    assert message.to == [participant.user.email]
    assert "Nia Newmanager" in message.body
    assert "Lee Linemanager" in message.body
    assert "reflective accounts" in message.body
    notice = Notification.objects.get(recipient=participant.user)
    assert notice.kind == "line_manager_or_sponsor_changed"
    assert notice.body == message.body
    assert notice.participant == participant


def test_a_new_sponsor_is_audited_and_the_participant_told(
    client, world, django_capture_on_commit_callbacks
):
    participant = world.participant
    new = UserFactory(full_name="Sol Newsponsor")
    client.force_login(world.programme_manager)
    url = reverse("admin:participants_participant_change", args=[participant.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, changed(client.get(url), sponsor=new.pk))
    participant.refresh_from_db()
    assert participant.sponsor == new
    assert AuditEvent.objects.filter(action="participant_sponsor_changed").count() == 1
    (message,) = mail.outbox
    assert "Sol Newsponsor" in message.body
    assert "reflective accounts" not in message.body


def test_a_forgotten_password_is_reset_by_its_owner_from_an_email(
    client, world, django_capture_on_commit_callbacks
):
    """The admin's way to help someone who has forgotten their password: allauth's reset
    email, whose link lets them choose a new one. Nobody else learns it."""
    person = world.participant.user
    client.force_login(world.programme_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:participants_user_changelist"),
            {"action": "send_password_reset", "_selected_action": [person.pk]},
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert "/accounts/password/reset/key/" in message.body
    event = AuditEvent.objects.get(action="password_reset_sent")
    assert (event.actor, event.detail) == (world.programme_manager, {"person_id": person.pk})
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_the_services_refuse_it_whichever_way_it_arrives(world):
    """The admin's forms refuse these next to the field; the services refuse them again."""
    from django.core.exceptions import PermissionDenied, ValidationError

    manager = world.programme_manager
    with pytest.raises(ValidationError) as refused:
        services.participant_supporters_change(
            participant=world.participant, by=manager, line_manager=manager, sponsor=None
        )
    assert "line_manager" in refused.value.message_dict
    organisation = world.participant.organisation
    organisation.sponsor = manager
    with pytest.raises(ValidationError):
        services.organisation_save(organisation=organisation, by=manager)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    superuser.full_name = "Renamed"
    with pytest.raises(PermissionDenied):
        services.person_save(person=superuser, by=manager)
    person = world.outsider
    person.email = "morgan@example.org"
    with pytest.raises(ValidationError):
        services.person_save(person=person, by=superuser)
    with pytest.raises(PermissionDenied):
        services.participant_supporters_change(
            participant=world.participant, by=world.line_manager, line_manager=None, sponsor=None
        )
    world.participant.refresh_from_db()
    assert world.participant.line_manager_id is not None
    assert not AuditEvent.objects.filter(action__startswith="participant_").exists()
