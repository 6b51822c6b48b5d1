"""Phased charts with their Making Data Count readings, and what changed for service users,
in the workshop pack's and the evaluation report's sections of participants who consented
to share their initiative, and nowhere for those who did not."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from i2i.models import Job
from improvements.models import ServiceUserFeedback
from participants.models import WorkshopConsent
from programme.evaluation_report import cohort_evaluation
from programme.workshop_pack import _consenting, sections_context
from tests.factories import DataPointFactory, ImprovementInitiativeFactory, MeasureFactory

BASELINE = [20, 22, 21, 23, 22, 21, 20, 22]
AFTER_CHANGE = [10, 11, 12, 10, 11, 12, 11, 10]


def _initiative(participant, name, what_changed):
    initiative = ImprovementInitiativeFactory(
        participant=participant,
        outcome_what_changed=what_changed,
        outcome_for_whom="People referred for a first home visit",
    )
    measure = MeasureFactory(
        initiative=initiative, name=name, direction="lower", target=Decimal("15")
    )
    start = participant.cohort.programme_start
    for i, value in enumerate(BASELINE + AFTER_CHANGE):
        DataPointFactory(
            measure=measure,
            date=start + dt.timedelta(weeks=i),
            value=value,
            starts_phase=i == 8,
            phase_label="Referral summary sent" if i == 8 else "",
        )
    ServiceUserFeedback.objects.create(
        initiative=initiative,
        question=f"{name}: did you know who would visit?",
        how_many=12,
        summary=f"{name}: most knew the name of the nurse before the visit.",
    )
    return initiative


@pytest.fixture
def shared_world(world):
    """Pat consents to share the initiative; Olly has one too, and does not consent."""
    _initiative(world.participant, "Days to first visit for Pat", "Pat: referrals now arrive")
    WorkshopConsent.objects.create(participant=world.participant, include=True)
    _initiative(world.other_participant, "Private measure of Olly", "Private change of Olly")
    WorkshopConsent.objects.create(participant=world.other_participant, include=False)
    return world


def _pack_html(world) -> str:
    cohort = world.participant.cohort
    ids = list(_consenting(cohort).values_list("pk", flat=True))
    context = sections_context(cohort, ids)
    return render_to_string("workshop/part.html", {**context, "part": "sections"})


def _report_html(world) -> str:
    evaluation = cohort_evaluation(world.participant.cohort, timezone.localdate())
    return render_to_string(
        "evaluation/report_part.html", {"evaluation": evaluation, "chapters": ["shared"]}
    )


def _assert_shared(html: str) -> None:
    # Pat's phased chart: stepped limits and the change named.
    assert "Days to first visit for Pat" in html
    assert 'class="phase-change"' in html
    assert "Change 1: Referral summary sent" in html
    # The readings, each an icon with its words (worked by hand in test_spc.py: both
    # phases common cause; the target of 15 above the latest upper limit of 13.92, lower
    # is better).
    assert 'aria-label="Common cause variation"' in html
    assert '<strong class="reading-words">Common cause variation</strong>' in html
    assert 'aria-label="Consistently passing the target"' in html
    # What changed for service users.
    assert "What changed for service users" in html
    assert "referrals now arrive" in html
    assert "People referred for a first home visit" in html
    assert "most knew the name of the nurse" in html
    # Nothing of Olly's.
    assert "Olly" not in html


def test_the_pack_section_holds_the_phased_chart_and_readings(shared_world):
    _assert_shared(_pack_html(shared_world))


def test_the_report_shows_shared_initiatives_only(shared_world):
    html = _report_html(shared_world)
    _assert_shared(html)
    assert "Initiatives shared by participants" in html
    assert "1 participant chose to share" in html


def test_without_consent_to_share_the_initiative_neither_shows_it(shared_world):
    consent = shared_world.participant.workshop_consent
    consent.include_initiative = False
    consent.save()
    for html in (_pack_html(shared_world), _report_html(shared_world)):
        assert "Days to first visit for Pat" not in html
        assert "referrals now arrive" not in html
        assert "reading-icon" not in html
    assert "No participant has chosen to share their initiative yet." in _report_html(shared_world)


def test_the_report_reads_shared_initiatives_in_a_fixed_number_of_queries(
    shared_world, django_assert_max_num_queries
):
    from tests.factories import ParticipantFactory

    cohort = shared_world.participant.cohort
    counts = []
    for size in (1, 4):
        for n in range(size):
            p = ParticipantFactory(cohort=cohort)
            _initiative(p, f"Measure {size}-{n}", "Changed")
            WorkshopConsent.objects.create(participant=p, include=True)
        from programme.shared_initiatives import shared_initiatives

        with django_assert_max_num_queries(10) as captured:
            shared_initiatives(cohort)
        counts.append(len(captured))
    # initiatives, measures, points, feedback
    assert counts[0] == counts[1] == 4


def test_the_pack_pdf_prints_the_readings(client, shared_world, django_capture_on_commit_callbacks):
    client.force_login(shared_world.programme_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workshop_pack_start", args=[shared_world.participant.cohort.pk]))
    job = Job.objects.get(kind="workshop_pack")
    assert job.status == "done", job.message
    response = client.get(reverse("job_download", args=[job.pk]))
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Common cause variation" in text
    assert "Consistently passing the target" in text
    assert "What changed for service users" in text
    assert "Olly" not in text
