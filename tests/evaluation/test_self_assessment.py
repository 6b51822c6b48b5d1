"""The self-assessment: questions as data, frozen once answered; answers once per moment."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from evaluation import services
from evaluation.items import DEFAULT_ITEMS
from evaluation.models import SelfAssessment, SelfAssessmentAnswer, SelfAssessmentItem

# The world's cohort starts on 1 March 2027 with no workshop date, so its window ends on
# 1 September 2027 and the end-of-programme questions open four weeks before that.
BEFORE_DAY = dt.date(2027, 3, 2)
AFTER_DAY = dt.date(2027, 8, 10)


def answers_for(cohort, scale=3, count=4):
    return {
        item.pk: (count if item.kind == "count" else scale) for item in services.items_for(cohort)
    }


def form_data(cohort, scale=3, count=4):
    return {f"item_{pk}": value for pk, value in answers_for(cohort, scale, count).items()}


@pytest.fixture
def on_day(monkeypatch):
    def set_day(day):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)

    return set_day


def test_a_cohort_starts_with_the_leaflets_questions(world):
    items = services.items_for(world.participant.cohort)
    assert [i.key for i in items] == [i["key"] for i in DEFAULT_ITEMS]
    assert all(len(i.scale_labels) == 5 for i in items if i.kind == "scale")
    assert [i.kind for i in items].count("count") == 1
    assert services.items_for(world.participant.cohort) == items  # made once


def test_questions_can_be_reworded_until_someone_answers(world):
    cohort = world.participant.cohort
    item = services.items_for(cohort)[0]
    item.question = "How well do you understand what other teams face?"
    services.update_items(cohort, [item])
    assert SelfAssessmentItem.objects.get(pk=item.pk).question.startswith("How well do you")

    services.submit_self_assessment(world.participant, "before", answers_for(cohort), BEFORE_DAY)
    item.question = "Something else entirely"
    with pytest.raises(ValidationError, match="fixed now that participants have started"):
        services.update_items(cohort, [item])
    assert SelfAssessmentItem.objects.get(pk=item.pk).question.startswith("How well do you")


def test_an_answered_question_cannot_be_deleted(world):
    from django.db.models import ProtectedError

    cohort = world.participant.cohort
    services.submit_self_assessment(world.participant, "before", answers_for(cohort), BEFORE_DAY)
    with pytest.raises(ProtectedError):
        services.items_for(cohort)[0].delete()


def test_answers_are_given_once_per_moment_and_kept(world):
    cohort = world.participant.cohort
    services.submit_self_assessment(world.participant, "before", answers_for(cohort), BEFORE_DAY)
    with pytest.raises(ValidationError, match="already answered"):
        services.submit_self_assessment(
            world.participant, "before", answers_for(cohort, scale=5), BEFORE_DAY
        )
    assert set(SelfAssessmentAnswer.objects.values_list("value", flat=True)) == {3, 4}


def test_the_start_is_for_the_first_four_weeks_and_the_end_for_the_last(world):
    participant = world.participant
    assert services.before_closes(participant) == dt.date(2027, 3, 29)
    assert services.after_opens(participant) == dt.date(2027, 8, 4)
    assert services.moment_open(participant, "before", dt.date(2027, 3, 29))
    assert not services.moment_open(participant, "before", dt.date(2027, 3, 30))
    assert not services.moment_open(participant, "after", dt.date(2027, 8, 3))
    assert services.moment_open(participant, "after", dt.date(2027, 8, 4))
    with pytest.raises(ValidationError, match="open on 4 August 2027"):
        services.submit_self_assessment(
            participant, "after", answers_for(participant.cohort), BEFORE_DAY
        )
    with pytest.raises(ValidationError, match="closed on 29 March 2027"):
        services.submit_self_assessment(
            participant, "before", answers_for(participant.cohort), dt.date(2027, 5, 1)
        )


@pytest.mark.parametrize(
    ("key", "value"), [("leadership", 6), ("leadership", 0), ("contacts", 201)]
)
def test_an_answer_out_of_range_is_refused_by_the_service(world, key, value):
    values = answers_for(world.participant.cohort)
    values[SelfAssessmentItem.objects.get(key=key).pk] = value
    with pytest.raises(ValidationError, match="with a number from"):
        services.submit_self_assessment(world.participant, "before", values, BEFORE_DAY)
    assert not SelfAssessment.objects.exists()


def test_a_workshop_date_sets_when_the_end_opens(world):
    cohort = world.participant.cohort
    cohort.workshop_date = dt.date(2027, 9, 20)
    cohort.save()
    assert services.after_opens(world.participant) == dt.date(2027, 8, 23)


def test_every_question_must_be_answered(world):
    values = answers_for(world.participant.cohort)
    values.popitem()
    with pytest.raises(ValidationError, match="Answer every question"):
        services.submit_self_assessment(world.participant, "before", values, BEFORE_DAY)
    assert not SelfAssessment.objects.exists()


def test_the_participant_answers_in_the_browser_form(client, world, on_day):
    on_day(BEFORE_DAY)
    participant = world.participant
    client.force_login(participant.user)
    url = reverse("self_assessment", args=[participant.pk, "before"])
    page = client.get(url).content.decode()
    assert "How many people in other organisations could you call for advice?" in page
    assert "1 – Very little" in page
    response = client.post(url, form_data(participant.cohort))
    assert response.status_code == 302
    assert SelfAssessment.objects.get().answers.count() == len(DEFAULT_ITEMS)
    page = client.get(reverse("participant_detail", args=[participant.pk])).content.decode()
    assert "Answered</span> on" in page
    assert "See your answers" in page


def opening_tag(page: str, element_id: str) -> str:
    [tag] = re.findall(rf'<[a-z]+\b[^>]*\bid="{element_id}"[^>]*>', page)
    return tag


def post_with_two_problems(client, participant):
    """The count is not a number and the leadership question is not answered."""
    data = form_data(participant.cohort, scale=4)
    contacts = SelfAssessmentItem.objects.get(key="contacts")
    leadership = SelfAssessmentItem.objects.get(key="leadership")
    data[f"item_{contacts.pk}"] = "lots"
    del data[f"item_{leadership.pk}"]
    response = client.post(reverse("self_assessment", args=[participant.pk, "before"]), data)
    assert response.status_code == 200
    return response.content.decode(), contacts, leadership


def test_a_missing_or_bad_answer_is_explained_and_the_rest_kept(client, world, on_day):
    on_day(BEFORE_DAY)
    participant = world.participant
    client.force_login(participant.user)
    page, contacts, leadership = post_with_two_problems(client, participant)
    assert re.search(r"<title>Error: Self-assessment", page)
    # Next to each question, what to do; in the summary, the question as the participant
    # sees it (never its short label, which only the charts use).
    assert f'id="id_item_{contacts.pk}_error">Enter a whole number, like 4.</p>' in page
    assert f'id="id_item_{leadership.pk}_error">Choose one answer.</p>' in page
    assert (
        f'href="#id_item_{leadership.pk}">How would you rate your leadership skills? '
        '<span class="d-block fw-normal">Choose one answer.</span>' in page
    )
    assert (
        f'href="#id_item_{contacts.pk}">How many people in other organisations could you call '
        "for advice? <span" in page
    )
    assert "Leadership skills" not in page and "People you could call" not in page
    assert 'value="lots"' in page
    challenges = SelfAssessmentItem.objects.get(key="challenges")
    [checked] = re.findall(rf'<input[^>]*name="item_{challenges.pk}"[^>]*checked[^>]*>', page)
    assert 'value="4"' in checked
    assert not SelfAssessment.objects.exists()


def test_the_page_title_says_error_only_when_there_is_one(client, world, on_day):
    on_day(BEFORE_DAY)
    client.force_login(world.participant.user)
    page = client.get(reverse("self_assessment", args=[world.participant.pk, "before"]))
    assert "<title>Self-assessment: at the start of the programme" in page.content.decode()


def test_the_answers_are_bootstrap_form_checks(client, world, on_day):
    on_day(BEFORE_DAY)
    client.force_login(world.participant.user)
    page = client.get(reverse("self_assessment", args=[world.participant.pk, "before"]))
    page = page.content.decode()
    leadership = SelfAssessmentItem.objects.get(key="leadership")
    radio = opening_tag(page, f"id_item_{leadership.pk}_0")
    assert 'class="form-check-input' in radio and 'type="radio"' in radio
    assert re.search(
        rf'<div class="form-check[^"]*">\s*{re.escape(radio)}\s*'
        rf'<label class="form-check-label[^"]*" for="id_item_{leadership.pk}_0">1 – Poor</label>',
        page,
    )
    assert "aria-invalid" not in page and "is-invalid" not in page


def test_an_error_links_to_the_question_and_marks_the_field(client, world, on_day):
    on_day(BEFORE_DAY)
    client.force_login(world.participant.user)
    page, contacts, leadership = post_with_two_problems(client, world.participant)
    # A radio group's summary link goes to its fieldset (focusable, so the legend and its
    # message come into view together), the number's to its box.
    fieldset = opening_tag(page, f"id_item_{leadership.pk}")
    assert fieldset.startswith("<fieldset")
    assert 'tabindex="-1"' in fieldset
    assert f'aria-describedby="id_item_{leadership.pk}_error"' in fieldset
    radio = opening_tag(page, f"id_item_{leadership.pk}_0")
    assert 'aria-invalid="true"' in radio and "form-check-input fs-4 m-0 is-invalid" in radio
    box = opening_tag(page, f"id_item_{contacts.pk}")
    assert box.startswith("<input") and 'type="text"' in box and 'inputmode="numeric"' in box
    assert 'aria-invalid="true"' in box and "is-invalid" in box
    described_by = re.search(r'aria-describedby="([^"]*)"', box).group(1).split()
    assert described_by == [f"id_item_{contacts.pk}_helptext", f"id_item_{contacts.pk}_error"]
    for element_id in described_by:
        opening_tag(page, element_id)  # exists, once
    # The fields answered well are not marked.
    challenges = SelfAssessmentItem.objects.get(key="challenges")
    assert "aria-invalid" not in opening_tag(page, f"id_item_{challenges.pk}_0")
    assert "tabindex" not in opening_tag(page, f"id_item_{challenges.pk}")


def test_the_service_names_the_question_not_its_short_label(world):
    values = answers_for(world.participant.cohort)
    contacts = SelfAssessmentItem.objects.get(key="contacts")
    values[contacts.pk] = 201
    with pytest.raises(ValidationError) as refused:
        services.submit_self_assessment(world.participant, "before", values, BEFORE_DAY)
    assert refused.value.messages == [
        "Answer “How many people in other organisations could you call for advice?” with a "
        "number from 0 to 200."
    ]
    del values[contacts.pk]
    with pytest.raises(ValidationError) as refused:
        services.submit_self_assessment(world.participant, "before", values, BEFORE_DAY)
    assert refused.value.messages == [
        "Answer every question. Not answered: “How many people in other organisations could "
        "you call for advice?”."
    ]


def test_the_start_form_says_its_deadline_and_that_answers_are_final(client, world, on_day):
    on_day(BEFORE_DAY)
    client.force_login(world.participant.user)
    page = client.get(reverse("self_assessment", args=[world.participant.pk, "before"]))
    page = page.content.decode()
    assert "Answer by 29 March 2027." in page
    assert "once saved, they cannot be changed" in page
    on_day(AFTER_DAY)
    page = client.get(reverse("self_assessment", args=[world.participant.pk, "after"]))
    page = page.content.decode()
    assert "Answer by" not in page
    assert "once saved, they cannot be changed" in page


@pytest.mark.parametrize(
    ("day", "answered", "before", "after"),
    [
        (BEFORE_DAY, False, ("open", dt.date(2027, 3, 29)), ("not_yet_open", dt.date(2027, 8, 4))),
        (dt.date(2027, 3, 30), False, ("closed", dt.date(2027, 3, 29)), ("not_yet_open", None)),
        (AFTER_DAY, True, ("answered", None), ("open", None)),
        (AFTER_DAY, False, ("closed", None), ("open", None)),
    ],
)
def test_the_status_says_what_the_participant_can_do_and_by_when(
    world, day, answered, before, after
):
    participant = world.participant
    if answered:
        services.submit_self_assessment(
            participant, "before", answers_for(participant.cohort), BEFORE_DAY
        )
    start, end = services.self_assessment_status(participant, day)
    assert (start["moment"], end["moment"]) == ("before", "after")
    assert start["state"] == before[0] and end["state"] == after[0]
    assert bool(start["answered_at"]) == answered
    if before[1]:
        assert start["answer_by"] == before[1]
    if after[1]:
        assert end["opens_on"] == after[1]


@pytest.mark.parametrize(
    ("day", "shown", "not_shown"),
    [
        (
            BEFORE_DAY,
            ["Answer the questions", "Answer by 29 March 2027", "Opens on 4 August 2027"],
            ["Closed: not answered"],
        ),
        (
            dt.date(2027, 4, 1),
            ["Closed: not answered", "Opens on 4 August 2027"],
            ["Answer the questions", "Answer by"],
        ),
        (AFTER_DAY, ["Closed: not answered", "Answer the questions"], ["Opens on", "Answer by"]),
    ],
)
def test_the_progress_page_shows_each_questionnaires_dates(
    client, world, on_day, day, shown, not_shown
):
    on_day(day)
    client.force_login(world.participant.user)
    page = client.get(reverse("participant_detail", args=[world.participant.pk]))
    page = re.sub(r"\s+", " ", page.content.decode())
    for text in shown:
        assert text in page
    for text in not_shown:
        assert text not in page


def test_a_second_submission_is_refused_in_so_many_words(client, world, on_day):
    on_day(BEFORE_DAY)
    participant = world.participant
    client.force_login(participant.user)
    url = reverse("self_assessment", args=[participant.pk, "before"])
    assert client.post(url, form_data(participant.cohort, scale=2)).status_code == 302
    # The same form, left open in another tab, answered differently.
    response = client.post(url, form_data(participant.cohort, scale=5))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Self-assessment" in page
    assert "These answers were not saved" in page
    first = date_format(timezone.localtime(SelfAssessment.objects.get().submitted_at))
    assert f"You had already answered these questions on {first}" in page
    assert "<dd>2 – A little</dd>" in page and "– A great deal" not in page
    assert set(SelfAssessmentAnswer.objects.values_list("value", flat=True)) == {2, 4}
    # Just looking at the answers is not an error.
    page = client.get(url).content.decode()
    assert "not saved" not in page and "<title>Self-assessment" in page


def test_answers_that_arrive_together_are_refused_the_same_way(client, world, on_day, monkeypatch):
    on_day(BEFORE_DAY)
    participant = world.participant
    client.force_login(participant.user)
    # Another tab's answers are saved between this request's look and its save.
    real = services.answers_given
    looks = []

    def answers_given(participant, moment):
        looks.append(moment)
        if len(looks) == 1:
            services.submit_self_assessment(
                participant, moment, answers_for(participant.cohort, scale=2), BEFORE_DAY
            )
            return None
        return real(participant, moment)

    monkeypatch.setattr(services, "answers_given", answers_given)
    url = reverse("self_assessment", args=[participant.pk, "before"])
    response = client.post(url, form_data(participant.cohort, scale=5))
    assert response.status_code == 200
    page = response.content.decode()
    assert "These answers were not saved" in page
    assert "<dd>2 – A little</dd>" in page
    assert "There is a problem" not in page
    assert set(SelfAssessmentAnswer.objects.values_list("value", flat=True)) == {2, 4}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("line_manager", 403),
        ("sponsor", 403),
        ("education_lead", 403),
        ("programme_manager", 403),
        ("other_education_lead", 404),
        ("outsider", 404),
    ],
)
def test_only_the_participant_sees_or_gives_their_answers(client, world, who, status):
    client.force_login(getattr(world, who))
    url = reverse("self_assessment", args=[world.participant.pk, "before"])
    assert client.get(url).status_code == status
    assert client.post(url, form_data(world.participant.cohort)).status_code == status
    assert not SelfAssessment.objects.exists()


def test_an_unknown_moment_is_not_found(client, world):
    client.force_login(world.participant.user)
    url = reverse("self_assessment", args=[world.participant.pk, "during"])
    assert client.get(url).status_code == 404


def test_the_programme_manager_rewords_questions_until_the_first_answer(client, world):
    cohort = world.participant.cohort
    client.force_login(world.programme_manager)
    url = reverse("assessment_items", args=[cohort.pk])
    response = client.get(url)
    data = {}
    for form in response.context["forms"]:
        item = form.instance
        data[f"item-{item.pk}-question"] = item.question
        data[f"item-{item.pk}-short_label"] = item.short_label
        for point, label in item.points:
            data[f"item-{item.pk}-point_{point}"] = label
    leadership = SelfAssessmentItem.objects.get(key="leadership")
    first = SelfAssessmentItem.objects.get(key="challenges")
    data[f"item-{leadership.pk}-point_5"] = "Outstanding"
    assert client.post(url, data).status_code == 302
    assert SelfAssessmentItem.objects.get(key="leadership").scale_labels[-1] == "Outstanding"

    data[f"item-{first.pk}-short_label"] = ""
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem: nothing was saved" in page
    assert (
        f'href="#id_item-{first.pk}-short_label">Question 1, short label: Enter a short label'
        in page
    )

    services.submit_self_assessment(world.participant, "before", answers_for(cohort), BEFORE_DAY)
    data[f"item-{first.pk}-short_label"] = "Changed after answers"
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved. The questions are fixed" in page
    assert not SelfAssessmentItem.objects.filter(short_label="Changed after answers").exists()
    # What was typed is shown, not lost.
    unsaved = page.split("Your wording, not saved")[1].split("</section>")[0]
    assert "Changed after answers" in unsaved


def test_an_answer_arriving_while_the_questions_are_edited_keeps_the_wording_on_screen(
    client, world, monkeypatch
):
    cohort = world.participant.cohort
    client.force_login(world.programme_manager)
    url = reverse("assessment_items", args=[cohort.pk])
    data = {}
    for form in client.get(url).context["forms"]:
        item = form.instance
        data[f"item-{item.pk}-question"] = f"Reworded: {item.question}"
        data[f"item-{item.pk}-short_label"] = item.short_label
        for point, label in item.points:
            data[f"item-{item.pk}-point_{point}"] = label
    # The page was read before the first answer; the answer lands before the save.
    services.submit_self_assessment(world.participant, "before", answers_for(cohort), BEFORE_DAY)
    real_check = services.items_frozen
    checks = []

    def read_before_the_answer_then_checked_in_the_lock(cohort):
        checks.append(cohort)
        return len(checks) > 1 and real_check(cohort)

    monkeypatch.setattr(services, "items_frozen", read_before_the_answer_then_checked_in_the_lock)
    response = client.post(url, data)
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert not SelfAssessmentItem.objects.filter(question__startswith="Reworded").exists()
    unsaved = page.split("Your wording, not saved")[1].split("</section>")[0]
    assert unsaved.count("Reworded: ") == len(DEFAULT_ITEMS)
    # The questions as fixed are the saved ones, not the refused wording.
    fixed = page.split('<h2 class="h5">The questions</h2>')[1]
    assert "Reworded" not in fixed
    assert SelfAssessmentItem.objects.get(key="leadership").question in fixed


@pytest.mark.parametrize("who", ["participant", "line_manager", "education_lead"])
def test_only_the_programme_manager_words_the_questions(client, world, who):
    user = world.participant.user if who == "participant" else getattr(world, who)
    client.force_login(user)
    url = reverse("assessment_items", args=[world.participant.cohort.pk])
    assert client.get(url).status_code in {403, 404}
