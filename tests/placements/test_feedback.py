"""Feedback both ways (issue #20): the participant on the host, the host person on the
participant, once the placement is complete; who may give which, and what the programme
manager reads (per host, and in aggregate in the evaluation report, without names)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from i2i.models import AuditEvent
from placements import feedback
from placements.models import HostFeedback, ParticipantFeedback
from programme.evaluation_report import cohort_evaluation
from tests.factories import (
    ApprovedPlacementFactory,
    HalfDayFactory,
    HostPersonFactory,
    OrganisationFactory,
    ParticipantFactory,
)


@pytest.fixture
def complete(placement):
    """The world's participant's placement with Riverside Practice, its four half-days done."""
    placement.status = "complete"
    placement.save()
    return placement


@pytest.fixture
def host(complete):
    """The host person of Riverside Practice."""
    return HostPersonFactory(organisation=complete.organisation).user


# Who may give which -----------------------------------------------------------------------


def test_the_participant_gives_feedback_on_the_host(complete, running):
    given = feedback.host_feedback_give(
        placement=complete, by=running.participant.user, rating=5, comment="  Very welcoming. "
    )
    assert (given.rating, given.comment) == (5, "Very welcoming.")
    event = AuditEvent.objects.get(action="host_feedback_given")
    assert event.actor == running.participant.user
    assert event.detail == {
        "placement": complete.pk,
        "participant": running.participant.pk,
        "rating": 5,
    }


def test_the_participant_may_change_their_feedback(complete, running):
    user = running.participant.user
    feedback.host_feedback_give(placement=complete, by=user, rating=2, comment="")
    feedback.host_feedback_give(placement=complete, by=user, rating=None, comment="On reflection")
    assert HostFeedback.objects.get().rating is None
    assert AuditEvent.objects.filter(action="host_feedback_changed").count() == 1


def test_empty_host_feedback_is_not_saved(complete, running):
    with pytest.raises(ValidationError) as error:
        feedback.host_feedback_give(
            placement=complete, by=running.participant.user, rating=None, comment=" "
        )
    assert "Choose a rating or write a comment" in error.value.message_dict["rating"][0]
    assert not HostFeedback.objects.exists()


@pytest.mark.parametrize("role", ["line_manager", "sponsor", "programme_manager"])
def test_only_the_participant_gives_host_feedback(complete, running, role):
    with pytest.raises(PermissionDenied):
        feedback.host_feedback_give(
            placement=complete, by=getattr(running, role), rating=4, comment=""
        )


def test_the_host_person_gives_the_participant_feedback(complete, host):
    given = feedback.participant_feedback_give(
        placement=complete, by=host, comment="Asked good questions at handover."
    )
    assert given.by == host
    assert AuditEvent.objects.filter(action="participant_feedback_given", actor=host).exists()


def test_a_host_person_of_another_organisation_may_not(complete, running):
    elsewhere = HostPersonFactory(organisation=OrganisationFactory(name="Larkhaven Police"))
    for user in (elsewhere.user, running.participant.user, running.programme_manager):
        with pytest.raises(PermissionDenied):
            feedback.participant_feedback_give(placement=complete, by=user, comment="Good.")
    assert not ParticipantFeedback.objects.exists()


def test_feedback_waits_until_the_placement_is_complete(placement, running):
    host = HostPersonFactory(organisation=placement.organisation).user
    with pytest.raises(ValidationError) as error:
        feedback.host_feedback_give(
            placement=placement, by=running.participant.user, rating=5, comment=""
        )
    assert error.value.messages[0].startswith("Feedback opens once the placement is complete")
    with pytest.raises(ValidationError):
        feedback.participant_feedback_give(placement=placement, by=host, comment="Good.")
    assert not HostFeedback.objects.exists() and not ParticipantFeedback.objects.exists()


# The pages --------------------------------------------------------------------------------


def test_the_participant_gives_feedback_from_the_placement_page(client, complete, running):
    client.force_login(running.participant.user)
    page = client.get(reverse("placement_detail", args=[complete.pk])).content.decode()
    url = reverse("host_feedback", args=[complete.pk])
    assert url in page
    assert client.get(url).status_code == 200
    response = client.post(url, {"rating": "4", "comment": "A clear induction."})
    assert response.status_code == 302
    page = client.get(reverse("placement_detail", args=[complete.pk])).content.decode()
    assert "Good." in page and "A clear induction." in page


def test_a_blank_feedback_form_is_explained(client, complete, running):
    client.force_login(running.participant.user)
    response = client.post(reverse("host_feedback", args=[complete.pk]), {"comment": ""})
    assert response.status_code == 200
    assert "Choose a rating or write a comment" in response.content.decode()


def test_the_host_feedback_page_is_the_participants_alone(client, complete, running):
    url = reverse("host_feedback", args=[complete.pk])
    for user, status in (
        (running.line_manager, 403),
        (running.programme_manager, 403),
        (running.other_participant.user, 404),
        (running.outsider, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_the_host_feedback_page_waits_for_completion(client, placement, running):
    client.force_login(running.participant.user)
    assert client.get(reverse("host_feedback", args=[placement.pk])).status_code == 403
    page = client.get(reverse("placement_detail", args=[placement.pk])).content.decode()
    assert reverse("host_feedback", args=[placement.pk]) not in page
    assert "Once your four half-days are complete" in page


def test_the_host_person_gives_feedback_on_its_own_page(client, complete, host, running):
    url = reverse("participant_feedback", args=[complete.pk])
    client.force_login(host)
    assert client.get(url).status_code == 200
    response = client.post(url, {"comment": ""})
    assert f"Enter your feedback for {complete.participant.user}" in response.content.decode()
    response = client.post(url, {"comment": "Confident with families."})
    assert response.status_code == 302
    assert response["Location"] == reverse("host_visits", args=[complete.organisation_id])
    # The participant reads it on their placement page.
    client.force_login(running.participant.user)
    page = client.get(reverse("placement_detail", args=[complete.pk])).content.decode()
    assert "Confident with families." in page


def test_the_visitor_feedback_page_is_the_host_persons_alone(client, complete, host, running):
    url = reverse("participant_feedback", args=[complete.pk])
    elsewhere = HostPersonFactory(organisation=OrganisationFactory(name="Larkhaven Police"))
    for user in (elsewhere.user, running.participant.user, running.programme_manager):
        client.force_login(user)
        assert client.get(url).status_code == 404, user


def test_the_visitor_feedback_page_waits_for_completion(client, placement):
    host = HostPersonFactory(organisation=placement.organisation).user
    client.force_login(host)
    assert client.get(reverse("participant_feedback", args=[placement.pk])).status_code == 403


def test_the_line_manager_does_not_see_the_feedback(client, complete, host, running):
    feedback.participant_feedback_give(placement=complete, by=host, comment="Punctual.")
    client.force_login(running.line_manager)
    page = client.get(reverse("placement_detail", args=[complete.pk])).content.decode()
    assert "Punctual." not in page


# What the programme manager reads ---------------------------------------------------------


def _rated(organisation, rating, comment=""):
    placement = ApprovedPlacementFactory(
        participant=ParticipantFactory(), organisation=organisation, status="complete"
    )
    return HostFeedback.objects.create(placement=placement, rating=rating, comment=comment)


def test_the_programme_manager_reads_feedback_per_host(client, complete, running):
    host = complete.organisation
    _rated(host, 5, "Really open team.")
    _rated(host, 4)
    _rated(host, None, "Parking was hard.")
    _rated(OrganisationFactory(name="Larkhaven Police"), 1, "Elsewhere.")
    summary = feedback.host_feedback_summary(host)
    assert (summary.count, summary.rated, summary.average) == (3, 2, 4.5)
    assert summary.by_rating[:2] == [("Very good", 1), ("Good", 1)]
    client.force_login(running.programme_manager)
    url = reverse("organisation_host_feedback", args=[host.pk])
    assert url in client.get(reverse("organisation_edit", args=[host.pk])).content.decode()
    page = client.get(url).content.decode()
    assert "Feedback on 3 placements; average rating 4.5 out of 5 from 2 ratings." in page
    assert "Really open team." in page and "Parking was hard." in page
    assert "Elsewhere." not in page
    for user in (running.participant.user, running.line_manager, running.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_the_host_page_does_not_grow_with_feedback(
    client, complete, running, django_assert_max_num_queries
):
    client.force_login(running.programme_manager)
    url = reverse("organisation_host_feedback", args=[complete.organisation_id])
    _rated(complete.organisation, 3, "One.")
    client.get(url)  # the session and the user, read once
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    for n in range(5):
        _rated(complete.organisation, 4, f"More {n}.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_evaluation_report_counts_host_feedback_without_names(client, complete, running):
    cohort = running.participant.cohort
    HalfDayFactory(placement=complete)  # something to report
    HostFeedback.objects.create(placement=complete, rating=5, comment="Secret words.")
    care_home = OrganisationFactory(name="Willowbank Care Home", sector="care_sector")
    for rating in (2, 3):
        other = ApprovedPlacementFactory(
            participant=ParticipantFactory(cohort=cohort), organisation=care_home
        )
        HostFeedback.objects.create(placement=other, rating=rating)
    # One participant gives feedback on two of their placements: three people, four placements.
    second = ApprovedPlacementFactory(participant=complete.participant, organisation=care_home)
    HostFeedback.objects.create(placement=second, comment="No rating, a comment.")
    figures = cohort_evaluation(cohort, running.participant.cohort.programme_start).host_feedback
    assert (figures.people, figures.placements, figures.rated) == (3, 4, 3)
    assert dict(figures.by_rating) == {
        "Very good": 1,
        "Good": 0,
        "Neither good nor poor": 1,
        "Poor": 1,
        "Very poor": 0,
    }
    assert [(sector, n, average) for sector, n, average in figures.by_sector] == [
        ("Care Sector", 2, 2.5),
        ("GP Practice", 1, 5.0),
    ]
    client.force_login(running.programme_manager)
    page = client.get(reverse("cohort_evaluation", args=[cohort.pk])).content.decode()
    assert "What participants said about their hosts" in page
    assert (
        "3 participants gave feedback on the hosts of 4 completed placements, "
        "3 of them with a rating." in page
    )
    assert "Secret words." not in page
    assert (
        "Riverside Practice" not in page.split("What participants said")[1].split("</section>")[0]
    )


def test_the_visitor_feedback_form_opens_with_the_earlier_feedback(client, complete, host, running):
    """The review of issue #20: the form opened empty although the placement page showed the
    host's earlier feedback."""
    feedback.participant_feedback_give(placement=complete, by=host, comment="Punctual & kind.")
    client.force_login(host)
    page = client.get(reverse("participant_feedback", args=[complete.pk])).content.decode()
    assert "Punctual &amp; kind.</textarea>" in page
    assert "Change your feedback" in page


def test_an_empty_visitor_feedback_is_refused_next_to_the_field(client, complete, host, running):
    name = str(complete.participant.user)
    client.force_login(host)
    url = reverse("participant_feedback", args=[complete.pk])
    response = client.post(url, {"comment": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["comment"] == [f"Enter your feedback for {name}"]
    assert "Thank you" not in response.content.decode()
    assert not ParticipantFeedback.objects.exists()


def test_emptying_earlier_visitor_feedback_asks_to_remove_it(client, complete, host, running):
    """Emptying the box of earlier feedback keeps it and says how to remove it; the remove
    button (on the form only when there is feedback) deletes it, audited."""
    feedback.participant_feedback_give(placement=complete, by=host, comment="Punctual.")
    name = str(complete.participant.user)
    client.force_login(host)
    url = reverse("participant_feedback", args=[complete.pk])
    response = client.post(url, {"comment": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["comment"] == [
        f"Enter your feedback for {name}, or choose “Remove your feedback” to take it away"
    ]
    assert ParticipantFeedback.objects.get().comment == "Punctual."
    assert "Remove your feedback" in response.content.decode()
    response = client.post(url, {"comment": "", "remove": "1"})
    assert response.status_code == 302
    assert not ParticipantFeedback.objects.exists()
    assert AuditEvent.objects.filter(action="participant_feedback_removed", actor=host).exists()
    page = client.get(response["Location"]).content.decode()
    assert f"Your feedback for {name} is removed" in page
    # With nothing to remove, a "remove" post is an empty submit like any other.
    response = client.post(url, {"comment": "", "remove": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["comment"] == [f"Enter your feedback for {name}"]


def test_only_the_host_person_removes_the_visitor_feedback(complete, host, running):
    feedback.participant_feedback_give(placement=complete, by=host, comment="Punctual.")
    with pytest.raises(PermissionDenied):
        feedback.participant_feedback_remove(placement=complete, by=running.programme_manager)
    assert ParticipantFeedback.objects.exists()


def test_a_rating_not_on_the_list_is_worded_plainly(client, complete, running):
    """A crafted post, but still not Django's "Select a valid choice. 9 is not one of…"."""
    client.force_login(running.participant.user)
    response = client.post(reverse("host_feedback", args=[complete.pk]), {"rating": "9"})
    assert response.status_code == 200
    assert response.context["form"].errors["rating"] == ["Choose a rating from the list"]
