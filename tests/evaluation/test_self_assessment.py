"""The self-assessment: questions as data, frozen once answered; answers once per moment."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

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


def test_a_missing_or_bad_answer_is_explained_and_the_rest_kept(client, world, on_day):
    on_day(BEFORE_DAY)
    participant = world.participant
    client.force_login(participant.user)
    data = form_data(participant.cohort, scale=4)
    contacts = SelfAssessmentItem.objects.get(key="contacts")
    leadership = SelfAssessmentItem.objects.get(key="leadership")
    data[f"item_{contacts.pk}"] = "lots"
    del data[f"item_{leadership.pk}"]
    response = client.post(reverse("self_assessment", args=[participant.pk, "before"]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a whole number for “People you could call”, like 4" in page
    assert "Choose one answer for “Leadership skills”" in page
    assert f'href="#id_item_{leadership.pk}_0">Choose one answer for “Leadership skills”' in page
    assert 'value="lots"' in page
    challenges = SelfAssessmentItem.objects.get(key="challenges")
    [checked] = re.findall(rf'<input[^>]*name="item_{challenges.pk}"[^>]*checked[^>]*>', page)
    assert 'value="4"' in checked
    assert not SelfAssessment.objects.exists()


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
    assert "Nothing was saved. The questions are fixed" in response.content.decode()
    assert not SelfAssessmentItem.objects.filter(short_label="Changed after answers").exists()


@pytest.mark.parametrize("who", ["participant", "line_manager", "education_lead"])
def test_only_the_programme_manager_words_the_questions(client, world, who):
    user = world.participant.user if who == "participant" else getattr(world, who)
    client.force_login(user)
    url = reverse("assessment_items", args=[world.participant.cohort.pk])
    assert client.get(url).status_code in {403, 404}
