"""The improvement pages: shared with everyone who supports the participant, led by them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from zeal import zeal_context

from i2i import rules
from improvements import services
from improvements.models import DataPoint
from programme.progress import commitment_report, with_progress
from tests.factories import ImprovementInitiativeFactory, MeasureFactory

LONDON_NOON_AFTER = dt.datetime(2027, 9, 1, 12, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def clock():
    """A day after every date the tests enter: a data point may not be dated after today."""
    with time_machine.travel(LONDON_NOON_AFTER, tick=False):
        yield


@pytest.fixture
def initiative(world):
    return ImprovementInitiativeFactory(participant=world.participant)


def _user(world, who):
    return world.participant.user if who == "participant" else getattr(world, who)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("participant", 200),
        ("line_manager", 200),
        ("sponsor", 200),
        ("education_lead", 200),
        ("programme_manager", 200),
        ("other_education_lead", 404),
        ("outsider", 404),
    ],
)
def test_the_initiative_is_shared_with_everyone_who_supports_the_participant(
    client, world, initiative, who, status
):
    client.force_login(_user(world, who))
    response = client.get(reverse("initiative_detail", args=[world.participant.pk]))
    assert response.status_code == status
    if status == 200:
        assert "A one-page transfer summary" in response.content.decode()


@pytest.mark.parametrize("who", ["line_manager", "sponsor", "programme_manager"])
def test_only_the_participant_changes_it(client, world, initiative, who):
    client.force_login(_user(world, who))
    pk = world.participant.pk
    for name in ("initiative_edit", "initiative_progress", "initiative_outcome", "pdsa_create"):
        assert client.get(reverse(name, args=[pk])).status_code == 403, name
    measure = MeasureFactory(initiative=initiative)
    assert client.get(reverse("measure_data", args=[pk, measure.pk])).status_code == 403


def test_the_participant_starts_from_their_reflections_ideas(client, world, db):
    from tests.factories import ReflectiveAccountFactory

    ReflectiveAccountFactory(
        placement__participant=world.participant,
        answers={"improvement_ideas": "A shared discharge checklist."},
    )
    client.force_login(world.participant.user)
    response = client.get(reverse("initiative_detail", args=[world.participant.pk]))
    assert response["Location"] == reverse("initiative_create", args=[world.participant.pk])
    html = client.get(response["Location"]).content.decode()
    assert "A shared discharge checklist." in html


def test_a_missing_aim_is_explained_and_the_rest_kept(client, world):
    client.force_login(world.participant.user)
    response = client.post(
        reverse("initiative_create", args=[world.participant.pk]),
        {"title": "Transfer summary", "problem": "Calls chasing information", "kind": "forms"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["aim"] == ["Enter what we are trying to accomplish"]
    assert 'value="Transfer summary"' in response.content.decode()


def test_the_line_manager_agrees_with_htmx(client, world, initiative):
    services.initiative_submit(initiative=initiative, by=world.participant.user)
    client.force_login(world.line_manager)
    response = client.post(
        reverse("initiative_decide", args=[world.participant.pk]),
        {"decision": "agree", "comment": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="agreement-panel"')
    assert "Initiative agreed." in html
    initiative.refresh_from_db()
    assert initiative.is_agreed


def test_pasting_a_bad_row_shows_the_line_and_keeps_the_paste(client, world, initiative):
    measure = MeasureFactory(initiative=initiative)
    client.force_login(world.participant.user)
    text = "03/03/2027\t9\n10/03/2027\tnine"
    response = client.post(
        reverse("measure_data", args=[world.participant.pk, measure.pk]),
        {"action": "paste", "data": text},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Line 2: “nine” is not a number." in html
    assert "10/03/2027\tnine" in html  # what was pasted is still in the box
    assert not DataPoint.objects.exists()


def test_the_measure_page_draws_the_chart_and_states_signals(client, world, initiative):
    measure = MeasureFactory(initiative=initiative)
    rows = "\n".join(
        f"{(dt.date(2027, 3, 1) + dt.timedelta(days=7 * i)).isoformat()}\t{v}"
        for i, v in enumerate([9, 9, 8, 9, 10, 9, 9, 8, 9, 10, 5, 4, 5, 4, 5, 4, 5, 4, 3, 4])
    )
    client.force_login(world.participant.user)
    client.post(
        reverse("measure_data", args=[world.participant.pk, measure.pk]),
        {"action": "paste", "data": rows},
    )
    page = client.get(reverse("initiative_detail", args=[world.participant.pk])).content.decode()
    assert "<svg" in page
    assert "shift" in page.lower()
    assert "Making Data Count" in page
    xmr = client.get(
        reverse("initiative_detail", args=[world.participant.pk]), {"view": "xmr"}
    ).content.decode()
    assert "Show the run chart" in xmr


def test_an_agreed_plan_is_on_track_until_the_six_months_end(world, initiative):
    from participants.models import Participant

    def status(day):
        # Each reading is its own unit of work for zeal (as a page view would be), so
        # reading the same participant before and after is not an N+1 on .get().
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo("Europe/London"))
        with time_machine.travel(noon, tick=False), zeal_context():
            p = with_progress(Participant.objects.filter(pk=world.participant.pk)).get()
            return commitment_report(p).get("improvement").status

    start = world.participant.cohort.programme_start
    in_week_9 = start + dt.timedelta(weeks=8)
    assert status(in_week_9) == "on_track"
    services.initiative_submit(initiative=initiative, by=world.participant.user)
    services.initiative_agree(initiative=initiative, by=world.line_manager)
    # Agreeing the plan is on track; implemented and reviewed is met (test_review.py).
    assert status(in_week_9) == "on_track"
    assert status(rules.window_end(start)) == "on_track"
    assert status(rules.window_end(start) + dt.timedelta(days=1)) == "at_risk"


def test_the_detail_page_does_not_grow_with_data(
    client, world, initiative, django_assert_max_num_queries
):
    measure = MeasureFactory(initiative=initiative)
    client.force_login(world.line_manager)
    url = reverse("initiative_detail", args=[world.participant.pk])
    counts = []
    for size in (3, 30):
        start = dt.date(2027, 1, 1) + dt.timedelta(days=100 * len(counts))
        DataPoint.objects.bulk_create(
            DataPoint(measure=measure, date=start + dt.timedelta(days=i), value=i % 7)
            for i in range(size)
        )
        # 23 with issue #21's parts: team, feedback, milestones, the experience prompt,
        # the driver diagram and the attachments (one query each, whatever they hold).
        with django_assert_max_num_queries(23) as captured:
            client.get(url)
        counts.append(len(captured))
    assert counts[0] == counts[1]
