"""The follow-up questionnaire, 6 and 12 months after the cohort's workshop (issue 19, item 7):
open on the day (`rules.add_months`) for eight weeks, answered once by the participant only, a
task on their home page and reminders while open, and figures in the evaluation report only
where 5 or more answered."""

import datetime as dt
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html
from zeal import zeal_ignore

from devdata.demo import load_demo
from evaluation import follow_ups
from evaluation.models import FollowUp
from evaluation.statistics import FollowUpAnswer, follow_up_change
from i2i.models import Notification
from participants.models import Participant
from programme import tasks
from programme.evaluation_report import MIN_PAIRED, cohort_evaluation
from programme.reminders import send_due_reminders
from tests.factories import ParticipantFactory

LONDON = ZoneInfo("Europe/London")
D = dt.date
# The world's cohort (1 March 2027) holds its workshop on 15 September 2027: the 6-month
# follow-up is open from 15 March 2028 to 9 May 2028 (eight weeks), the 12-month one from
# 15 September 2028 to 9 November 2028.
WORKSHOP = D(2027, 9, 15)
SIX_OPENS, SIX_CLOSES = D(2028, 3, 15), D(2028, 5, 9)
TWELVE_OPENS = D(2028, 9, 15)

ANSWERS = {
    "role": "Ward sister",
    "band": "band_7",
    "promoted": "yes",
    "same_employer": "no",
    "contacts": "6",
    "learning_use": "I set up a weekly call with the council's reablement team.",
}


@contextmanager
def on(day: dt.date, client=None, user=None):
    """That day at 10am, signed in then (a session from another year would have expired)."""
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=LONDON), tick=False):
        if client is not None:
            client.force_login(user)
        yield


@pytest.fixture
def after_workshop(world):
    cohort = world.participant.cohort
    cohort.workshop_date = WORKSHOP
    cohort.status = "closed"
    cohort.save()
    return world


def _url(participant, moment="6-months"):
    return reverse("follow_up", args=[participant.pk, moment])


def _answer(participant, moment="6-months", day=SIX_OPENS, **changes):
    answers = {
        "role": "Senior nurse",
        "band": "band_6",
        "promoted": False,
        "same_employer": True,
        "contacts": 3,
        "learning_use": "",
    }
    return follow_ups.follow_up_submit(
        participant=participant, moment=moment, answers={**answers, **changes}, today=day
    )


# When it opens and closes ------------------------------------------------------------------


def test_it_opens_six_and_twelve_months_after_the_workshop_for_eight_weeks(after_workshop):
    cohort = after_workshop.participant.cohort
    six = follow_ups.window(cohort, "6-months")
    twelve = follow_ups.window(cohort, "12-months")
    assert (six.opens, six.closes) == (SIX_OPENS, SIX_CLOSES)
    assert (SIX_CLOSES - SIX_OPENS).days + 1 == 8 * 7
    assert (twelve.opens, twelve.closes) == (TWELVE_OPENS, D(2028, 11, 9))
    assert [six.state(d) for d in (D(2028, 3, 14), SIX_OPENS, SIX_CLOSES, D(2028, 5, 10))] == [
        "not_yet_open",
        "open",
        "open",
        "closed",
    ]


def test_a_workshop_at_a_months_end_opens_on_the_last_day_of_the_shorter_month(after_workshop):
    cohort = after_workshop.participant.cohort
    cohort.workshop_date = D(2027, 8, 31)
    assert follow_ups.window(cohort, "6-months").opens == D(2028, 2, 29)
    assert follow_ups.window(cohort, "12-months").opens == D(2028, 8, 31)


def test_without_a_workshop_date_there_is_no_follow_up(world, client):
    assert follow_ups.window(world.participant.cohort, "6-months") is None
    client.force_login(world.participant.user)
    response = client.get(_url(world.participant))
    assert "the workshop has no date yet" in response.content.decode()
    assert "Save my answers" not in response.content.decode()


@pytest.mark.parametrize(
    ("day", "says"),
    [
        (D(2028, 3, 14), "opens on 15 March 2028, 6 months after the workshop"),
        (SIX_OPENS, "Answer by 9 May 2028."),
        (SIX_CLOSES, "Answer by 9 May 2028."),
        (D(2028, 5, 10), "closed on 9 May 2028"),
    ],
)
def test_the_page_opens_on_the_day_and_says_when_before_and_after(
    after_workshop, client, day, says
):
    with on(day, client, after_workshop.participant.user):
        page = client.get(_url(after_workshop.participant)).content.decode()
        refused = client.post(_url(after_workshop.participant), ANSWERS)
    assert says in page
    is_open = SIX_OPENS <= day <= SIX_CLOSES
    assert ("Save my answers" in page) is is_open
    assert FollowUp.objects.exists() is is_open
    assert refused.status_code == (302 if is_open else 200)


def test_the_service_refuses_a_closed_follow_up(after_workshop):
    with pytest.raises(ValidationError, match="opens on 15 March 2028"):
        _answer(after_workshop.participant, day=D(2028, 3, 14))
    with pytest.raises(ValidationError, match="closed on 9 May 2028"):
        _answer(after_workshop.participant, day=D(2028, 5, 10))
    assert not FollowUp.objects.exists()


# Answering ---------------------------------------------------------------------------------


def test_the_participant_answers_once_and_reads_their_answers(after_workshop, client):
    participant = after_workshop.participant
    with on(D(2028, 4, 2), client, participant.user):
        response = client.post(_url(participant), ANSWERS)
        assert response.status_code == 302
        again = client.post(_url(participant), {**ANSWERS, "role": "Matron"})
        page = client.get(_url(participant)).content.decode()
    saved = FollowUp.objects.get()
    assert (saved.participant, saved.moment, saved.role, saved.band) == (
        participant,
        "6-months",
        "Ward sister",
        "band_7",
    )
    assert (saved.promoted, saved.same_employer, saved.contacts) == (True, False, 6)
    assert saved.learning_use.startswith("I set up a weekly call")
    assert "These answers were not saved" in again.content.decode()
    assert FollowUp.objects.count() == 1
    assert "Ward sister" in page and "Agenda for Change band 7" in page
    assert "Matron" not in page


def test_bad_input_is_shown_next_to_each_field_with_what_was_typed_kept(after_workshop, client):
    typed = {"role": "", "contacts": "fifty-one", "learning_use": "Words kept after an error"}
    with on(SIX_OPENS, client, after_workshop.participant.user):
        response = client.post(_url(after_workshop.participant), typed)
        too_many = client.post(_url(after_workshop.participant), {**ANSWERS, "contacts": "51"})
    page = lxml_html.fromstring(response.content)
    errors = {
        node.get("id").removesuffix("_error"): node.text_content().strip()
        for node in (n for n in page.iter() if (n.get("id") or "").endswith("_error"))
    }
    assert errors == {
        "id_role": "Enter your job title now",
        "id_band": "Select your band now, or Prefer not to say",
        "id_promoted": "Select yes if you have been promoted or moved to a new role",
        "id_same_employer": "Select yes if you are still with the same employer",
        "id_contacts": "Enter a whole number, like 4",
    }
    assert page.get_element_by_id("id_contacts").get("value") == "fifty-one"
    assert page.get_element_by_id("id_learning_use").text_content().strip() == typed["learning_use"]
    assert page.xpath("//title")[0].text_content().startswith("Error:")
    assert "Enter a number up to 50" in too_many.content.decode()
    assert not FollowUp.objects.exists()


def test_a_moment_that_does_not_exist_is_not_found(after_workshop, client):
    client.force_login(after_workshop.participant.user)
    assert client.get(_url(after_workshop.participant, "before")).status_code == 404


# Who may open it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["other_participant", "line_manager", "sponsor", "education_lead", "programme_manager"]
)
def test_only_the_participant_opens_their_follow_up(after_workshop, client, who):
    _answer(after_workshop.participant, role="Ward sister", learning_use="A private note")
    user = getattr(after_workshop, who)
    with on(SIX_OPENS, client, getattr(user, "user", user)):
        assert client.get(_url(after_workshop.participant)).status_code == 404
        assert client.post(_url(after_workshop.participant), ANSWERS).status_code == 404
    assert FollowUp.objects.count() == 1


def test_the_programme_manager_sees_the_figures_never_the_answers(after_workshop, client):
    cohort = after_workshop.participant.cohort
    people = [after_workshop.participant, after_workshop.other_participant]
    people += [ParticipantFactory(cohort=cohort) for _ in range(3)]
    for number, participant in enumerate(people):
        _answer(participant, role=f"Role {number} zq", learning_use=f"Private note {number} zq")
    with on(SIX_OPENS, client, after_workshop.programme_manager):
        page = client.get(reverse("cohort_evaluation", args=[cohort.pk])).content.decode()
    assert "After the workshop" in page
    assert " zq" not in page


# The home page's task ----------------------------------------------------------------------


def _follow_up_tasks(participant, day):
    return [
        t for t in tasks.participant_tasks(participant.user, today=day) if "follow-up" in t.text
    ]


def test_the_task_shows_while_open_and_goes_once_answered(after_workshop):
    participant = after_workshop.participant
    assert _follow_up_tasks(participant, D(2028, 3, 14)) == []
    (task,) = _follow_up_tasks(participant, SIX_OPENS)
    assert task.text == "Answer the 6 months follow-up questionnaire"
    assert task.url == _url(participant)
    assert "Open until 9 May" in task.reason
    assert task.due == SIX_CLOSES
    assert len(_follow_up_tasks(participant, SIX_CLOSES)) == 1
    assert _follow_up_tasks(participant, D(2028, 5, 10)) == []
    _answer(participant, day=D(2028, 4, 1))
    assert _follow_up_tasks(participant, D(2028, 4, 1)) == []
    (twelve,) = _follow_up_tasks(participant, TWELVE_OPENS)
    assert twelve.url == _url(participant, "12-months")


def test_the_home_page_shows_the_task(after_workshop, client):
    with on(SIX_OPENS, client, after_workshop.participant.user):
        page = client.get(reverse("home")).content.decode()
    assert "Answer the 6 months follow-up questionnaire" in page
    assert _url(after_workshop.participant) in page


# Reminders ---------------------------------------------------------------------------------


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(today: dt.date) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(today=today)

    return run


def _sent(user) -> list[str]:
    return [m.subject for m in mail.outbox if m.to == [user.email] and "follow-up" in m.subject]


def test_the_participant_is_reminded_when_it_opens_and_two_weeks_later_once_each(
    after_workshop, run
):
    pat, olly = after_workshop.participant, after_workshop.other_participant
    assert run(D(2028, 3, 14)) == 0
    assert run(SIX_OPENS) == 2
    assert _sent(pat.user) == ["[I2I Cohorts] Your I2I 6 months follow-up questionnaire is open"]
    assert run(SIX_OPENS) == 0
    assert run(D(2028, 3, 28)) == 0
    _answer(olly, day=D(2028, 3, 20))
    assert run(D(2028, 3, 29)) == 1
    assert _sent(pat.user)[1:] == [
        "[I2I Cohorts] Reminder: your I2I 6 months follow-up closes on 9 May 2028"
    ]
    assert _sent(olly.user) == ["[I2I Cohorts] Your I2I 6 months follow-up questionnaire is open"]
    assert run(D(2028, 4, 20)) == 0
    assert run(D(2028, 5, 10)) == 0
    notification = Notification.objects.filter(recipient=pat.user).latest("pk")
    assert notification.kind == "follow_up"
    assert notification.url.endswith(_url(pat))
    assert notification.url in mail.outbox[-1].body
    assert run(TWELVE_OPENS) == 2


def test_a_missed_run_sends_the_later_reminder_only(after_workshop, run):
    assert run(D(2028, 4, 5)) == 2
    assert all("Reminder:" in subject for subject in _sent(after_workshop.participant.user))
    assert run(D(2028, 4, 6)) == 0


# The report --------------------------------------------------------------------------------


def test_the_figures_pair_six_and_twelve_months_worked_by_hand():
    six = {
        1: FollowUpAnswer(False, True, 3),
        2: FollowUpAnswer(True, True, 0),
        3: FollowUpAnswer(False, True, 7),
        4: FollowUpAnswer(False, False, 2),
        5: FollowUpAnswer(True, True, 10),
        6: FollowUpAnswer(True, True, 40),  # answered at 6 months only
    }
    twelve = {
        1: FollowUpAnswer(True, True, 4),
        2: FollowUpAnswer(True, False, 1),
        3: FollowUpAnswer(False, True, 5),
        4: FollowUpAnswer(True, False, 2),
        5: FollowUpAnswer(True, True, 8),
    }
    change = follow_up_change(six, twelve)
    assert change.paired == 5
    assert (change.six.answered, change.six.promoted, change.six.median_contacts) == (6, 3, 5.0)
    assert (change.paired_six.promoted, change.paired_six.same_employer) == (2, 4)
    assert change.paired_six.median_contacts == 3.0  # 0 2 [3] 7 10
    assert (change.paired_twelve.promoted, change.paired_twelve.same_employer) == (4, 3)
    assert change.paired_twelve.median_contacts == 4.0  # 1 2 [4] 5 8


SIX = [(False, True, 3), (True, True, 0), (False, True, 7), (False, False, 2), (True, True, 10)]
TWELVE = [(True, True, 4), (True, False, 1), (False, True, 5), (True, False, 2), (True, True, 8)]


def _cohort_of(world, answered: int):
    cohort = world.participant.cohort
    people = [world.participant, world.other_participant]
    people += [ParticipantFactory(cohort=cohort) for _ in range(answered - 2)]
    for participant, six, twelve in zip(people, SIX, TWELVE, strict=False):
        for moment, day, (promoted, same, contacts) in (
            ("6-months", SIX_OPENS, six),
            ("12-months", TWELVE_OPENS, twelve),
        ):
            _answer(
                participant,
                moment,
                day,
                promoted=promoted,
                same_employer=same,
                contacts=contacts,
            )
    return cohort


def _follow_up_table(client, world, url) -> list[list[str]]:
    with on(TWELVE_OPENS, client, world.programme_manager):
        page = lxml_html.fromstring(client.get(url).content)
    (section,) = page.xpath("//section[@aria-labelledby='follow-up-heading']")
    return [
        [cell.text_content().strip() for cell in row.xpath("./th | ./td")]
        for row in section.xpath(".//tbody/tr")
    ]


def test_four_answered_shows_no_figures(after_workshop, client):
    cohort = _cohort_of(after_workshop, 4)
    assert MIN_PAIRED == 5
    evaluation = cohort_evaluation(cohort, TWELVE_OPENS)
    assert [row.shown for row in evaluation.follow_up_rows] == [False] * 4
    rows = _follow_up_table(client, after_workshop, reverse("cohort_evaluation", args=[cohort.pk]))
    assert [row[1:] for row in rows] == [["4", "Fewer than 5 answered"]] * 4
    across = _follow_up_table(client, after_workshop, reverse("across_cohorts"))
    assert across == [[cohort.name, "4", "Fewer than 5 answered"]]


def test_five_answered_shows_the_figures_worked_by_hand(after_workshop, client):
    cohort = _cohort_of(after_workshop, 5)
    rows = _follow_up_table(client, after_workshop, reverse("cohort_evaluation", args=[cohort.pk]))
    # At 6 months: promoted 2 (the 2nd and 5th), still with the employer 4 (all but the 4th),
    # contacts 0 2 [3] 7 10. At 12 months: promoted 4, still with the employer 3,
    # contacts 1 2 [4] 5 8. Everyone answered both, so the paired rows are the same.
    assert [row[1:] for row in rows] == [
        ["5", "2", "4", "3"],
        ["5", "4", "3", "4"],
        ["5", "2", "4", "3"],
        ["5", "4", "3", "4"],
    ]
    across = _follow_up_table(client, after_workshop, reverse("across_cohorts"))
    assert across == [[cohort.name, "5", "2 → 4", "4 → 3", "3 → 4"]]


# The demo ----------------------------------------------------------------------------------


def test_the_demo_s_finished_cohort_has_its_six_month_follow_up_open(db):
    today = timezone.localdate()
    with zeal_ignore():  # the demo seeds its fixed data set row by row (test_demo.py)
        load_demo(today)
    people = list(
        Participant.objects.filter(cohort__status="closed").select_related("user", "cohort")
    )
    window = follow_ups.window(people[0].cohort, "6-months")
    assert window.state(today) == "open"
    assert FollowUp.objects.filter(participant__cohort=people[0].cohort).count() == 4
    ama = next(p for p in people if p.user.email == "a.quarrie@eastmere-hospitals.example")
    assert [t.url for t in tasks.participant_tasks(ama.user, today=today)] == [_url(ama)]
