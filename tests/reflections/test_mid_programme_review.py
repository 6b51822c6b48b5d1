"""The mid-programme review (issue 19, item 4): around the half-way point the participant and
their line manager hold a short review, and the line manager records it from a phone. Its
words are theirs alone (like a reflective account); the programme manager sees only whether
it was held. Reminders at the end of week 12 to both, once each; home tasks for both.

The world's cohort starts on Monday 1 March 2027: the review is due by 31 May 2027 (the end of
week 13) and both are reminded from 24 May (the end of week 12)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from i2i.models import Notification
from programme.reminders import send_due_reminders
from programme.tasks import home_tasks
from reflections import reviews
from reflections.models import MidProgrammeReview
from tests.factories import ParticipantFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
D = dt.date
TEXT = {
    "going_well": "Placements booked early; confident with hosts.",
    "help_needed": "An introduction to the discharge hub.",
    "plan": "Third placement by week 18, initiative agreed by week 20.",
}


def _at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=LONDON), tick=False)


@pytest.fixture
def half_way(world):
    """The world's cohort, 12 weeks and 2 days in: the review is due in five days."""
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=12, days=2)
    cohort.save()
    return world


def _record(world, **overrides):
    return reviews.mid_programme_review_record(
        participant=world.participant,
        by=world.line_manager,
        held_on=overrides.pop("held_on", timezone.localdate()),
        **{**TEXT, **overrides},
    )


def _url(participant) -> str:
    return reverse("mid_programme_review", args=[participant.pk])


# Recording it ----------------------------------------------------------------------------------


def test_it_works_for_the_line_manager(half_way):
    review = _record(half_way)
    assert (review.participant, review.recorded_by) == (half_way.participant, half_way.line_manager)
    assert review.going_well == TEXT["going_well"]
    assert half_way.participant.mid_programme_review == review


def test_only_the_line_manager_records_it(half_way):
    for person in (
        half_way.participant.user,
        half_way.sponsor,
        half_way.education_lead,
        half_way.programme_manager,
        half_way.other_participant.line_manager,
    ):
        with pytest.raises(PermissionDenied):
            reviews.mid_programme_review_record(
                participant=half_way.participant, by=person, held_on=timezone.localdate(), **TEXT
            )
    assert not MidProgrammeReview.objects.exists()


def test_it_is_recorded_once(half_way):
    _record(half_way)
    with pytest.raises(ValidationError, match="already recorded"):
        _record(half_way, plan="Another plan")
    assert MidProgrammeReview.objects.get().plan == TEXT["plan"]


def test_the_day_it_was_held_is_within_the_programme_and_not_ahead(half_way):
    start = half_way.participant.cohort.programme_start
    for day in (start - dt.timedelta(days=1), timezone.localdate() + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            _record(half_way, held_on=day)
        assert (
            "Enter the date you held the review, between" in error.value.message_dict["held_on"][0]
        )
    assert _record(half_way, held_on=start).held_on == start


def test_what_went_well_and_the_plan_are_needed_the_help_is_optional(half_way):
    with pytest.raises(ValidationError) as error:
        _record(half_way, going_well="  ", plan="")
    assert set(error.value.message_dict) == {"going_well", "plan"}
    assert _record(half_way, help_needed="").help_needed == ""


# Who may open it ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("participant", 200),
        ("line_manager", 200),
        ("other_participant", 404),
        ("other_line_manager", 404),
        ("sponsor", 404),
        ("education_lead", 404),
        ("programme_manager", 404),
        ("outsider", 404),
    ],
)
def test_the_review_page_is_for_the_participant_and_line_manager_only(
    client, half_way, who, status
):
    """Private like a reflective account (`access.readable_accounts`): outside the two of them
    it is not there at all (404), the programme manager included, who sees on the dashboard
    whether it was held and never its words."""
    _record(half_way)
    people = {
        "participant": half_way.participant.user,
        "line_manager": half_way.line_manager,
        "other_participant": half_way.other_participant.user,
        "other_line_manager": half_way.other_participant.line_manager,
        "sponsor": half_way.sponsor,
        "education_lead": half_way.education_lead,
        "programme_manager": half_way.programme_manager,
        "outsider": half_way.outsider,
    }
    client.force_login(people[who])
    response = client.get(_url(half_way.participant))
    assert response.status_code == status
    assert (TEXT["going_well"] in response.content.decode()) == (status == 200)
    posted = client.post(_url(half_way.participant), {"held_on": "", **TEXT})
    assert posted.status_code == (403 if status == 200 else 404)


def test_the_line_manager_records_it_from_the_form(client, half_way):
    client.force_login(half_way.line_manager)
    page = client.get(_url(half_way.participant)).content.decode()
    assert "Record Pat Participant’s mid-programme review" in page
    assert "What help is needed (optional)" in page
    assert "What is going well (optional)" not in page
    today = timezone.localdate()
    response = client.post(_url(half_way.participant), {"held_on": today.isoformat(), **TEXT})
    assert response.status_code == 302
    review = MidProgrammeReview.objects.get()
    assert (review.held_on, review.plan) == (today, TEXT["plan"])
    shown = client.get(_url(half_way.participant)).content.decode()
    assert TEXT["plan"] in shown and "<form" not in shown.split("<main", 1)[-1].split("</main>")[0]

    client.force_login(half_way.participant.user)
    page = client.get(_url(half_way.participant)).content.decode()
    assert "Your mid-programme review" in page and TEXT["going_well"] in page


def test_the_form_shows_its_errors_the_gov_uk_way(client, half_way):
    client.force_login(half_way.line_manager)
    today = timezone.localdate()
    response = client.post(
        _url(half_way.participant), {"held_on": today.isoformat(), "plan": "A plan"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert '<a href="#id_going_well">Enter what is going well</a>' in page
    assert "A plan" in page  # what they typed is kept
    # A day ahead is refused by the service, with the range in the message.
    ahead = client.post(
        _url(half_way.participant),
        {**TEXT, "held_on": (today + dt.timedelta(days=3)).isoformat()},
    )
    assert ahead.status_code == 400
    assert "Enter the date you held the review, between" in ahead.content.decode()
    assert not MidProgrammeReview.objects.exists()


def test_the_participant_sees_it_is_not_recorded_yet(client, half_way):
    client.force_login(half_way.participant.user)
    page = client.get(_url(half_way.participant)).content.decode()
    assert "Not recorded yet" in page and "<textarea" not in page


# Reminders -------------------------------------------------------------------------------------


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(today: dt.date) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(today=today)

    return run


def _reminded() -> list[tuple[int, int]]:
    return sorted(
        Notification.objects.filter(kind="mid_programme_review").values_list(
            "recipient", "participant"
        )
    )


def test_both_are_reminded_at_the_end_of_week_12_once_each(world, run):
    run(D(2027, 5, 23))
    assert _reminded() == []

    run(D(2027, 5, 24))
    pairs = [
        (world.participant.user_id, world.participant.pk),
        (world.participant.line_manager_id, world.participant.pk),
        (world.other_participant.user_id, world.other_participant.pk),
        (world.other_participant.line_manager_id, world.other_participant.pk),
    ]
    assert _reminded() == sorted(pairs)
    url = settings.SITE_URL + _url(world.participant)
    for notification in Notification.objects.filter(kind="mid_programme_review").select_related(
        "recipient"
    ):
        (message,) = [
            m
            for m in mail.outbox
            if m.to == [notification.recipient.email] and m.subject == notification.subject
        ]
        assert message.body == notification.body
        assert url.rsplit("/participants/", 1)[0] in notification.url
        assert "31 May 2027" in notification.subject
    to_participant = Notification.objects.get(
        kind="mid_programme_review", recipient=world.participant.user
    )
    assert to_participant.subject.endswith("Your I2I mid-programme review is due by 31 May 2027")
    assert to_participant.url == url

    def review_emails():
        return [m for m in mail.outbox if "mid-programme review" in m.subject]

    emails = len(review_emails())
    for day in (D(2027, 5, 25), D(2027, 6, 14)):
        run(day)
    assert len(_reminded()) == 4 and len(review_emails()) == emails == 4


def test_no_reminder_once_it_is_recorded_nor_to_others(world, run):
    reviews_day = D(2027, 5, 20)
    with _at(reviews_day):
        _record(world, held_on=reviews_day)
    run(D(2027, 5, 24))
    reminded = {recipient for recipient, _ in _reminded()}
    assert reminded == {world.other_participant.user_id, world.other_participant.line_manager_id}
    assert world.sponsor.pk not in reminded and world.programme_manager.pk not in reminded


def test_no_reminder_after_the_window_nor_in_a_cohort_not_running(world, run):
    cohort = world.participant.cohort
    run(D(2027, 9, 2))  # the window ended on 1 September
    assert _reminded() == []
    cohort.status = "closed"
    cohort.save()
    run(D(2027, 5, 24))
    assert _reminded() == []


def test_a_participant_without_a_line_manager_is_still_reminded(world, run):
    alone = ParticipantFactory(cohort=world.participant.cohort, line_manager=None)
    run(D(2027, 5, 24))
    assert [r for r, p in _reminded() if p == alone.pk] == [alone.user_id]


# Home tasks ------------------------------------------------------------------------------------


def _review_tasks(user) -> list:
    return [t for t in home_tasks(user) if "mid-programme review" in t.text]


def test_the_tasks_show_from_two_weeks_before_it_is_due_until_it_is_recorded(world):
    with _at(D(2027, 5, 16)):
        assert _review_tasks(world.line_manager) == []
        assert _review_tasks(world.participant.user) == []
    with _at(D(2027, 5, 17)):
        (lm_task,) = _review_tasks(world.line_manager)
        assert lm_task.text == "Hold Pat Participant's mid-programme review — due 31 May 2027"
        assert lm_task.url == _url(world.participant)
        assert lm_task.due == D(2027, 5, 31)
        (own,) = _review_tasks(world.participant.user)
        assert own.text == "Hold your mid-programme review with Lee Linemanager"
        assert own.url == _url(world.participant)
        # Nobody else is asked.
        for person in (world.sponsor, world.education_lead, world.programme_manager):
            assert _review_tasks(person) == []
        _record(world)
        assert _review_tasks(world.line_manager) == []
        assert _review_tasks(world.participant.user) == []


def test_an_overdue_review_is_urgent(world):
    with _at(D(2027, 6, 7)):
        (task,) = _review_tasks(world.line_manager)
        assert task.urgency.label == "Urgent"


def test_the_tasks_stop_when_the_window_ends(world):
    with _at(D(2027, 9, 2)):
        assert _review_tasks(world.line_manager) == []
        assert _review_tasks(world.participant.user) == []


# The dashboard -----------------------------------------------------------------------------------


def test_the_dashboard_shows_done_or_not_yet_and_never_the_words(client, half_way):
    _record(half_way, held_on=timezone.localdate())
    client.force_login(half_way.programme_manager)
    response = client.get(reverse("cohort_dashboard", args=[half_way.participant.cohort.pk]))
    rows = {row.name: row for row in response.context["dashboard"].rows}
    assert rows["Pat Participant"].review_held_on == timezone.localdate()
    assert rows["Olly Other"].review_held_on is None
    html = response.content.decode()
    today = timezone.localdate()
    assert f'<td data-label="Mid-programme review">Done, {today.day} {today:%B %Y}</td>' in html
    assert '<td data-label="Mid-programme review">Not yet</td>' in html
    for words in TEXT.values():
        assert words not in html


def test_the_dashboard_reads_no_more_queries_for_the_columns(
    client, half_way, django_assert_max_num_queries
):
    """Both columns come in the participants' own query: the same count at two sizes, within
    the dashboard's budget."""
    from participants.models import SponsorMeeting

    cohort = half_way.participant.cohort
    client.force_login(half_way.programme_manager)
    url = reverse("cohort_dashboard", args=[cohort.pk])
    client.get(url)  # the session's first request records when it started
    counts = []
    for size in (2, 20):
        for _ in range(size):
            p = ParticipantFactory(cohort=cohort)
            SponsorMeeting.objects.create(
                participant=p, met_on=cohort.programme_start, recorded_by=p.sponsor
            )
            MidProgrammeReview.objects.create(
                participant=p, held_on=timezone.localdate(), recorded_by=p.line_manager, **TEXT
            )
        # session, user, roles; cohort; participants (with both columns); placements; half-days
        with django_assert_max_num_queries(7) as captured:
            response = client.get(url)
        assert sum(1 for r in response.context["dashboard"].rows if r.review_held_on) == (
            2 if size == 2 else 22
        )
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_an_erased_participants_review_loses_its_words(half_way):
    from programme.personal_data import person_erase

    _record(half_way)
    person_erase(user=half_way.participant.user, by=half_way.programme_manager)
    review = MidProgrammeReview.objects.get()
    assert review.going_well == review.plan == "(erased)"
    assert review.help_needed == ""
    assert review.held_on == timezone.localdate()


def test_a_user_with_no_role_has_no_review_task(world):
    assert _review_tasks(UserFactory()) == []
