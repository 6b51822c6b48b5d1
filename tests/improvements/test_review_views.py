"""The review of the implementation on the initiative page (improvements/review_views.py):
the participant asks, the line manager confirms or returns it; others get 403 or 404."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from improvements import review, services
from improvements.models import PDSACycle
from tests.factories import DataPointFactory, ImprovementInitiativeFactory, MeasureFactory

TODAY = dt.datetime(2027, 5, 3, 10, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def initiative(world):
    initiative = ImprovementInitiativeFactory(participant=world.participant)
    services.initiative_submit(initiative=initiative, by=world.participant.user)
    services.initiative_agree(initiative=initiative, by=world.line_manager)
    initiative.refresh_from_db()
    return initiative


def implement(initiative):
    PDSACycle.objects.create(
        initiative=initiative,
        number=1,
        change="A one-page summary",
        prediction="Fewer calls",
        starts_on=dt.date(2027, 4, 5),
        ends_on=dt.date(2027, 4, 19),
        act="adopt",
    )
    DataPointFactory(measure=MeasureFactory(initiative=initiative), date=dt.date(2027, 4, 26))


def _user(world, who):
    return world.participant.user if who == "participant" else getattr(world, who)


def test_the_page_says_what_is_still_to_record(client, world, initiative):
    client.force_login(world.participant.user)
    html = client.get(reverse("initiative_detail", args=[world.participant.pk])).content.decode()
    assert "A completed PDSA cycle (with its end date and what you decided)" in html
    assert "Ask your line manager to review the implementation" not in html


def test_the_participant_asks_and_the_line_manager_confirms(client, world, initiative):
    implement(initiative)
    pk = world.participant.pk
    client.force_login(world.participant.user)
    html = client.get(reverse("initiative_detail", args=[pk])).content.decode()
    assert "Ask your line manager to review the implementation" in html
    response = client.post(reverse("initiative_review_ask", args=[pk]), follow=True)
    assert "Sent to your line manager to review." in response.content.decode()

    client.force_login(world.line_manager)
    html = client.get(reverse("initiative_detail", args=[pk])).content.decode()
    assert "Confirm implemented and reviewed" in html
    response = client.post(
        reverse("initiative_review_decide", args=[pk]),
        {"decision": "confirm", "review-comment": ""},
        follow=True,
    )
    html = response.content.decode()
    assert "Initiative confirmed implemented and reviewed." in html
    assert "Confirmed implemented and reviewed on 3 May 2027" in html


def test_returning_without_a_comment_is_explained(client, world, initiative):
    implement(initiative)
    review.review_ask(initiative=initiative, by=world.participant.user)
    client.force_login(world.line_manager)
    response = client.post(
        reverse("initiative_review_decide", args=[world.participant.pk]),
        {"decision": "return", "review-comment": ""},
    )
    assert response.status_code == 400
    assert response.context["review_form"].errors["comment"] == [
        "Say what to do, so the participant can act on it."
    ]


def test_asking_too_early_says_what_is_missing(client, world, initiative):
    client.force_login(world.participant.user)
    response = client.post(
        reverse("initiative_review_ask", args=[world.participant.pk]), follow=True
    )
    assert "before asking for the review, record a completed PDSA cycle" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("line_manager", 403),
        ("sponsor", 403),
        ("programme_manager", 403),
        ("other_education_lead", 404),
        ("outsider", 404),
    ],
)
def test_only_the_participant_asks(client, world, initiative, who, status):
    implement(initiative)
    client.force_login(_user(world, who))
    response = client.post(reverse("initiative_review_ask", args=[world.participant.pk]))
    assert response.status_code == status
    assert not initiative.decisions.filter(action="review_asked").exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("participant", 403),
        ("sponsor", 403),
        ("education_lead", 403),
        ("programme_manager", 403),
        ("other_education_lead", 404),
        ("outsider", 404),
    ],
)
def test_only_the_line_manager_decides(client, world, initiative, who, status):
    implement(initiative)
    review.review_ask(initiative=initiative, by=world.participant.user)
    client.force_login(_user(world, who))
    response = client.post(
        reverse("initiative_review_decide", args=[world.participant.pk]),
        {"decision": "confirm", "review-comment": ""},
    )
    assert response.status_code == status
    initiative.refresh_from_db()
    assert initiative.reviewed_at is None


def test_the_home_pages_name_the_next_step(client, world, initiative):
    implement(initiative)
    client.force_login(world.participant.user)
    html = client.get(reverse("home")).content.decode()
    assert "Ask your line manager to review the implementation" in html

    review.review_ask(initiative=initiative, by=world.participant.user)
    client.force_login(world.line_manager)
    html = client.get(reverse("home")).content.decode()
    assert "Review Pat Participant&#x27;s implemented improvement initiative" in html
