"""A cohort's peers page: after the briefing its participants see who else is in the cohort
(name, role, profession, employer, and the email of those who chose to show it); before it,
when it opens; nobody outside the cohort sees it, and nothing else about a peer is shown."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from i2i import access
from i2i.models import AuditEvent
from participants import services
from tests.clock import LONDON
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def _briefed(world, days_ago=1):
    """The world's cohort had its briefing `days_ago` days ago."""
    cohort = world.participant.cohort
    cohort.briefing_date = timezone.localdate() - dt.timedelta(days=days_ago)
    cohort.save()
    return cohort


def _user(world, role):
    if role == "participant":
        return world.participant.user
    if role == "other_participant":
        return world.other_participant.user
    return getattr(world, role)


def _get(client, user, cohort):
    client.force_login(user)
    return client.get(reverse("cohort_peers", args=[cohort.pk]))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("participant", 200),
        ("other_participant", 200),  # same cohort, another employer
        ("line_manager", 404),
        ("sponsor", 404),
        ("education_lead", 404),
        ("other_education_lead", 404),
        ("outsider", 404),
        ("programme_manager", 200),
    ],
)
def test_it_is_for_the_cohorts_participants_and_the_programme_manager(client, world, role, status):
    cohort = _briefed(world)
    response = _get(client, _user(world, role), cohort)
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Pat Participant" in page and "Olly Other" in page


def test_a_participant_of_another_cohort_gets_404(client, world):
    cohort = _briefed(world)
    stranger = ParticipantFactory(user__full_name="Sky Stranger")
    stranger.cohort.briefing_date = cohort.briefing_date
    stranger.cohort.save()
    assert _get(client, stranger.user, cohort).status_code == 404
    # …and their own cohort's page lists only their cohort.
    page = _get(client, stranger.user, stranger.cohort).content.decode()
    assert "Sky Stranger" in page and "Pat Participant" not in page


def test_before_the_briefing_it_says_when_it_opens_and_lists_nobody(client, world):
    cohort = world.participant.cohort
    cohort.briefing_date = timezone.localdate() + dt.timedelta(days=3)
    cohort.save()
    response = _get(client, world.participant.user, cohort)
    page = response.content.decode()
    assert response.status_code == 200
    day = cohort.briefing_date
    assert f"This page opens on {day.day} {day:%B %Y}, the day of your briefing" in page
    assert "Olly Other" not in page
    assert response.context["peers"] == []
    # The participant can still make their choice beforehand.
    assert "Show my email address to others in my cohort" in page


def test_without_a_briefing_date_it_says_it_opens_on_the_briefing_day(client, world):
    page = _get(client, world.participant.user, world.participant.cohort).content.decode()
    assert "The briefing date has not been set yet" in page
    assert "Olly Other" not in page


def test_it_opens_on_the_day_of_the_briefing(client, world):
    cohort = world.participant.cohort
    cohort.briefing_date = dt.date(2027, 2, 22)
    cohort.save()
    user = world.participant.user
    evening_before = dt.datetime(2027, 2, 21, 21, 0, tzinfo=LONDON)
    with time_machine.travel(evening_before, tick=False):
        assert not access.peers_open(user, cohort, timezone.localdate())
        assert "Olly Other" not in _get(client, user, cohort).content.decode()
    with time_machine.travel(evening_before + dt.timedelta(hours=12), tick=False):
        assert access.peers_open(user, cohort, timezone.localdate())
        assert "Olly Other" in _get(client, user, cohort).content.decode()


def test_the_programme_manager_sees_the_list_before_the_briefing(client, world):
    cohort = world.participant.cohort
    cohort.briefing_date = timezone.localdate() + dt.timedelta(days=3)
    cohort.save()
    assert "Olly Other" in _get(client, world.programme_manager, cohort).content.decode()


def test_each_peer_shows_name_role_profession_and_employer_and_nothing_else(client, world):
    cohort = _briefed(world)
    other = world.other_participant
    response = _get(client, world.participant.user, cohort)
    page = response.content.decode()
    for text in ("Olly Other", other.job_title, other.profession, "Fenbridge Council"):
        assert text in page
    # No link to a peer's page, progress, placements or accounts; no supporters' names.
    assert reverse("participant_detail", args=[other.pk]) not in page
    for hidden in ("Progress", "Reflective", "On track", other.line_manager.get_full_name()):
        assert hidden not in page
    # The template receives plain rows, never the participant records.
    assert set(vars(response.context["peers"][0])) == {
        "name",
        "job_title",
        "profession",
        "employer",
        "email",
        "is_you",
    }


def test_an_email_is_shown_only_when_its_owner_chose_to_show_it(client, world):
    cohort = _briefed(world)
    other = world.other_participant
    page = _get(client, world.participant.user, cohort).content.decode()
    assert other.user.email not in page
    assert "Not shown" in page

    other.show_email_to_peers = True
    other.save()
    page = _get(client, world.participant.user, cohort).content.decode()
    assert f'href="mailto:{other.user.email}"' in page
    # Their own address stays hidden: they have not chosen to show it.
    assert f"mailto:{world.participant.user.email}" not in page


def test_a_participant_chooses_to_show_their_email_and_can_hide_it_again(client, world):
    cohort = _briefed(world)
    participant = world.participant
    client.force_login(participant.user)
    url = reverse("cohort_peers", args=[cohort.pk])
    response = client.post(url, {"show_email": "on"}, follow=True)
    assert "Others in your cohort can now see your email address." in response.content.decode()
    participant.refresh_from_db()
    assert participant.show_email_to_peers is True
    (event,) = AuditEvent.objects.filter(action="peers_email_shown")
    assert event.actor == participant.user and event.detail == {"participant": participant.pk}
    client.force_login(world.other_participant.user)
    assert participant.user.email in client.get(url).content.decode()

    client.force_login(participant.user)
    response = client.post(url, {}, follow=True)
    assert "Your email address is hidden" in response.content.decode()
    participant.refresh_from_db()
    assert participant.show_email_to_peers is False
    assert AuditEvent.objects.filter(action="peers_email_hidden").count() == 1


def test_saving_the_same_choice_again_records_nothing(world):
    participant = world.participant
    services.participant_email_to_peers_set(
        participant=participant, show=False, by=participant.user
    )
    assert not AuditEvent.objects.filter(action__startswith="peers_email").exists()


def test_only_the_participant_chooses_for_themselves(client, world):
    cohort = _briefed(world)
    participant = world.participant
    url = reverse("cohort_peers", args=[cohort.pk])
    client.force_login(world.programme_manager)
    assert client.post(url, {"show_email": "on"}).status_code == 403
    client.force_login(world.line_manager)
    assert client.post(url, {"show_email": "on"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.participant_email_to_peers_set(
            participant=participant, show=True, by=world.other_participant.user
        )
    participant.refresh_from_db()
    assert participant.show_email_to_peers is False


def test_people_who_can_no_longer_sign_in_are_left_out(client, world):
    cohort = _briefed(world)
    other = world.other_participant.user
    other.is_active = False
    other.save()
    assert "Olly Other" not in _get(client, world.participant.user, cohort).content.decode()


def test_the_navigation_link_leads_to_the_participants_newest_cohort(client, world):
    client.force_login(world.participant.user)
    page = client.get(reverse("organisation_list")).content.decode()
    assert f'href="{reverse("my_peers")}"' in page
    response = client.get(reverse("my_peers"))
    assert response.status_code == 302
    assert response.url == reverse("cohort_peers", args=[world.participant.cohort_id])
    client.force_login(world.line_manager)
    page = client.get(reverse("organisation_list")).content.decode()
    assert f'href="{reverse("my_peers")}"' not in page
    assert client.get(reverse("my_peers")).status_code == 404


def test_the_participants_home_page_links_to_their_peers(client, world):
    client.force_login(world.participant.user)
    home = client.get(reverse("home")).content.decode()
    assert reverse("cohort_peers", args=[world.participant.cohort_id]) in home


def test_the_page_does_not_grow_with_peers(client, world, django_assert_max_num_queries):
    cohort = _briefed(world)
    client.force_login(world.participant.user)
    counts = []
    for size in (3, 30):
        ParticipantFactory.create_batch(size, cohort=cohort, show_email_to_peers=True)
        # session, user, roles (navigation); the cohort, the participant's own row, the peers
        with django_assert_max_num_queries(8) as captured:
            response = client.get(reverse("cohort_peers", args=[cohort.pk]))
        assert len(response.context["peers"]) == cohort.participants.count()
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_participant_in_two_cohorts_sees_each_only_after_its_briefing(client, world):
    cohort = _briefed(world)
    later = ParticipantFactory(user=world.participant.user, sponsor=UserFactory())
    later.cohort.briefing_date = timezone.localdate() + dt.timedelta(days=30)
    later.cohort.save()
    assert "Olly Other" in _get(client, world.participant.user, cohort).content.decode()
    page = _get(client, world.participant.user, later.cohort).content.decode()
    assert "This page opens on" in page
