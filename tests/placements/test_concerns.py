"""The route for concerns (issue #20): who may raise one, who reads it, the programme
manager told at once (email and home task), each step kept and audited, and the
safeguarding contact shown."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from i2i import access
from i2i.models import AuditEvent, Notification
from participants.models import HostPerson
from placements import concerns
from placements.models import Concern, ConcernStep
from programme.tasks import programme_manager_tasks
from tests.factories import ApprovedPlacementFactory, HalfDayFactory, UserFactory

DESCRIPTION = "Did not arrive for the morning session and did not call the ward."


@pytest.fixture
def placement(participant):
    return ApprovedPlacementFactory(participant=participant)


@pytest.fixture
def host(placement):
    user = UserFactory(full_name="Hana Host")
    HostPerson.objects.create(user=user, organisation=placement.organisation)
    return user


def _raise(placement, by, kind=Concern.Kind.DID_NOT_ATTEND):
    return concerns.concern_raise(placement=placement, by=by, kind=kind, description=DESCRIPTION)


def _concern_tasks(user):
    return [t for t in programme_manager_tasks(user) if t.text.startswith("Concerns to handle")]


# Who may raise one ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "as_"),
    [
        ("participant", "participant"),
        ("line_manager", "line manager"),
        ("sponsor", "sponsor"),
        ("programme_manager", "programme manager"),
    ],
)
def test_it_lets_everyone_involved_raise_a_concern(client, world, placement, who, as_):
    user = getattr(world, who)
    user = user.user if who == "participant" else user
    client.force_login(user)
    url = reverse("concern_raise", args=[placement.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "conduct", "description": DESCRIPTION})
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("concern_detail", args=[concern.pk])
    assert concern.raised_by == user
    assert concern.raised_as == as_
    assert concern.steps.get().action == ConcernStep.Action.RAISED


def test_it_lets_a_host_person_raise_a_concern_about_a_visit_to_their_organisation(
    client, placement, host
):
    client.force_login(host)
    response = client.post(
        reverse("concern_raise", args=[placement.pk]),
        {"kind": "did_not_attend", "description": DESCRIPTION},
    )
    assert response.status_code == 302
    assert Concern.objects.get().raised_as == "host"


def test_it_refuses_an_education_lead_who_sees_the_placement_but_is_not_involved(
    client, education_lead, placement
):
    client.force_login(education_lead)
    url = reverse("concern_raise", args=[placement.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": "other", "description": DESCRIPTION}).status_code == 403
    assert not Concern.objects.exists()
    with pytest.raises(PermissionDenied):
        _raise(placement, education_lead)


@pytest.mark.parametrize("who", ["outsider", "other_education_lead"])
def test_it_hides_the_placement_from_anyone_else(client, world, placement, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("concern_raise", args=[placement.pk])).status_code == 404
    other_host = UserFactory()
    HostPerson.objects.create(user=other_host, organisation=world.participant.organisation)
    client.force_login(other_host)
    assert client.get(reverse("concern_raise", args=[placement.pk])).status_code == 404


def test_it_keeps_what_was_typed_and_says_what_to_do_when_something_is_missing(
    client, line_manager, placement
):
    client.force_login(line_manager)
    response = client.post(
        reverse("concern_raise", args=[placement.pk]), {"kind": "", "description": DESCRIPTION}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert DESCRIPTION in response.content.decode()
    assert response.context["form"].errors["kind"]
    assert not Concern.objects.exists()


# Who reads it --------------------------------------------------------------------------------


def test_it_shows_the_concern_to_the_raiser_the_line_manager_and_the_programme_manager(
    client, world, placement, host
):
    concern = _raise(placement, host)
    url = reverse("concern_detail", args=[concern.pk])
    for user in (host, world.line_manager, world.programme_manager):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert DESCRIPTION in response.content.decode()


@pytest.mark.parametrize(
    "who", ["participant", "sponsor", "education_lead", "other_participant", "outsider"]
)
def test_it_hides_the_concern_from_everyone_else_including_the_participant(
    client, world, placement, who
):
    concern = _raise(placement, world.line_manager)
    user = getattr(world, who)
    client.force_login(getattr(user, "user", user))
    assert client.get(reverse("concern_detail", args=[concern.pk])).status_code == 404
    assert DESCRIPTION not in client.get(reverse("concern_list")).content.decode()
    assert not access.visible_concerns(getattr(user, "user", user)).exists()


def test_the_participant_reads_a_concern_they_raised_themselves(client, participant, placement):
    concern = _raise(placement, participant.user, kind=Concern.Kind.OTHER)
    client.force_login(participant.user)
    assert client.get(reverse("concern_detail", args=[concern.pk])).status_code == 200


def test_only_the_programme_manager_records_steps(client, line_manager, placement):
    concern = _raise(placement, line_manager)
    client.force_login(line_manager)
    response = client.post(
        reverse("concern_detail", args=[concern.pk]),
        {"action": "close", "close-outcome": "Sorted."},
    )
    assert response.status_code == 403
    assert Concern.objects.get().status == Concern.Status.OPEN
    with pytest.raises(PermissionDenied):
        concerns.concern_close(concern=concern, by=line_manager, outcome="Sorted.")


def test_the_placement_page_links_to_raise_a_concern_and_lists_those_the_reader_sees(
    client, line_manager, participant, placement
):
    concern = _raise(placement, line_manager)
    client.force_login(line_manager)
    page = client.get(reverse("placement_detail", args=[placement.pk])).content.decode()
    assert reverse("concern_raise", args=[placement.pk]) in page
    assert reverse("concern_detail", args=[concern.pk]) in page
    client.force_login(participant.user)
    page = client.get(reverse("placement_detail", args=[placement.pk])).content.decode()
    assert reverse("concern_raise", args=[placement.pk]) in page
    assert reverse("concern_detail", args=[concern.pk]) not in page


# The programme manager hears at once ---------------------------------------------------------


def test_it_emails_the_programme_manager_and_the_line_manager_at_once(
    client, world, placement, host, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    client.force_login(host)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("concern_raise", args=[placement.pk]),
            {"kind": "conduct", "description": DESCRIPTION},
        )
    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == sorted([world.programme_manager.email, world.line_manager.email])
    concern = Concern.objects.get()
    for message in mail.outbox:
        assert reverse("concern_detail", args=[concern.pk]) in message.body
        assert DESCRIPTION not in message.body  # the words stay behind the sign-in
    assert Notification.objects.filter(kind="concern_raised").count() == 2


def test_the_raiser_is_not_emailed_about_their_own_concern(
    world, programme_manager, placement, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _raise(placement, programme_manager)
    assert [a for m in mail.outbox for a in m.to] == [world.line_manager.email]


def test_the_home_task_appears_and_clears_when_the_concern_is_closed(
    client, programme_manager, line_manager, placement
):
    assert _concern_tasks(programme_manager) == []
    first = _raise(placement, line_manager)
    _raise(placement, line_manager, kind=Concern.Kind.CONDUCT)
    tasks = _concern_tasks(programme_manager)
    assert [t.text for t in tasks] == ["Concerns to handle (2)"]
    assert tasks[0].url == reverse("concern_list")
    client.force_login(programme_manager)
    assert "Concerns to handle (2)" in client.get(reverse("home")).content.decode()
    for concern in Concern.objects.all():
        concerns.concern_close(concern=concern, by=programme_manager, outcome="Talked it over.")
    assert _concern_tasks(programme_manager) == []
    concerns.concern_reopen(concern=first, by=programme_manager, comment="It happened again.")
    assert [t.text for t in _concern_tasks(programme_manager)] == ["Concerns to handle (1)"]
    assert _concern_tasks(line_manager) == []


# Steps: kept and audited ---------------------------------------------------------------------


def test_each_step_is_kept_and_audited(client, programme_manager, line_manager, placement):
    client.force_login(line_manager)
    client.post(
        reverse("concern_raise", args=[placement.pk]),
        {"kind": "conduct", "description": DESCRIPTION},
    )
    concern = Concern.objects.get()
    url = reverse("concern_detail", args=[concern.pk])
    client.force_login(programme_manager)
    steps = [
        {"action": "act", "act-comment": "Called the participant and the ward manager."},
        {"action": "close", "close-outcome": "Agreed a new date; the ward is content."},
        {"action": "reopen", "reopen-comment": "The ward called again."},
    ]
    for data in steps:
        assert client.post(url, data).status_code == 302
    concern.refresh_from_db()
    assert concern.status == Concern.Status.OPEN
    assert concern.closed_at is None
    assert concern.outcome == "Agreed a new date; the ward is content."
    assert list(concern.steps.values_list("action", flat=True)) == [
        "raised",
        "action",
        "closed",
        "reopened",
    ]
    audited = list(
        AuditEvent.objects.filter(action__startswith="concern_")
        .order_by("pk")
        .values_list("action", "actor", "detail__concern")
    )
    assert audited == [
        ("concern_raised", line_manager.pk, concern.pk),
        ("concern_action", programme_manager.pk, concern.pk),
        ("concern_closed", programme_manager.pk, concern.pk),
        ("concern_reopened", programme_manager.pk, concern.pk),
    ]
    page = client.get(url).content.decode()
    assert "Called the participant and the ward manager." in page
    assert "Reopen the concern" not in page  # open again: record or close


def test_a_step_with_nothing_written_is_refused_next_to_its_field(
    client, programme_manager, line_manager, placement
):
    concern = _raise(placement, line_manager)
    client.force_login(programme_manager)
    response = client.post(
        reverse("concern_detail", args=[concern.pk]), {"action": "close", "close-outcome": " "}
    )
    assert response.status_code == 200
    assert response.context["forms"]["close"].errors["outcome"]
    assert Concern.objects.get().status == Concern.Status.OPEN


def test_the_list_puts_open_concerns_first(client, programme_manager, line_manager, placement):
    closed = _raise(placement, line_manager)
    concerns.concern_close(concern=closed, by=programme_manager, outcome="Resolved.")
    still_open = _raise(placement, line_manager, kind=Concern.Kind.CONDUCT)
    client.force_login(programme_manager)
    response = client.get(reverse("concern_list"))
    assert [c.pk for c in response.context["page"].object_list] == [still_open.pk, closed.pk]


# Safeguarding --------------------------------------------------------------------------------


def test_the_safeguarding_contact_is_shown_on_the_form_and_a_safeguarding_concern(
    client, settings, programme_manager, line_manager, placement
):
    settings.SAFEGUARDING_CONTACT = "Safeguarding hub, 0113 496 0999, hub@example.org"
    client.force_login(line_manager)
    form = client.get(reverse("concern_raise", args=[placement.pk])).content.decode()
    assert "Safeguarding hub, 0113 496 0999, hub@example.org" in form
    assert "If someone is in immediate danger, call 999." in form
    safeguarding = _raise(placement, line_manager, kind=Concern.Kind.SAFEGUARDING)
    conduct = _raise(placement, line_manager, kind=Concern.Kind.CONDUCT)
    client.force_login(programme_manager)
    page = client.get(reverse("concern_detail", args=[safeguarding.pk])).content.decode()
    assert "Safeguarding hub, 0113 496 0999, hub@example.org" in page
    assert "If someone is in immediate danger, call 999." in page
    page = client.get(reverse("concern_detail", args=[conduct.pk])).content.decode()
    assert "hub@example.org" not in page


def test_a_host_person_finds_raise_a_concern_on_each_visit(client, placement, host):
    soon = timezone.localdate() + dt.timedelta(days=3)
    HalfDayFactory(placement=placement, status="planned", date=soon)
    client.force_login(host)
    page = client.get(reverse("host_visits", args=[placement.organisation_id])).content.decode()
    assert reverse("concern_raise", args=[placement.pk]) in page
