"""Announcements: the programme manager writes to a cohort's participants, line managers or
sponsors; each recipient gets their own email (queued through Celery, eager here) and sees
it on their home page until they mark it read, then on their list; nobody else opens it."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from i2i.models import Announcement, AnnouncementRecipient, AuditEvent, Notification
from programme import announcements
from programme.home import home_sections
from programme.personal_data import personal_data
from tests.conftest import one_operation
from tests.factories import CohortFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

SUBJECT = "The briefing moves to the Fenbridge Centre"
BODY = "Dear all,\nThe briefing on Monday is now at the Fenbridge Centre, room 2.\nMorgan"


def _send(world, capture, audience="participants", cohort=None, **fields):
    """Send through the service and run what it queued after commit (the emails)."""
    before = len(mail.outbox)
    with capture(execute=True):
        announcement = one_operation(announcements.announcement_send)(
            cohort=cohort or world.participant.cohort,
            audience=audience,
            subject=fields.get("subject", SUBJECT),
            body=fields.get("body", BODY),
            by=world.programme_manager,
        )
    return announcement, mail.outbox[before:]


def _recipients(announcement):
    return set(announcement.recipients.values_list("recipient__email", flat=True))


@pytest.mark.parametrize("audience", ["participants", "line_managers", "sponsors"])
def test_each_audience_reaches_its_people_in_the_cohort_each_with_their_own_email(
    world, django_capture_on_commit_callbacks, audience
):
    p, other = world.participant, world.other_participant
    elsewhere = ParticipantFactory()  # another cohort: never told
    field = {"participants": "user", "line_managers": "line_manager", "sponsors": "sponsor"}
    expected = {getattr(p, field[audience]).email, getattr(other, field[audience]).email}

    announcement, emails = _send(world, django_capture_on_commit_callbacks, audience)

    assert _recipients(announcement) == expected  # and nobody of the other cohort
    assert getattr(elsewhere, field[audience]).email not in expected
    assert sorted(m.to for m in emails) == sorted([address] for address in expected)
    for message in emails:
        assert message.subject == f"[I2I Cohorts] {SUBJECT}"
        assert "Fenbridge Centre, room 2." in message.body
        assert f"/announcements/{announcement.pk}/" in message.body
    assert Notification.objects.filter(kind="announcement").count() == 2


def test_someone_supporting_several_participants_is_told_once(
    world, django_capture_on_commit_callbacks
):
    manager = world.line_manager
    ParticipantFactory.create_batch(3, cohort=world.participant.cohort, line_manager=manager)
    announcement, emails = _send(world, django_capture_on_commit_callbacks, "line_managers")
    assert [m.to for m in emails].count([manager.email]) == 1
    assert announcement.recipients.filter(recipient=manager).count() == 1


def test_people_who_cannot_sign_in_are_not_sent_it(world, django_capture_on_commit_callbacks):
    gone = world.other_participant.user
    gone.is_active = False
    gone.save()
    announcement, emails = _send(world, django_capture_on_commit_callbacks)
    assert _recipients(announcement) == {world.participant.user.email}
    assert [m.to for m in emails] == [[world.participant.user.email]]


def test_sending_is_audited(world, django_capture_on_commit_callbacks):
    announcement, _ = _send(world, django_capture_on_commit_callbacks, "sponsors")
    (event,) = AuditEvent.objects.filter(action="announcement_sent")
    assert event.actor == world.programme_manager
    assert event.target == SUBJECT
    assert event.detail == {
        "announcement_id": announcement.pk,
        "cohort_id": world.participant.cohort_id,
        "audience": "sponsors",
        "recipients": 2,
    }


def test_only_the_programme_manager_sends(world):
    with pytest.raises(PermissionDenied):
        announcements.announcement_send(
            cohort=world.participant.cohort,
            audience="participants",
            subject=SUBJECT,
            body=BODY,
            by=world.line_manager,
        )
    assert not Announcement.objects.exists()


def test_a_cohort_with_nobody_in_the_audience_is_refused(world):
    empty = CohortFactory(name="Cohort Empty")
    with pytest.raises(ValidationError) as refused:
        announcements.announcement_send(
            cohort=empty,
            audience="participants",
            subject=SUBJECT,
            body=BODY,
            by=world.programme_manager,
        )
    assert refused.value.message_dict == {
        "audience": ["Choose another group: Cohort Empty has no participants to send to yet"]
    }
    assert not Announcement.objects.exists()


def test_the_number_of_queries_does_not_grow_with_the_recipients(
    world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    cohort = world.participant.cohort
    counts = []
    for size in (3, 30):
        ParticipantFactory.create_batch(size, cohort=cohort)
        # savepoint; full_clean's checks of the cohort and the sender; the recipients; the
        # announcement, the read states and the notifications (one insert each); audit; release
        with django_assert_max_num_queries(9) as captured:
            announcement, emails = _send(world, django_capture_on_commit_callbacks)
        assert len(emails) == cohort.participants.count() == announcement.recipients.count()
        counts.append(len(captured))
    assert counts[0] == counts[1]


# Through the pages ---------------------------------------------------------------------------


def test_the_programme_manager_writes_one_from_the_form(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.programme_manager)
    cohort = world.participant.cohort
    assert client.get(reverse("announcement_new"), {"cohort": cohort.pk}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("announcement_new"),
            {"cohort": cohort.pk, "audience": "participants", "subject": SUBJECT, "body": BODY},
            follow=True,
        )
    page = response.content.decode()
    assert "Your announcement was sent to 2 people." in page
    assert SUBJECT in page and "0 of 2" in page
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.participant.user.email, world.other_participant.user.email]
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"subject": ""}, "subject", "Enter the subject"),
        ({"subject": "x" * 151}, "subject", "Enter the subject in 150 characters or fewer"),
        ({"body": ""}, "body", "Enter the message"),
        ({"body": "x" * 5001}, "body", "Enter the message in 5000 characters or fewer"),
        ({"audience": ""}, "audience", "Select who it is for"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_what_was_typed_is_kept(
    client, world, fields, field, message
):
    client.force_login(world.programme_manager)
    data = {
        "cohort": world.participant.cohort_id,
        "audience": "sponsors",
        "subject": SUBJECT,
        "body": BODY,
    } | fields
    response = client.post(reverse("announcement_new"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert form.errors[field][0].startswith(message)
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="#id_{field}' in page  # the summary links to the field
    kept = "subject" if field != "subject" else "body"
    assert form[kept].value() == data[kept]
    assert not Announcement.objects.exists()
    assert mail.outbox == []


def test_a_refusal_by_the_service_is_shown_next_to_the_audience(client, world):
    client.force_login(world.programme_manager)
    empty = CohortFactory(name="Cohort Empty")
    response = client.post(
        reverse("announcement_new"),
        {"cohort": empty.pk, "audience": "participants", "subject": SUBJECT, "body": BODY},
    )
    assert response.context["form"].errors == {
        "audience": ["Choose another group: Cohort Empty has no participants to send to yet"]
    }
    assert SUBJECT in response.content.decode()


@pytest.mark.parametrize("role", ["participant", "line_manager", "sponsor", "education_lead"])
def test_nobody_else_writes_or_sees_the_list_sent(client, world, role):
    user = world.participant.user if role == "participant" else getattr(world, role)
    client.force_login(user)
    assert client.get(reverse("announcement_new")).status_code == 403
    assert client.get(reverse("announcements_sent")).status_code == 403
    response = client.post(
        reverse("announcement_new"),
        {
            "cohort": world.participant.cohort_id,
            "audience": "participants",
            "subject": SUBJECT,
            "body": BODY,
        },
    )
    assert response.status_code == 403
    assert not Announcement.objects.exists()


def test_it_is_on_home_until_marked_read_then_on_the_list(
    client, world, django_capture_on_commit_callbacks
):
    announcement, _ = _send(world, django_capture_on_commit_callbacks)
    client.force_login(world.participant.user)
    (row,) = home_sections(world.participant.user).announcements
    assert row.announcement == announcement
    home = client.get(reverse("home"))
    page = home.content.decode()
    assert f"Announcement: {SUBJECT}" in page
    assert "room 2." in page
    assert reverse("announcement_read", args=[announcement.pk]) in page

    response = client.post(
        reverse("announcement_read", args=[announcement.pk]), {"return_to": "home"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    page = response.content.decode()
    assert f"Announcement: {SUBJECT}" not in page
    assert f"Marked “{SUBJECT}” as read." in page

    listed = client.get(reverse("announcement_list")).content.decode()
    assert SUBJECT in listed and "Read" in listed
    detail = client.get(reverse("announcement_detail", args=[announcement.pk])).content.decode()
    assert "room 2." in detail and "You marked it read" in detail
    # The other participant has not read it: theirs is still on home.
    assert home_sections(world.other_participant.user).announcements != []


def test_marking_read_twice_keeps_the_first_reading(world, django_capture_on_commit_callbacks):
    announcement, _ = _send(world, django_capture_on_commit_callbacks)
    user = world.participant.user
    first = one_operation(announcements.announcement_mark_read)(announcement=announcement, by=user)
    again = one_operation(announcements.announcement_mark_read)(announcement=announcement, by=user)
    assert first.read_at == again.read_at is not None


def test_the_programme_manager_sees_how_many_have_read_each(
    client, world, django_capture_on_commit_callbacks
):
    announcement, _ = _send(world, django_capture_on_commit_callbacks)
    one_operation(announcements.announcement_mark_read)(
        announcement=announcement, by=world.participant.user
    )
    client.force_login(world.programme_manager)
    page = client.get(reverse("announcements_sent")).content.decode()
    assert SUBJECT in page and "1 of 2" in page
    detail = client.get(reverse("announcement_detail", args=[announcement.pk])).content.decode()
    assert "1 of 2" in detail


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("participant", 200),
        ("other_participant", 200),
        ("line_manager", 404),  # sent to participants: not to them
        ("sponsor", 404),
        ("education_lead", 404),
        ("outsider", 404),
        ("programme_manager", 200),
    ],
)
def test_only_its_recipients_and_the_programme_manager_open_it(
    client, world, django_capture_on_commit_callbacks, role, status
):
    announcement, _ = _send(world, django_capture_on_commit_callbacks)
    user = {
        "participant": world.participant.user,
        "other_participant": world.other_participant.user,
    }.get(role) or getattr(world, role)
    client.force_login(user)
    assert client.get(reverse("announcement_detail", args=[announcement.pk])).status_code == status
    listed = client.get(reverse("announcement_list")).content.decode()
    assert (SUBJECT in listed) is (role in {"participant", "other_participant"})
    read = client.post(reverse("announcement_read", args=[announcement.pk]))
    assert read.status_code == (302 if role in {"participant", "other_participant"} else 404)
    if status == 404:
        assert not AnnouncementRecipient.objects.filter(read_at__isnull=False).exists()


def test_a_participant_of_another_cohort_never_sees_it(
    client, world, django_capture_on_commit_callbacks
):
    announcement, _ = _send(world, django_capture_on_commit_callbacks)
    stranger = ParticipantFactory().user
    client.force_login(stranger)
    assert client.get(reverse("announcement_detail", args=[announcement.pk])).status_code == 404
    assert one_operation(announcements.unread_announcements)(stranger) == []


def test_pages_do_not_grow_with_recipients_or_announcements(
    client, world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    cohort = world.participant.cohort
    counts = {"sent": [], "list": []}
    for size in (2, 20):
        ParticipantFactory.create_batch(size, cohort=cohort)
        for _ in range(size):
            _send(world, django_capture_on_commit_callbacks)
        client.force_login(world.programme_manager)
        # session, user, roles; the page of announcements with their counts, and its count
        with django_assert_max_num_queries(6) as captured:
            client.get(reverse("announcements_sent"))
        counts["sent"].append(len(captured))
        client.force_login(world.participant.user)
        with django_assert_max_num_queries(6) as captured:
            client.get(reverse("announcement_list"))
        counts["list"].append(len(captured))
    assert counts["sent"][0] == counts["sent"][1]
    assert counts["list"][0] == counts["list"][1]


def test_home_reads_unread_announcements_in_one_query(
    world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    for _ in range(3):
        _send(world, django_capture_on_commit_callbacks)
    with django_assert_num_queries(1):
        rows = one_operation(announcements.unread_announcements)(world.participant.user)
        assert [r.announcement.cohort.name for r in rows] == ["Cohort A"] * 3
        assert {r.announcement.sent_by for r in rows} == {world.programme_manager}


def test_the_data_download_holds_what_was_sent_to_and_written_by_each(
    world, django_capture_on_commit_callbacks
):
    _send(world, django_capture_on_commit_callbacks)
    (row,) = one_operation(personal_data)(world.participant.user)["announcements_received"]
    assert row["subject"] == SUBJECT and row["read_at"] is None
    (written,) = one_operation(personal_data)(world.programme_manager)["announcements_written"]
    assert written["subject"] == SUBJECT and written["body"] == BODY


def test_the_demo_has_one_announcement_waiting_for_its_participant_and_peers_showing_email():
    from zeal import zeal_ignore

    from devdata.demo import PARTICIPANTS, load_demo

    with zeal_ignore():  # seed code, as in tests/participants/test_demo.py
        load_demo()
        load_demo()  # loading again adds no second announcement
    (announcement,) = Announcement.objects.all()
    unread = announcement.recipients.filter(read_at__isnull=True)
    assert list(unread.values_list("recipient__email", flat=True)) == [PARTICIPANTS[0][0]]
    cohort = announcement.cohort
    assert cohort.participants.filter(show_email_to_peers=True).count() == 3
    assert not cohort.participants.filter(user__email=PARTICIPANTS[0][0]).get().show_email_to_peers
