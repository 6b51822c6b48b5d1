"""The notification pages: each person's own emails, and every email for the programme
manager, filtered by cohort and kind, in a constant number of queries."""

import pytest
from django.urls import reverse

from i2i.models import Notification

# The browser test below uses the e2e fixtures (Chromium through Playwright, with axe-core).
from tests.factories import CohortFactory, ParticipantFactory


def _notify(recipient, *, kind="briefing", participant=None, subject=None, key=None):
    n = Notification.objects.count()
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        key=key or f"test:{n}",
        subject=subject or f"[I2I Cohorts] {kind} {n} for {recipient.email}",
        body=f"Dear {recipient.get_short_name()},\n\nSomething to do.\n\nI2I Cohorts",
        url="http://127.0.0.1:8000/cohorts/1/",
        participant=participant,
    )


def test_people_see_their_own_notifications_only(client, world):
    mine = _notify(world.participant.user, participant=world.participant, subject="Yours")
    _notify(world.line_manager, kind="at_risk", participant=world.participant, subject="Theirs")
    _notify(world.other_participant.user, participant=world.other_participant, subject="Other")
    client.force_login(world.participant.user)
    response = client.get(reverse("notifications"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [mine]
    content = response.content.decode()
    assert "Yours" in content
    assert "Theirs" not in content and "Other" not in content
    assert "Briefing reminder" in content
    assert 'href="http://127.0.0.1:8000/cohorts/1/"' in content


def test_the_own_list_is_newest_first_and_paginated_by_fifty(client, world):
    user = world.participant.user
    first = _notify(user)
    for _ in range(50):
        _notify(user)
    client.force_login(user)
    page_one = client.get(reverse("notifications")).context["page"]
    assert len(page_one.object_list) == 50
    assert first not in page_one.object_list
    assert page_one.paginator.num_pages == 2
    response = client.get(reverse("notifications"), {"page": 2})
    assert list(response.context["page"].object_list) == [first]
    assert "Page 2 of 2" in response.content.decode()
    assert client.get(reverse("notifications"), {"page": "nonsense"}).status_code == 200


def test_someone_with_nothing_sent_is_told_so(client, world):
    client.force_login(world.outsider)
    assert (
        "Nothing has been sent to you yet." in client.get(reverse("notifications")).content.decode()
    )


@pytest.mark.parametrize(
    "role", ["participant", "line_manager", "sponsor", "education_lead", "outsider"]
)
def test_only_the_programme_manager_sees_every_notification(client, world, role):
    user = world.participant.user if role == "participant" else getattr(world, role)
    client.force_login(user)
    assert client.get(reverse("notifications_sent")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for name in ("notifications", "notifications_sent"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_the_sent_list_shows_everything_and_filters_by_cohort_and_kind(client, world):
    elsewhere = ParticipantFactory(cohort=CohortFactory(name="Cohort B"))
    a_briefing = _notify(world.participant.user, participant=world.participant)
    a_risk = _notify(world.line_manager, kind="at_risk", participant=world.participant)
    b_briefing = _notify(elsewhere.user, participant=elsewhere)
    unattached = _notify(world.outsider, kind="account_email")
    client.force_login(world.programme_manager)
    url = reverse("notifications_sent")

    response = client.get(url)
    assert response.status_code == 200
    assert set(response.context["page"].object_list) == {a_briefing, a_risk, b_briefing, unattached}
    content = response.content.decode()
    assert world.line_manager.email in content
    assert "Commitments at risk" in content
    assert reverse("participant_detail", args=[world.participant.pk]) in content

    cohort_a = world.participant.cohort
    by_cohort = client.get(url, {"cohort": cohort_a.pk}).context["page"].object_list
    assert set(by_cohort) == {a_briefing, a_risk}
    by_kind = client.get(url, {"kind": "briefing"}).context["page"].object_list
    assert set(by_kind) == {a_briefing, b_briefing}
    both = client.get(url, {"cohort": cohort_a.pk, "kind": "briefing"})
    assert list(both.context["page"].object_list) == [a_briefing]
    assert f'<option value="{cohort_a.pk}" selected>' in both.content.decode()
    assert '<option value="briefing" selected>' in both.content.decode()
    # A nonsense cohort is ignored; an unknown kind matches nothing.
    assert len(client.get(url, {"cohort": "x"}).context["page"].object_list) == 4
    empty = client.get(url, {"kind": "nothing"})
    assert list(empty.context["page"].object_list) == []
    assert "No notifications match." in empty.content.decode()


def test_the_sent_list_keeps_the_filters_on_its_page_links(client, world):
    for _ in range(51):
        _notify(world.participant.user, participant=world.participant)
    _notify(world.line_manager, kind="at_risk", participant=world.participant)
    client.force_login(world.programme_manager)
    cohort = world.participant.cohort.pk
    response = client.get(reverse("notifications_sent"), {"kind": "briefing", "cohort": cohort})
    assert response.context["page"].paginator.count == 51
    assert f"?kind=briefing&amp;cohort={cohort}&amp;page=2" in response.content.decode()


def _fill(world, count):
    cohort = world.participant.cohort
    for _ in range(count):
        participant = ParticipantFactory(cohort=cohort)
        _notify(participant.user, participant=participant)
        _notify(world.programme_manager, kind="at_risk", participant=participant)
        _notify(world.participant.user, kind="window_closing", participant=world.participant)


@pytest.mark.parametrize("size", [2, 30])
def test_the_sent_list_costs_the_same_queries_at_any_size(
    client, world, size, django_assert_max_num_queries
):
    _fill(world, size)
    client.force_login(world.programme_manager)
    # Counted: the session, the signed-in user, their roles (navigation), the cohorts and the
    # kinds for the filters, the page's count and the page itself (recipients, participants
    # and their cohorts joined in). Not one per row.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("notifications_sent"), {"kind": "at_risk"})
    assert len(response.context["page"].object_list) == size


@pytest.mark.parametrize("size", [2, 60])
def test_the_own_list_costs_the_same_queries_at_any_size(
    client, world, size, django_assert_max_num_queries
):
    _fill(world, size)
    client.force_login(world.participant.user)
    # Counted: the session, the signed-in user, their roles (navigation), the page's count and
    # the page itself.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("notifications"))
    assert len(response.context["page"].object_list) == min(size, 50)
