"""The cohort evaluation report: the page, the PDF, across cohorts, and the workshop pack."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from evaluation import services
from evaluation.models import SelfAssessment, SelfAssessmentAnswer
from i2i.models import Job
from participants.models import Cohort, Participant, Sector, WorkshopConsent
from programme import evaluation_report as report
from programme.evaluation_report import cohort_evaluation
from tests.factories import (
    ApprovedPlacementFactory,
    CohortFactory,
    DataPointFactory,
    HalfDayFactory,
    ImprovementInitiativeFactory,
    MeasureFactory,
    OrganisationFactory,
    ParticipantFactory,
    ReflectiveAccountFactory,
)

BEFORE_DAY = dt.date(2027, 3, 2)
AFTER_DAY = dt.date(2027, 8, 10)


def answer(participant, moment, scale, contacts):
    values = {
        item.pk: contacts if item.kind == "count" else scale
        for item in services.items_for(participant.cohort)
    }
    day = BEFORE_DAY if moment == "before" else AFTER_DAY
    services.submit_self_assessment(participant, moment, values, day)


@pytest.fixture
def evaluated(world):
    """Pat answers 2 then 4; Olly answers only at the start (unpaired); Pat's placement links
    the hospital to a council; Pat's initiative shows an improving shift."""
    pat, olly = world.participant, world.other_participant
    answer(pat, "before", scale=2, contacts=3)
    answer(pat, "after", scale=4, contacts=9)
    answer(olly, "before", scale=5, contacts=40)
    council = OrganisationFactory(name="Fenbridge Social Care", sector=Sector.SOCIAL_CARE)
    placement = ApprovedPlacementFactory(participant=pat, organisation=council)
    start = pat.cohort.programme_start
    for day in range(4):
        HalfDayFactory(
            placement=placement, date=start + dt.timedelta(days=7 * day), person_met="Duty lead"
        )
    initiative = ImprovementInitiativeFactory(
        participant=pat, kind="forms", status="testing", i2i_ideas="Meet hosts at the briefing."
    )
    measure = MeasureFactory(initiative=initiative, direction="lower")
    for week in range(12):  # 9 days for six weeks, then 5: a shift of six below the median
        DataPointFactory(
            measure=measure, date=start + dt.timedelta(weeks=week), value=9 if week < 6 else 5
        )
    ImprovementInitiativeFactory(participant=olly, kind="communication", status="idea")
    return world


def test_the_report_pairs_answers_and_shows_every_part(client, evaluated, monkeypatch):
    monkeypatch.setattr(report, "MIN_PAIRED", 1)  # one pair here; the threshold is tested below
    client.force_login(evaluated.programme_manager)
    cohort = evaluated.participant.cohort
    response = client.get(reverse("cohort_evaluation", args=[cohort.pk]))
    assert response.status_code == 200
    evaluation = response.context["evaluation"]
    assert evaluation.answered_both == 1
    leadership = next(r for r in evaluation.items if r.item.key == "leadership")
    # Olly's unpaired 5 is left out: Pat's 2 → 4 only.
    assert (leadership.change.before_median, leadership.change.after_median) == (2, 4)
    contacts = next(r for r in evaluation.items if r.item.key == "contacts")
    assert contacts.change.median_change == 6
    assert [p.name for p in evaluation.not_answered["after"]] == ["Olly Other"]
    assert evaluation.network.new_links == 1
    assert evaluation.initiatives == 2
    assert evaluation.with_signal == 1 and evaluation.with_improvement == 1
    assert evaluation.by_kind == [("Communication between teams", 1), ("Updating key forms", 1)]
    page = response.content.decode()
    for text in (
        "Twelve half-days",
        "Median at the start",
        "Fenbridge Social Care",
        "Links by the host’s sector",
        "Meet hosts at the briefing.",
        "1 shows a signal on a run chart, 1 of them a signal of improvement",
    ):
        assert text in page
    assert "2 initiatives;" in page and "initiative;" not in page


@pytest.mark.parametrize(
    "who", ["participant", "line_manager", "sponsor", "education_lead", "outsider"]
)
def test_only_the_programme_manager_sees_the_evaluation(client, world, who):
    user = world.participant.user if who == "participant" else getattr(world, who)
    client.force_login(user)
    cohort = world.participant.cohort
    assert client.get(reverse("cohort_evaluation", args=[cohort.pk])).status_code in {403, 404}
    assert client.post(reverse("cohort_evaluation_pdf", args=[cohort.pk])).status_code in {
        403,
        404,
    }
    assert client.get(reverse("across_cohorts")).status_code == 403
    assert not Job.objects.exists()


def pdf_text(client, job) -> str:
    response = client.get(reverse("job_download", args=[job.pk]))
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return " ".join(page.extract_text() for page in reader.pages)


def test_the_pdf_is_made_in_the_background(client, evaluated, django_capture_on_commit_callbacks):
    client.force_login(evaluated.programme_manager)
    cohort = evaluated.participant.cohort
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cohort_evaluation_pdf", args=[cohort.pk]))
    job = Job.objects.get(kind="evaluation_report")
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "done", job.message
    text = pdf_text(client, job)
    for expected in ("Evaluation report", cohort.name, "Before and after", "The network"):
        assert expected in text
    assert "Fenbridge Social Care" in text
    assert "Pat Participant" not in text  # figures and ideas, never names


def test_the_workshop_pack_overview_gains_the_figures(evaluated):
    from django.utils import timezone

    from programme.workshop_pack import overview_context

    context = overview_context(evaluated.participant.cohort, timezone.localdate())
    assert context["evaluation"].answered_both == 1
    assert context["evaluation"].network.links[0].host.name == "Fenbridge Social Care"


def test_too_few_pairs_show_no_figures(client, evaluated):
    """With one person answering both, the figures would be their own answers."""
    client.force_login(evaluated.programme_manager)
    cohort = evaluated.participant.cohort
    response = client.get(reverse("cohort_evaluation", args=[cohort.pk]))
    page = response.content.decode()
    assert "Fewer than 5 participants answered both, so no figures are shown" in page
    assert "Median at the start" not in page
    assert "Leadership skills (1 paired)" not in page
    across = client.get(reverse("across_cohorts")).context["across"]
    assert across.evaluations[0].scale_changes[0] is None


def test_cohorts_side_by_side(client, evaluated, monkeypatch):
    monkeypatch.setattr(report, "MIN_PAIRED", 1)
    later = CohortFactory(name="Cohort B", programme_start=dt.date(2027, 9, 1))
    ParticipantFactory(cohort=later)
    client.force_login(evaluated.programme_manager)
    response = client.get(reverse("across_cohorts"))
    assert response.status_code == 200
    across = response.context["across"]
    assert [e.cohort.name for e in across.evaluations] == ["Cohort A", "Cohort B"]
    assert [key for key, _ in across.item_labels][:2] == ["challenges", "whole_system"]
    first, second = across.evaluations
    assert first.scale_changes[0].median_change == 2
    assert second.scale_changes[0] is None  # nobody answered both
    page = response.content.decode()
    assert "+2" in page and "(n=1)" in page
    assert "The network all cohorts made" in page


def test_the_report_runs_in_constant_queries(client, world, django_assert_max_num_queries):
    cohort = world.participant.cohort
    client.force_login(world.programme_manager)
    url = reverse("cohort_evaluation", args=[cohort.pk])
    client.get(url)  # the first visit sets the cohort's questions up and starts the session
    host = OrganisationFactory(sector=Sector.COMMUNITY)
    counts = []
    for size in (2, 12):
        for _ in range(size):
            participant = ParticipantFactory(cohort=cohort)
            answer(participant, "before", scale=2, contacts=1)
            answer(participant, "after", scale=3, contacts=2)
            placement = ApprovedPlacementFactory(participant=participant, organisation=host)
            HalfDayFactory(placement=placement, date=cohort.programme_start)
            measure = MeasureFactory(initiative__participant=participant)
            DataPointFactory(measure=measure, date=cohort.programme_start, value=3)
        with django_assert_max_num_queries(30) as captured:
            response = client.get(url)
        assert response.context["evaluation"].answered_both == size + (2 if size == 12 else 0)
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert SelfAssessmentAnswer.objects.count() == SelfAssessment.objects.count() * 7


def test_a_cohort_without_answers_or_links_reports_plainly(world):
    evaluation = cohort_evaluation(world.participant.cohort, dt.date(2027, 3, 2))
    assert evaluation.answered_both == 0
    assert all(r.change.paired == 0 for r in evaluation.items)
    assert "no one has answered both yet" in evaluation.medians_chart
    assert evaluation.network.links == []


def test_the_page_says_when_each_questionnaire_closes_or_opens(client, world):
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=8)
    cohort.workshop_date = None
    cohort.save()
    client.force_login(world.programme_manager)
    page = client.get(reverse("cohort_evaluation", args=[cohort.pk])).content.decode()
    closed = services.cohort_before_closes(cohort)
    opens = services.cohort_after_opens(cohort)
    assert f"Closed on {closed:%-d %B %Y}." in page
    # Before the end questions open, nobody is listed as not having answered them.
    assert f"The end-of-programme questions open on {opens:%-d %B %Y}" in page
    assert "At the end:" not in page


def test_a_cohort_with_no_participants_says_so(client, world):
    empty = CohortFactory(name="Cohort 9")
    client.force_login(world.programme_manager)
    page = client.get(reverse("cohort_evaluation", args=[empty.pk])).content.decode()
    assert "No participants yet." in page
    assert "Everyone has answered" not in page


def _answer_in_bulk(cohort, answered_after: int) -> None:
    """Everyone answered at the start; the first `answered_after` also at the end."""
    items = services.items_for(cohort)
    participants = list(Participant.objects.filter(cohort=cohort).order_by("pk"))
    SelfAssessment.objects.bulk_create(
        [SelfAssessment(participant=p, moment="before") for p in participants]
        + [SelfAssessment(participant=p, moment="after") for p in participants[:answered_after]]
    )
    SelfAssessmentAnswer.objects.bulk_create(
        SelfAssessmentAnswer(
            assessment=assessment,
            item=item,
            value=(assessment.participant_id % 5) + 1 if item.kind == "scale" else 4,
        )
        for assessment in SelfAssessment.objects.filter(participant__cohort=cohort)
        for item in items
    )


def test_the_report_for_1000_participants_takes_as_many_queries_as_for_2(
    client, world, django_assert_max_num_queries
):
    from devdata.generate import generate

    generate(participants=1000, cohort_size=500, seed=9)  # two cohorts of 500 …
    older, big = Cohort.objects.filter(name__contains="s9").order_by("programme_start")
    Participant.objects.filter(cohort=older).update(cohort=big)  # … made one of 1,000
    SelfAssessment.objects.filter(participant__cohort=big).delete()  # answered below instead
    small = world.participant.cohort
    # The same kinds of rows as the big cohort (prefetches only run when there is a parent).
    placement = ApprovedPlacementFactory(participant=world.participant)
    HalfDayFactory(placement=placement, date=small.programme_start)
    ReflectiveAccountFactory(placement=placement)
    measure = MeasureFactory(initiative__participant=world.participant)
    DataPointFactory(measure=measure, date=small.programme_start)
    # A shared initiative, as the big cohort has: its chapter reads its measures and points.
    WorkshopConsent.objects.create(participant=world.participant, include=True)
    client.force_login(world.programme_manager)
    counts = {}
    for cohort, answered_after in ((small, 1), (big, 800)):
        _answer_in_bulk(cohort, answered_after)
        url = reverse("cohort_evaluation", args=[cohort.pk])
        client.get(url)
        with django_assert_max_num_queries(30) as captured:
            response = client.get(url)
        assert response.context["evaluation"].answered_both == answered_after
        counts[response.context["evaluation"].participants] = len(captured)
    assert counts[1000] == counts[2], counts
    assert response.context["evaluation"].network.links


def test_each_scale_question_chart_names_its_points(evaluated):
    """The spread of answers reads "2 – Fair", not only "2", so a median of 2 means something."""
    evaluation = cohort_evaluation(evaluated.participant.cohort, AFTER_DAY)
    leadership = next(r for r in evaluation.items if r.item.key == "leadership")
    chart = leadership.chart
    for point, words in enumerate(leadership.item.scale_labels, start=1):
        assert f"{point} – {words}" in chart
    assert "2 – Fair: before 1, after 0" in chart  # in the description too
    contacts = next(r for r in evaluation.items if r.item.key == "contacts")
    assert "1–2: before 0, after 0" in contacts.chart  # a count's bands are left as they are


def test_the_network_picture_is_titled_with_the_cohort(evaluated):
    cohort = evaluated.participant.cohort
    chart = cohort_evaluation(cohort, AFTER_DAY).network_chart
    assert f'<title id="network-{cohort.pk}-title">The network made by {cohort}</title>' in chart
    assert "The network Cohort" not in chart


def _measure(initiative, values, direction="higher", target=None):
    """A measure with one point a week from 4 January 2027."""
    measure = MeasureFactory(initiative=initiative, direction=direction, target=target)
    for week, value in enumerate(values):
        DataPointFactory(
            measure=measure, date=dt.date(2027, 1, 4) + dt.timedelta(weeks=week), value=value
        )
    return measure


# Worked by hand with the Making Data Count rules (NHSRplotthedots): limits are the mean
# ± 2.66 × the mean moving range of the phase.
# Steady: mean 10, moving ranges 1, 2, 1, 1, 2, … (mean 15/11 ≈ 1.36), limits 6.36 to 13.64;
# no point beyond two-thirds of the way to a limit (12.42 / 7.58), no run of 7 on one side,
# no trend: common cause. A target of 5 is below the lower limit and higher is better:
# consistently passing.
STEADY = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9]
# The same twelve, then 30: mean 150/13 ≈ 11.54, moving ranges sum 15 + 21 = 36 over 12
# (3.0), upper limit 11.54 + 7.98 = 19.52; 30 is above it and higher is better: the
# latest point is special cause improvement (the twelve before, all below the new mean,
# are a shift, but the reading is the latest point's).
JUMP = [*STEADY, 30]


def test_the_report_reads_each_initiatives_making_data_count_charts(client, world):
    steady = ImprovementInitiativeFactory(participant=world.participant)
    _measure(steady, STEADY, target=5)
    improving = ImprovementInitiativeFactory(participant=world.other_participant)
    _measure(improving, JUMP)
    # Lower is better: the same jump is a concern.
    third = ParticipantFactory(cohort=world.participant.cohort)
    worse = ImprovementInitiativeFactory(participant=third)
    _measure(worse, JUMP, direction="lower")
    evaluation = cohort_evaluation(world.participant.cohort, dt.date(2027, 6, 1))
    assert evaluation.mdc == report.MakingDataCount(
        improvement=1, concern=1, common_cause_only=1, passing_target=1, failing_target=0
    )
    client.force_login(world.programme_manager)
    page = client.get(reverse("cohort_evaluation", args=[world.participant.cohort_id]))
    assert (
        "On the Making Data Count charts, each measure read at its latest point: 1 initiative "
        "with special cause improvement, 1 with special cause concern and 1 with common cause "
        "variation only; 1 with a measure consistently passing its target, 0 consistently "
        "failing it."
    ) in " ".join(page.content.decode().split())
