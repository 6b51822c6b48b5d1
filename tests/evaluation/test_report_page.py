"""The evaluation report as a web page: a contents list, "everyone has answered" said once,
and "Nothing to report yet" (with no PDF to make) for a cohort without figures."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from i2i.models import Job
from i2i.rules import add_months
from programme.evaluation_jobs import CHAPTERS
from programme.evaluation_report import cohort_evaluation
from tests.evaluation.test_report import evaluated  # noqa: F401 (a fixture)
from tests.factories import CohortFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

PDF_BUTTON = "Make the report as a PDF"


def _page(client, user, cohort) -> str:
    client.force_login(user)
    response = client.get(reverse("cohort_evaluation", args=[cohort.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _answer(participant, moment, day):
    values = {
        item.pk: 3 if item.kind == "count" else 4 for item in services.items_for(participant.cohort)
    }
    services.submit_self_assessment(participant, moment, values, day)


def _ending_cohort(world):
    """World's cohort, moved so that today falls in the last two weeks of the programme:
    the start questions are closed and the end ones open."""
    today = timezone.localdate()
    cohort = world.participant.cohort
    cohort.programme_start = add_months(today, -6) + dt.timedelta(days=14)
    cohort.workshop_date = None
    cohort.save()
    assert services.cohort_moment_open(cohort, "after", today)
    return cohort


def test_the_page_opens_with_a_contents_list_linking_each_section(client, evaluated):  # noqa: F811
    cohort = evaluated.participant.cohort
    page = _page(client, evaluated.programme_manager, cohort)
    contents = re.search(r'<nav aria-labelledby="contents-heading".*?</nav>', page, re.S)
    assert contents, "no contents list"
    targets = re.findall(r'href="#([\w-]+)"', contents.group(0))
    assert targets == ["unanswered-heading", *(id_ for id_, _ in CHAPTERS)]
    for id_, title in CHAPTERS:
        assert f'<a href="#{id_}">{title}</a>' in contents.group(0)
    for target in targets:  # every link leads somewhere on the page
        assert page.count(f'id="{target}"') == 1, target
    # The contents come before the first section.
    assert page.index("contents-heading") < page.index('id="unanswered-heading"')
    assert PDF_BUTTON in page
    assert "Nothing to report yet" not in page


def test_everyone_answered_is_said_once(client, world):
    cohort = _ending_cohort(world)
    today = timezone.localdate()
    for participant in (world.participant, world.other_participant):
        _answer(participant, "before", cohort.programme_start)
        _answer(participant, "after", today)
    page = _page(client, world.programme_manager, cohort)
    assert page.lower().count("everyone has answered") == 1
    assert "Everyone has answered, at the start and at the end." in page
    assert "At the start: 0 of" not in page and "At the end: 0 of" not in page
    assert "Who has not answered the self-assessment" in page


def test_a_moment_everyone_answered_is_not_counted_as_nought(client, world):
    """Everyone answered at the start; one of two at the end: the start says so once."""
    cohort = _ending_cohort(world)
    today = timezone.localdate()
    _answer(world.participant, "before", cohort.programme_start)
    _answer(world.other_participant, "before", cohort.programme_start)
    _answer(world.participant, "after", today)
    page = _page(client, world.programme_manager, cohort)
    assert "At the start: everyone has answered" in page
    assert page.lower().count("everyone has answered") == 1
    assert "At the end: 1 of 2" in page and "Olly Other" in page
    assert "At the start: 0 of" not in page


def test_a_recruiting_cohort_has_nothing_to_report_and_no_pdf_button(client, world):
    start = timezone.localdate() + dt.timedelta(weeks=10)
    cohort = CohortFactory(name="Spring intake", status="recruiting", programme_start=start)
    ParticipantFactory(cohort=cohort, user__full_name="Sel Selected")
    page = _page(client, world.programme_manager, cohort)
    assert "Nothing to report yet" in page
    assert f"once the programme starts on {start:%-d %B %Y}" in page
    assert PDF_BUTTON not in page
    assert reverse("cohort_evaluation_pdf", args=[cohort.pk]) not in page
    # No all-zero chapters and no contents list for them.
    assert 'id="contents-heading"' not in page
    for id_, _ in CHAPTERS:
        assert f'id="{id_}"' not in page
    # Who has not answered yet is still worth chasing.
    assert "At the start: 1 of 1" in page


def test_a_running_cohort_with_nothing_done_yet_says_when_there_will_be(client, world):
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=1)
    cohort.save()
    page = _page(client, world.programme_manager, cohort)
    assert "Nothing to report yet" in page
    closes = services.cohort_before_closes(cohort)
    assert (
        "The report fills in as soon as a participant answers the self-assessment "
        f"(open until {closes:%-d %B %Y}), completes a half-day or starts an improvement "
        "initiative." in page
    )
    assert PDF_BUTTON not in page


def test_a_cohort_without_participants_has_nothing_to_report(client, world):
    cohort = CohortFactory(name="Autumn intake", status="planning")
    page = _page(client, world.programme_manager, cohort)
    assert "Nothing to report yet" in page and "No participants yet." in page
    assert PDF_BUTTON not in page
    assert "Who has not answered" not in page


def test_the_pdf_is_refused_politely_for_a_cohort_with_nothing_to_report(client, world):
    cohort = CohortFactory(name="Spring intake", status="recruiting")
    client.force_login(world.programme_manager)
    response = client.post(reverse("cohort_evaluation_pdf", args=[cohort.pk]), follow=True)
    assert response.redirect_chain == [(reverse("cohort_evaluation", args=[cohort.pk]), 302)]
    assert "There is nothing to report on Spring intake yet, so no PDF was made." in (
        response.content.decode()
    )
    assert not Job.objects.exists()


def test_one_answer_is_something_to_report(world):
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=1)
    cohort.save()
    today = timezone.localdate()
    assert not cohort_evaluation(cohort, today).has_data
    _answer(world.participant, "before", today)
    assert cohort_evaluation(cohort, today).has_data


def test_a_cohort_with_figures_has_something_to_report(evaluated):  # noqa: F811
    assert cohort_evaluation(evaluated.participant.cohort, timezone.localdate()).has_data
